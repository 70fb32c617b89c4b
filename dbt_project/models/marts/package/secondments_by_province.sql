-- One row per week × province × origin level (bo, tinh, xa), all 34 provinces every week: how many
-- secondments are active, started and ended in the week. A province whose secondments file was not
-- received has is_reported = false and null counts ("Chưa nộp"), never 0.
with

origin_levels as (

    select * from {{ ref('levels') }}
    where level_code in ('bo', 'tinh', 'xa')

),

secondments as (

    select
        week,
        province_code,
        origin_level,
        count(*) filter (where is_active) as active_secondments,
        count(*) filter (where is_started_in_week) as secondments_started,
        count(*) filter (
            where status != 'huy' and end_date between week_start and cast(week_start + 6 as date)
        ) as secondments_ended

    from {{ ref('fct_secondments') }}
    group by week, province_code, origin_level

),

spine as (

    select
        weeks.week,
        provinces.province_code,
        provinces.province_name,
        origin_levels.level_code as origin_level,
        origin_levels.label_vi as origin_level_label_vi

    from {{ ref('dim_week') }} as weeks
    cross join {{ ref('dim_province') }} as provinces
    cross join origin_levels

),

joined as (

    select
        spine.*,
        coalesce(completeness.has_secondments, false) as is_reported,
        secondments.active_secondments,
        secondments.secondments_started,
        secondments.secondments_ended

    from spine
    left join {{ ref('int_report_completeness_summarised') }} as completeness
        on {{ province_week_match('spine', 'completeness') }}
    left join secondments
        on
            {{ province_week_match('spine', 'secondments') }}
            and spine.origin_level = secondments.origin_level

)

select
    cast(week as varchar) as week,
    cast(province_code as varchar) as province_code,
    cast(province_name as varchar) as province_name,
    cast(origin_level as varchar) as origin_level,
    cast(origin_level_label_vi as varchar) as origin_level_label_vi,
    cast(is_reported as boolean) as is_reported,
    {{ reported_counts('is_reported', ['active_secondments', 'secondments_started', 'secondments_ended'], 'integer') }}

from joined
