-- One row per week × field (all 15 fields every week): the national shortage and surplus of the
-- field over the provinces that reported staffing, its vacancy rate and how many provinces it
-- covers. Vacancies and surplus come per commune × field (vacancies_by_field), never netted.
with

coverage as (

    select
        week,
        provinces_reporting_staffing

    from {{ ref('national_weekly') }}

),

summed as (

    select
        week,
        field_code,
        sum(approved_posts) as approved_posts,
        sum(filled_posts) as filled_posts,
        sum(vacancies) as vacancies,
        sum(surplus) as surplus

    from {{ ref('vacancies_by_field') }}
    group by week, field_code

)

select
    cast(weeks.week as varchar) as week,
    cast(dim_field.field_code as varchar) as field_code,
    cast(dim_field.field_label_vi as varchar) as field_label_vi,
    cast(summed.approved_posts as bigint) as approved_posts,
    cast(summed.filled_posts as bigint) as filled_posts,
    cast(summed.vacancies as bigint) as vacancies,
    cast(summed.surplus as bigint) as surplus,
    cast(
        cast(summed.vacancies as {{ type_double() }}) / nullif(summed.approved_posts, 0)
        as {{ type_double() }}
    ) as vacancy_rate,
    cast(coverage.provinces_reporting_staffing as integer) as provinces_reporting_staffing

from {{ ref('dim_week') }} as weeks
cross join {{ ref('dim_field') }} as dim_field
left join summed
    on
        weeks.week = summed.week
        and dim_field.field_code = summed.field_code
left join coverage on weeks.week = coverage.week
