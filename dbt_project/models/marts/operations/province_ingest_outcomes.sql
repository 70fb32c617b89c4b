-- One row per ingest run × province: what the province's task saw and did, or why it failed,
-- with the province's name; is_latest marks each province's most recent outcome.
select
    cast(ranked.outcome_id as varchar) as outcome_id,
    cast(ranked.run_id as varchar) as run_id,
    cast(ranked.province_code as varchar) as province_code,
    cast(provinces.province_name as varchar) as province_name,
    cast(ranked.status as varchar) as status,
    cast(ranked.error as varchar) as error,
    cast(ranked.warnings as varchar) as warnings,
    cast(ranked.week_filter as varchar) as week_filter,
    cast(ranked.source_url as varchar) as source_url,
    cast(ranked.files_seen as integer) as files_seen,
    cast(ranked.files_landed as integer) as files_landed,
    cast(ranked.files_skipped as integer) as files_skipped,
    cast(ranked.files_filtered as integer) as files_filtered,
    cast(ranked.files_failed as integer) as files_failed,
    cast(ranked.files_rejected as integer) as files_rejected,
    cast(ranked.rows_accepted as integer) as rows_accepted,
    cast(ranked.rows_rejected as integer) as rows_rejected,
    cast(ranked.started_at as timestamp with time zone) as started_at,
    cast(ranked.finished_at as timestamp with time zone) as finished_at,
    cast(ranked.is_latest as boolean) as is_latest

from {{ ref('int_ingest_outcomes_ranked') }} as ranked
left join {{ ref('dim_province') }} as provinces on ranked.province_code = provinces.province_code
