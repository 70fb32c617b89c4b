select
    cast(category_code as varchar) as category_code,
    cast(label_vi as varchar) as category_label_vi

from {{ ref('obstacle_categories') }}
