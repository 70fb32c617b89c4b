-- One row per week × province × category × resolution level × status (the status at week end in
-- the province's selected obstacles file), only where something happened or is pending: obstacles
-- open at week end, raised or resolved in the week. Obstacles resolved in earlier weeks, which the
-- full list repeats every week, make no row. Summing the rows of a province gives its
-- province_weekly obstacle figures.
with

summarised as (

    select
        week,
        province_code,
        category_code,
        resolution_level,
        status,
        count(*) filter (where is_open_at_week_end) as obstacles_open,
        count(*) filter (where is_raised_in_week) as obstacles_raised,
        count(*) filter (where is_resolved_in_week) as obstacles_resolved,
        count(*) filter (where is_escalated) as obstacles_escalated

    from {{ ref('fct_obstacles') }}
    group by week, province_code, category_code, resolution_level, status

)

select
    cast(summarised.week as varchar) as week,
    cast(summarised.province_code as varchar) as province_code,
    cast(provinces.province_name as varchar) as province_name,
    cast(summarised.category_code as varchar) as category_code,
    cast(coalesce(categories.category_label_vi, summarised.category_code) as varchar)
        as category_label_vi,
    cast(summarised.resolution_level as varchar) as resolution_level,
    cast(coalesce(levels.label_vi, summarised.resolution_level, 'Chưa xác định') as varchar)
        as resolution_level_label_vi,
    cast(summarised.status as varchar) as status,
    cast(coalesce(statuses.label_vi, summarised.status) as varchar) as status_label_vi,
    cast(summarised.obstacles_open as integer) as obstacles_open,
    cast(summarised.obstacles_raised as integer) as obstacles_raised,
    cast(summarised.obstacles_resolved as integer) as obstacles_resolved,
    cast(summarised.obstacles_escalated as integer) as obstacles_escalated

from summarised
left join {{ ref('dim_province') }} as provinces on summarised.province_code = provinces.province_code
left join {{ ref('dim_obstacle_category') }} as categories on summarised.category_code = categories.category_code
left join {{ ref('levels') }} as levels on summarised.resolution_level = levels.level_code
left join {{ ref('obstacle_statuses') }} as statuses on summarised.status = statuses.status_code
where
    summarised.obstacles_open > 0
    or summarised.obstacles_raised > 0
    or summarised.obstacles_resolved > 0
