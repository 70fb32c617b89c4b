-- One row per week × province of dim_week: the province's communes (reference list) and, when an
-- accepted staffing file is in effect, how many of them it reports (SPEC §3b commune coverage).
with

communes as (

    select
        province_code,
        count(*) as communes_total

    from {{ ref('dim_commune') }}
    group by province_code

),

reported as (

    select
        week,
        province_code,
        count(distinct commune_code) as communes_reported

    from {{ ref('fct_staffing') }}
    group by week, province_code

)

select
    weeks.week,
    provinces.province_code,
    reported.communes_reported,
    coalesce(communes.communes_total, 0) as communes_total

from {{ ref('dim_week') }} as weeks
cross join {{ ref('dim_province') }} as provinces
left join communes on provinces.province_code = communes.province_code
left join reported
    on
        weeks.week = reported.week
        and provinces.province_code = reported.province_code
