with

source as (

    select * from {{ source('raw', 'files') }}

),

renamed as (

    select
        -- ids
        file_id,
        file_sha256,
        province_code,
        file_name,
        landing_path,

        -- classification
        kind,
        week,
        version,
        status,
        file_reason_code,
        filed_week,
        suggested_name,
        warnings,
        sheet_name,
        ingest_run_id,

        -- numerics
        bytes,
        rows_total,
        rows_accepted,
        rows_rejected,
        rows_skipped,

        -- dates and timestamps
        week_start,
        received_at,
        landed_at,
        loaded_at,

        -- derived
        status in ('accepted', 'partly_accepted') as is_accepted,
        -- a secondments or obstacles file with the header and no data row: nothing to report
        coalesce(
            status in ('accepted', 'partly_accepted')
            and kind in ('secondments', 'obstacles')
            and rows_total = 0,
            false
        ) as is_nil_return

    from source

)

select * from renamed
