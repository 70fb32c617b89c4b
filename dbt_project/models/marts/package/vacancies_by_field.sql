-- One row per week × province × field, for provinces whose staffing file was accepted that week.
select
    cast(week as varchar) as week,
    cast(province_code as varchar) as province_code,
    cast(field_code as varchar) as field_code,
    cast(sum(approved_posts) as bigint) as approved_posts,
    cast(sum(filled_posts) as bigint) as filled_posts,
    cast(sum(vacancies) as bigint) as vacancies,
    cast(sum(surplus) as bigint) as surplus

from {{ ref('fct_staffing') }}
group by week, province_code, field_code
