-- One row per landed file: what arrived, what happened to it, and whether its rows feed the
-- week's metrics (it is the selected version) and whether it counted as on time.
select
    cast(files.file_id as varchar) as file_id,
    cast(files.file_sha256 as varchar) as file_sha256,
    cast(files.province_code as varchar) as province_code,
    cast(files.file_name as varchar) as file_name,
    cast(files.kind as varchar) as kind,
    cast(files.week as varchar) as week,
    cast(files.week_start as date) as week_start,
    cast(files.version as integer) as version,
    cast(files.status as varchar) as status,
    cast(files.file_reason_code as varchar) as file_reason_code,
    cast(files.rows_total as integer) as rows_total,
    cast(files.rows_accepted as integer) as rows_accepted,
    cast(files.rows_rejected as integer) as rows_rejected,
    cast(files.bytes as bigint) as bytes,
    cast(files.received_at as timestamp with time zone) as received_at,
    cast(files.landed_at as timestamp with time zone) as landed_at,
    cast(files.loaded_at as timestamp with time zone) as loaded_at,
    cast(files.landing_path as varchar) as landing_path,
    cast(files.filed_week as varchar) as filed_week,
    cast(files.suggested_name as varchar) as suggested_name,
    cast(files.warnings as varchar) as warnings,
    cast(files.sheet_name as varchar) as sheet_name,
    cast(files.rows_skipped as integer) as rows_skipped,
    cast(files.is_nil_return as boolean) as is_nil_return,
    cast(files.ingest_run_id as varchar) as ingest_run_id,
    cast(selected.file_id is not null as boolean) as is_selected,
    cast(
        files.is_accepted
        and files.week_start is not null
        and files.received_at <= {{ week_deadline('files.week_start') }}
        as boolean
    ) as is_on_time

from {{ ref('stg_raw__files') }} as files
left join {{ ref('int_report_files_selected') }} as selected on files.file_id = selected.file_id
