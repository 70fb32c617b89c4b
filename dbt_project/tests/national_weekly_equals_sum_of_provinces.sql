-- National totals must equal the sums of the province rows; on_time counts provinces on time.
with

provinces as (

    select
        week,
        sum(approved_posts) as approved_posts,
        sum(vacancies) as vacancies,
        sum(surplus) as surplus,
        sum(active_secondments) as active_secondments,
        sum(obstacles_open) as obstacles_open,
        sum(obstacles_resolved) as obstacles_resolved,
        sum(files_received) as files_received,
        count(*) filter (where on_time) as on_time

    from {{ ref('province_weekly') }}
    group by week

)

select nation.week

from {{ ref('national_weekly') }} as nation
full outer join provinces on nation.week = provinces.week
where
    nation.week is null
    or provinces.week is null
    or nation.approved_posts is distinct from provinces.approved_posts
    or nation.vacancies is distinct from provinces.vacancies
    or nation.surplus is distinct from provinces.surplus
    or nation.active_secondments is distinct from provinces.active_secondments
    or nation.obstacles_open is distinct from provinces.obstacles_open
    or nation.obstacles_resolved is distinct from provinces.obstacles_resolved
    or nation.files_received is distinct from provinces.files_received
    or nation.on_time is distinct from provinces.on_time
