select
    communes.commune_code,
    communes.commune_name,
    communes.division_type,
    communes.province_code,
    provinces.province_name

from {{ ref('stg_raw__communes') }} as communes
inner join {{ ref('stg_raw__provinces') }} as provinces on communes.province_code = provinces.province_code
