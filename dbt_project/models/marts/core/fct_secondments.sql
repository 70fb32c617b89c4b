-- Rebuilt week by week (incremental: dbt_project.yml; macros/incremental_weeks.sql).
{{ config(pre_hook="{{ clear_weeks_to_rebuild('secondments') }}") }}

with

selected_files as (

    {{ files_in_effect('secondments') }}

),

joined as (

    select
        secondment_rows.assignment_id,
        secondment_rows.origin_level,
        secondment_rows.origin_unit,
        secondment_rows.destination_code,
        secondment_rows.field_code,
        secondment_rows.status,
        secondment_rows.start_date,
        secondment_rows.end_date,
        secondment_rows.file_id,
        secondment_rows.source_row,
        selected_files.week,
        selected_files.week_start,
        selected_files.week_end,
        selected_files.province_code,
        selected_files.version

    from {{ ref('stg_raw__secondments') }} as secondment_rows
    inner join selected_files
        on secondment_rows.file_id = selected_files.file_id

)

select
    week,
    week_start,
    province_code,
    assignment_id,
    origin_level,
    origin_unit,
    destination_code,
    field_code,
    status,
    start_date,
    end_date,
    -- active in W: not cancelled, started by Sunday, not ended before Monday
    coalesce(
        status != 'huy'
        and start_date <= week_end
        and (end_date is null or end_date >= week_start),
        false
    ) as is_active,
    coalesce(
        status != 'huy'
        and start_date between week_start and week_end,
        false
    ) as is_started_in_week,
    file_id,
    version,
    source_row,
    {{ source_watermark('secondments') }} as source_loaded_at

from joined
