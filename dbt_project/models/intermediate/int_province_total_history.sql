-- Each province's staffing totals (approved and filled posts) beside the median of its last
-- accepted weeks (the window of quality_rules.province_total_shift), and its open obstacles beside
-- those of its previous accepted obstacles file with how many of this week's list were resolved
-- since that file's week.
with

rules as (

    select * from {{ ref('quality_rules') }}
    where rule_id = 'province_total_shift'

),

province_weeks as (

    select
        province_weekly.*,
        weeks.week_start,
        weeks.week_end

    from {{ ref('province_weekly') }} as province_weekly
    inner join {{ ref('dim_week') }} as weeks on province_weekly.week = weeks.week

),

totals as (

    {{ posts_by_measure('province_weeks', ['week', 'week_start', 'province_code']) }}

),

numbered as (

    select
        *,
        row_number() over (
            partition by province_code, measure order by week_start
        ) as value_number

    from totals

),

history as (

    {{ past_values(
        'numbered',
        series=['province_code', 'measure'],
        columns=['week', 'week_start', 'province_code', 'measure', 'value']
    ) }}

),

total_checks as (

    select
        week,
        province_code,
        measure,
        max(value) as value,
        {{ history_summary() }},
        cast(null as bigint) as resolved_since_previous

    from history
    group by week, province_code, measure

),

obstacle_weeks as (

    select
        week,
        week_start,
        week_end,
        province_code,
        obstacles_open,
        lag(week) over (partition by province_code order by week_start) as previous_week,
        lag(week_end) over (partition by province_code order by week_start) as previous_week_end,
        lag(obstacles_open) over (
            partition by province_code order by week_start
        ) as previous_open

    from province_weeks
    where obstacles_open is not null

),

resolved_since as (

    select
        obstacle_weeks.week,
        obstacle_weeks.province_code,
        count(*) as resolved_since_previous

    from obstacle_weeks
    inner join {{ ref('fct_obstacles') }} as obstacles
        on {{ province_week_match('obstacle_weeks', 'obstacles') }}
    where
        obstacles.status = 'da_thao_go'
        and obstacles.resolved_date > obstacle_weeks.previous_week_end
        and obstacles.resolved_date <= obstacle_weeks.week_end
    group by obstacle_weeks.week, obstacle_weeks.province_code

),

obstacle_checks as (

    select
        obstacle_weeks.week,
        obstacle_weeks.province_code,
        'obstacles_open' as measure,
        obstacle_weeks.obstacles_open as value,
        1 as history_weeks,
        cast(obstacle_weeks.previous_open as {{ type_double() }}) as history_median,
        obstacle_weeks.previous_week as history_from,
        obstacle_weeks.previous_week as history_to,
        cast(obstacle_weeks.previous_open as varchar) as history_values,
        coalesce(resolved_since.resolved_since_previous, 0) as resolved_since_previous

    from obstacle_weeks
    left join resolved_since on {{ province_week_match('obstacle_weeks', 'resolved_since') }}
    where obstacle_weeks.previous_week is not null

),

checks as (

    select * from total_checks
    union all
    select * from obstacle_checks

)

select
    week,
    province_code,
    measure,
    cast(value as bigint) as value,
    cast(history_weeks as integer) as history_weeks,
    history_median,
    history_from,
    history_to,
    history_values,
    cast(resolved_since_previous as bigint) as resolved_since_previous

from checks
