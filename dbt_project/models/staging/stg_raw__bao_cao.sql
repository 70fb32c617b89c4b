with

source as (

    select * from {{ source('raw', 'bao_cao') }}

),

renamed as (

    select
        -- ids
        file_id,
        source_row,
        province_code,
        week,

        -- the section and the item
        section,
        section_heading,
        item_ordinal,
        item_text,
        text_folded,
        commune_codes,

        -- flags
        item_ordinal = 0 as is_heading

    from source

)

select * from renamed
