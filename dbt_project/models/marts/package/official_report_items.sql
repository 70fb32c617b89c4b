-- One row per item of the report in effect of each province and week: its section, its place,
-- its text (citizen ids and phone numbers masked at intake), the province's communes it names
-- and the obstacle categories it is about. What `moha reports search` and the "Kiến nghị" sheet
-- read.
select
    cast(items.week as varchar) as week,
    cast(items.province_code as varchar) as province_code,
    cast(provinces.province_name as varchar) as province_name,
    cast(items.section as varchar) as section,
    cast(
        case items.section
            when 'situation' then 'Tình hình chung'
            when 'results' then 'Kết quả thực hiện nhiệm vụ'
            when 'obstacles' then 'Khó khăn, vướng mắc'
            when 'proposals' then 'Đề xuất, kiến nghị'
            when 'next_week' then 'Kế hoạch tuần tới'
        end as varchar
    ) as section_label_vi,
    cast(items.section_heading as varchar) as section_heading,
    cast(items.section_heading_folded as varchar) as section_heading_folded,
    cast(items.item_ordinal as integer) as item_ordinal,
    cast(items.item_text as varchar) as item_text,
    cast(items.text_folded as varchar) as text_folded,
    cast(items.commune_codes as varchar) as commune_codes,
    cast(items.category_codes as varchar) as category_codes,
    cast(items.version as integer) as version,
    cast(items.source_row as integer) as source_row

from {{ ref('int_official_report_items_tagged') }} as items
inner join {{ ref('dim_province') }} as provinces on items.province_code = provinces.province_code
