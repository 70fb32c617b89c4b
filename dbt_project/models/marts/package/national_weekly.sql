-- One row per week: sums of the province rows; on_time counts provinces on time; the median is
-- taken over all obstacles resolved in the week (not a median of province medians). After the
-- published columns, how many provinces each national figure covers: a province that sent no
-- accepted file of a kind has that kind's metrics null, so it is not counted. Then the commune
-- coverage of the staffing figures: communes reported of the country's communes (3.208/3.321 xã).
with

resolved_obstacles as (

    select
        week,
        {{ median('days_to_resolve') }} as median_days_to_resolve

    from {{ ref('fct_obstacles') }}
    where is_resolved_in_week
    group by week

),

summed as (

    select
        week,
        sum(approved_posts) as approved_posts,
        sum(filled_posts) as filled_posts,
        sum(vacancies) as vacancies,
        sum(surplus) as surplus,
        sum(communes_short) as communes_short,
        sum(active_secondments) as active_secondments,
        sum(active_secondments_bo) as active_secondments_bo,
        sum(active_secondments_tinh) as active_secondments_tinh,
        sum(secondments_started) as secondments_started,
        sum(obstacles_raised) as obstacles_raised,
        sum(obstacles_resolved) as obstacles_resolved,
        sum(obstacles_open) as obstacles_open,
        sum(obstacles_escalated) as obstacles_escalated,
        sum(files_received) as files_received,
        count(*) filter (where on_time) as on_time,
        count(approved_posts) as provinces_reporting_staffing,
        count(active_secondments) as provinces_reporting_secondments,
        count(obstacles_open) as provinces_reporting_obstacles,
        sum(communes_reported) as communes_reported,
        sum(communes_total) as communes_total

    from {{ ref('province_weekly') }}
    group by week

)

select
    cast(summed.week as varchar) as week,
    cast(summed.approved_posts as bigint) as approved_posts,
    cast(summed.filled_posts as bigint) as filled_posts,
    cast(summed.vacancies as bigint) as vacancies,
    cast(summed.surplus as bigint) as surplus,
    cast(summed.communes_short as bigint) as communes_short,
    cast(summed.active_secondments as bigint) as active_secondments,
    cast(summed.active_secondments_bo as bigint) as active_secondments_bo,
    cast(summed.active_secondments_tinh as bigint) as active_secondments_tinh,
    cast(summed.secondments_started as bigint) as secondments_started,
    cast(summed.obstacles_raised as bigint) as obstacles_raised,
    cast(summed.obstacles_resolved as bigint) as obstacles_resolved,
    cast(summed.obstacles_open as bigint) as obstacles_open,
    cast(summed.obstacles_escalated as bigint) as obstacles_escalated,
    cast(resolved_obstacles.median_days_to_resolve as {{ type_double() }}) as median_days_to_resolve,
    cast(summed.files_received as integer) as files_received,
    cast(summed.on_time as integer) as on_time,
    cast(summed.provinces_reporting_staffing as integer) as provinces_reporting_staffing,
    cast(summed.provinces_reporting_secondments as integer) as provinces_reporting_secondments,
    cast(summed.provinces_reporting_obstacles as integer) as provinces_reporting_obstacles,
    cast(summed.communes_reported as integer) as communes_reported,
    cast(summed.communes_total as integer) as communes_total

from summed
left join resolved_obstacles on summed.week = resolved_obstacles.week
