-- One row per week × province that status and findings speak of: every week of dim_week and
-- every week a file was filed under (a misnamed file may name a week outside the window), for
-- every province, with the province's latest ingest run and whether it failed for this week
-- (its week filter: none, one week, or a range 2025-W35:2025-W47; ISO weeks sort as text).
with

latest_outcomes as (

    select outcomes.*
    from {{ ref('stg_raw__ingest_outcomes') }} as outcomes
    inner join {{ ref('int_ingest_outcomes_ranked') }} as ranked on outcomes.outcome_id = ranked.outcome_id
    where ranked.is_latest

),

weeks as (

    select week from {{ ref('dim_week') }}
    union
    select filed_week as week from {{ ref('stg_raw__files') }}

)

select
    weeks.week,
    provinces.province_code,
    provinces.province_name,
    latest_outcomes.status as ingest_status,
    latest_outcomes.finished_at as ingest_finished_at,
    latest_outcomes.error as ingest_error,
    coalesce(
        latest_outcomes.status = 'failed'
        and (
            latest_outcomes.week_filter is null
            or weeks.week between split_part(latest_outcomes.week_filter, ':', 1)
            and coalesce(
                nullif(split_part(latest_outcomes.week_filter, ':', 2), ''),
                latest_outcomes.week_filter
            )
        ),
        false
    ) as is_ingest_failed

from weeks
cross join {{ ref('dim_province') }} as provinces
left join latest_outcomes on provinces.province_code = latest_outcomes.province_code
