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
        ingest_run_id,

        -- numerics
        bytes,
        rows_total,
        rows_accepted,
        rows_rejected,

        -- dates and timestamps
        week_start,
        received_at,
        landed_at,
        loaded_at,

        -- derived
        status in ('accepted', 'partly_accepted') as is_accepted

    from source

)

select * from renamed
