-- One row per ingest run × province (its outcome_id), is_latest marking each province's most recent
-- outcome; the outcome itself is in stg_raw__ingest_outcomes.
select
    outcome_id,
    row_number() over (
        partition by province_code
        order by finished_at desc, outcome_id desc
    ) = 1 as is_latest

from {{ ref('stg_raw__ingest_outcomes') }}
