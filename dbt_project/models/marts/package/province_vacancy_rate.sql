-- One row per week × province, all 34 every week: vacancy rate = vacancies ÷ approved posts (both
-- as published, vacancies taken per commune × field before summing) and the province's rank by it
-- among the provinces that reported staffing (1 = worst). Not reported: null rate, no rank.
with

rated as (

    select
        week,
        province_code,
        province_name,
        approved_posts is not null as is_reported,
        approved_posts,
        filled_posts,
        vacancies,
        surplus,
        communes_short,
        cast(vacancies as {{ type_double() }}) / nullif(approved_posts, 0) as vacancy_rate

    from {{ ref('province_weekly') }}

)

select
    cast(week as varchar) as week,
    cast(province_code as varchar) as province_code,
    cast(province_name as varchar) as province_name,
    cast(is_reported as boolean) as is_reported,
    cast(approved_posts as bigint) as approved_posts,
    cast(filled_posts as bigint) as filled_posts,
    cast(vacancies as bigint) as vacancies,
    cast(surplus as bigint) as surplus,
    cast(communes_short as bigint) as communes_short,
    cast(vacancy_rate as {{ type_double() }}) as vacancy_rate,
    cast(
        case
            when vacancy_rate is not null
                then row_number() over (
                    partition by week, vacancy_rate is null
                    order by vacancy_rate desc, vacancies desc, province_code asc
                )
        end as integer
    ) as vacancy_rate_rank

from rated
