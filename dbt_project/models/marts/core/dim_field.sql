select
    cast(field_code as varchar) as field_code,
    cast(label_vi as varchar) as field_label_vi

from {{ ref('field_codes') }}
