-- One row per ingest run × province, is_latest marking each province's most recent outcome.
with

outcomes as (

    select * from {{ ref('stg_raw__ingest_outcomes') }}

)

select
    outcome_id,
    run_id,
    province_code,
    source_url,
    week_filter,
    status,
    error,
    warnings,
    files_seen,
    files_landed,
    files_skipped,
    files_filtered,
    files_failed,
    files_rejected,
    rows_accepted,
    rows_rejected,
    started_at,
    finished_at,
    loaded_at,
    row_number() over (
        partition by province_code
        order by finished_at desc, outcome_id desc
    ) = 1 as is_latest

from outcomes
