with

source as (

    select * from {{ source('raw', 'provinces') }}

),

renamed as (

    select
        province_code,
        province_name,
        division_type

    from source

)

select * from renamed
