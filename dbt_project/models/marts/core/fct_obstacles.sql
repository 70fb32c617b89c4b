-- Rebuilt week by week (incremental: dbt_project.yml; macros/incremental_weeks.sql).
{{ config(pre_hook="{{ clear_weeks_to_rebuild('obstacles') }}") }}

with

selected_files as (

    {{ files_in_effect('obstacles') }}

),

joined as (

    select
        obstacle_rows.obstacle_id,
        obstacle_rows.commune_code,
        obstacle_rows.category_code,
        obstacle_rows.resolution_level,
        obstacle_rows.status,
        obstacle_rows.description,
        obstacle_rows.raised_date,
        obstacle_rows.resolved_date,
        obstacle_rows.file_id,
        obstacle_rows.source_row,
        coalesce(
            obstacle_rows.status = 'da_thao_go'
            and obstacle_rows.resolved_date is not null,
            false
        ) as is_resolved,
        selected_files.week,
        selected_files.week_start,
        selected_files.week_end,
        selected_files.province_code,
        selected_files.version

    from {{ ref('stg_raw__obstacles') }} as obstacle_rows
    inner join selected_files
        on obstacle_rows.file_id = selected_files.file_id

)

select
    week,
    week_start,
    province_code,
    obstacle_id,
    commune_code,
    category_code,
    resolution_level,
    status,
    description,
    raised_date,
    resolved_date,
    coalesce(raised_date between week_start and week_end, false) as is_raised_in_week,
    is_resolved and resolved_date between week_start and week_end as is_resolved_in_week,
    coalesce(
        raised_date <= week_end
        and not (is_resolved and resolved_date <= week_end),
        false
    ) as is_open_at_week_end,
    coalesce(status = 'kien_nghi', false) as is_escalated,
    case
        when is_resolved then cast({{ days_between('raised_date', 'resolved_date') }} as integer)
    end as days_to_resolve,
    file_id,
    version,
    source_row,
    {{ source_watermark('obstacles') }} as source_loaded_at

from joined
