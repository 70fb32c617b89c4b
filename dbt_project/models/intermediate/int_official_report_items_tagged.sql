-- The items of each report in effect (the highest accepted bao_cao version of the province and
-- week), with the obstacle categories their text names: a category's keyword (seed
-- report_keywords, folded as text_folded is) found as whole words.
with

selected_files as (

    select * from {{ ref('int_report_files_selected') }}
    where kind = 'bao_cao'

),

items as (

    select * from {{ ref('stg_raw__bao_cao') }}
    where not is_heading

),

headings as (

    select
        file_id,
        section,
        text_folded as section_heading_folded

    from {{ ref('stg_raw__bao_cao') }}
    where is_heading

),

in_effect as (

    select
        items.*,
        selected_files.version

    from items
    inner join selected_files on items.file_id = selected_files.file_id

),

matched as (

    select
        in_effect.file_id,
        in_effect.section,
        in_effect.item_ordinal,
        keywords.category_code

    from in_effect
    inner join {{ ref('report_keywords') }} as keywords
        on (' ' || in_effect.text_folded || ' ') like ('% ' || keywords.keyword || ' %')
    group by in_effect.file_id, in_effect.section, in_effect.item_ordinal, keywords.category_code

),

categories as (

    select
        file_id,
        section,
        item_ordinal,
        string_agg(category_code, ';' order by category_code) as category_codes

    from matched
    group by file_id, section, item_ordinal

)

select
    in_effect.province_code,
    in_effect.week,
    in_effect.file_id,
    in_effect.version,
    in_effect.source_row,
    in_effect.section,
    in_effect.section_heading,
    in_effect.item_ordinal,
    in_effect.item_text,
    in_effect.text_folded,
    in_effect.commune_codes,
    headings.section_heading_folded,
    categories.category_codes

from in_effect
inner join headings
    on
        in_effect.file_id = headings.file_id
        and in_effect.section = headings.section
left join categories
    on
        in_effect.file_id = categories.file_id
        and in_effect.section = categories.section
        and in_effect.item_ordinal = categories.item_ordinal
