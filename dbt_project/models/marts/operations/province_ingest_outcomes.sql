-- One row per ingest run × province: what the province's task saw and did, or why it failed,
-- with the province's name; is_latest marks each province's most recent outcome.
select
    cast(outcomes.outcome_id as varchar) as outcome_id,
    cast(outcomes.run_id as varchar) as run_id,
    cast(outcomes.province_code as varchar) as province_code,
    cast(provinces.province_name as varchar) as province_name,
    cast(outcomes.status as varchar) as status,
    cast(outcomes.error as varchar) as error,
    cast(outcomes.warnings as varchar) as warnings,
    cast(outcomes.week_filter as varchar) as week_filter,
    cast(outcomes.source_url as varchar) as source_url,
    cast(outcomes.files_seen as integer) as files_seen,
    cast(outcomes.files_landed as integer) as files_landed,
    cast(outcomes.files_skipped as integer) as files_skipped,
    cast(outcomes.files_filtered as integer) as files_filtered,
    cast(outcomes.files_failed as integer) as files_failed,
    cast(outcomes.files_rejected as integer) as files_rejected,
    cast(outcomes.rows_accepted as integer) as rows_accepted,
    cast(outcomes.rows_rejected as integer) as rows_rejected,
    cast(outcomes.started_at as timestamp with time zone) as started_at,
    cast(outcomes.finished_at as timestamp with time zone) as finished_at,
    cast(ranked.is_latest as boolean) as is_latest

from {{ ref('stg_raw__ingest_outcomes') }} as outcomes
inner join {{ ref('int_ingest_outcomes_ranked') }} as ranked on outcomes.outcome_id = ranked.outcome_id
left join {{ ref('dim_province') }} as provinces on outcomes.province_code = provinces.province_code
