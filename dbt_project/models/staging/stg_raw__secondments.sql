-- full_name and official_id (personal data) stop here: nothing downstream may carry them.
with

source as (

    select * from {{ source('raw', 'secondments') }}

),

renamed as (

    select
        -- ids
        file_id,
        source_row,
        province_code,
        week,
        assignment_id,
        destination_code,

        -- codes and text
        origin_unit,
        origin_level,
        field_code,
        status,

        -- dates
        start_date,
        end_date

    from source

)

select * from renamed
