with

source as (

    select * from {{ source('raw', 'obstacles') }}

),

renamed as (

    select
        -- ids
        file_id,
        source_row,
        province_code,
        week,
        obstacle_id,
        commune_code,

        -- codes and text
        category_code,
        resolution_level,
        status,
        description,

        -- dates
        raised_date,
        resolved_date

    from source

)

select * from renamed
