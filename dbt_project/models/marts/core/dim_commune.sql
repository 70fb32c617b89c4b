with

communes as (

    select * from {{ ref('stg_raw__communes') }}

),

provinces as (

    select * from {{ ref('stg_raw__provinces') }}

)

select
    communes.commune_code,
    communes.commune_name,
    communes.division_type,
    communes.province_code,
    provinces.province_name

from communes
inner join provinces on communes.province_code = provinces.province_code
