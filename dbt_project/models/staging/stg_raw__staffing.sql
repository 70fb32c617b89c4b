with

source as (

    select * from {{ source('raw', 'staffing') }}

),

renamed as (

    select
        -- ids
        file_id,
        source_row,
        province_code,
        week,
        commune_code,
        field_code,

        -- numerics
        approved_posts,
        filled_posts,

        -- dates
        report_date

    from source

)

select * from renamed
