-- Rebuilt week by week (incremental: dbt_project.yml; macros/incremental_weeks.sql).
with

selected_files as (

    {{ files_in_effect('staffing') }}

),

joined as (

    select
        staffing_rows.commune_code,
        staffing_rows.field_code,
        staffing_rows.file_id,
        staffing_rows.source_row,
        staffing_rows.report_date,
        cast(staffing_rows.approved_posts as bigint) as approved_posts,
        cast(staffing_rows.filled_posts as bigint) as filled_posts,
        selected_files.week,
        selected_files.week_start,
        selected_files.province_code,
        selected_files.version

    from {{ ref('stg_raw__staffing') }} as staffing_rows
    inner join selected_files
        on staffing_rows.file_id = selected_files.file_id

)

select
    week,
    week_start,
    province_code,
    commune_code,
    field_code,
    approved_posts,
    filled_posts,
    -- per commune × field, before any summing: surplus never offsets a shortage
    greatest(approved_posts - filled_posts, 0) as vacancies,
    greatest(filled_posts - approved_posts, 0) as surplus,
    report_date,
    file_id,
    version,
    source_row,
    {{ source_watermark('staffing') }} as source_loaded_at

from joined
