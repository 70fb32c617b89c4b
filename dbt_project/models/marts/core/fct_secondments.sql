{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='week',
        on_schema_change='fail',
        pre_hook="{{ clear_weeks_to_rebuild('secondments') }}"
    )
}}

with

selected_files as (

    select * from {{ ref('int_report_files_selected') }}
    where
        kind = 'secondments'
        {% if is_incremental() -%}
            and week in ({{ weeks_to_rebuild('secondments') }})
        {%- endif %}

),

secondment_rows as (

    select * from {{ ref('stg_raw__secondments') }}

),

joined as (

    select
        selected_files.week,
        selected_files.week_start,
        cast(selected_files.week_start + 6 as date) as week_end,
        selected_files.province_code,
        secondment_rows.assignment_id,
        secondment_rows.origin_level,
        secondment_rows.origin_unit,
        secondment_rows.destination_code,
        secondment_rows.field_code,
        secondment_rows.status,
        secondment_rows.start_date,
        secondment_rows.end_date,
        secondment_rows.file_id,
        selected_files.version,
        secondment_rows.source_row

    from secondment_rows
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
