with

communes as (

    select
        province_code,
        count(*) as communes_count

    from {{ ref('stg_raw__communes') }}
    group by province_code

)

select
    provinces.province_code,
    provinces.province_name,
    provinces.division_type,
    cast(coalesce(communes.communes_count, 0) as integer) as communes_count

from {{ ref('stg_raw__provinces') }} as provinces
left join communes on provinces.province_code = communes.province_code
