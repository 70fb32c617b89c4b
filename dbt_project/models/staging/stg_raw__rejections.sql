with

source as (

    select * from {{ source('raw', 'rejections') }}

),

renamed as (

    select
        -- ids
        file_id,
        province_code,
        file_name,
        kind,
        week,
        source_row,
        column_name,
        sender_column,
        key_value,

        -- rejection
        value,
        reason_code,
        message_vi,
        message_en

    from source

)

select * from renamed
