with

source as (

    select * from {{ source('raw', 'communes') }}

),

renamed as (

    select
        commune_code,
        province_code,
        commune_name,
        division_type

    from source

)

select * from renamed
