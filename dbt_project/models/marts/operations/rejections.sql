-- One row per rejection (a rejected cell, row, or whole-file cause), as the file contract names it.
select
    cast(province_code as varchar) as province_code,
    cast(kind as varchar) as kind,
    cast(week as varchar) as week,
    cast(file_name as varchar) as file_name,
    cast(source_row as integer) as source_row,
    cast(column_name as varchar) as column_name,
    cast(value as varchar) as value,
    cast(reason_code as varchar) as reason_code,
    cast(message_vi as varchar) as message_vi,
    cast(file_id as varchar) as file_id,
    cast(sender_column as varchar) as sender_column,
    cast(key_value as varchar) as key_value

from {{ ref('stg_raw__rejections') }}
