-- Per commune × field, exactly one of vacancies and surplus may be positive, and
-- approved - filled = vacancies - surplus (no netting across rows).
select
    week,
    commune_code,
    field_code,
    approved_posts,
    filled_posts,
    vacancies,
    surplus
from {{ ref('fct_staffing') }}
where
    (vacancies > 0 and surplus > 0)
    or approved_posts - filled_posts != vacancies - surplus
