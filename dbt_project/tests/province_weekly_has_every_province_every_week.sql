-- Every province appears in every week of dim_week (34 rows per week).
select
    weeks.week,
    provinces.province_code

from {{ ref('dim_week') }} as weeks
cross join {{ ref('dim_province') }} as provinces
left join {{ ref('province_weekly') }} as published
    on
        weeks.week = published.week
        and provinces.province_code = published.province_code
where published.province_code is null
