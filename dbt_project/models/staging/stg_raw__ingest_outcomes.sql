with

source as (

    select * from {{ source('raw', 'ingest_outcomes') }}

),

renamed as (

    select
        -- ids
        outcome_id,
        run_id,
        province_code,
        source_url,
        week_filter,

        -- outcome
        status,
        error,
        warnings,

        -- counts
        files_seen,
        files_landed,
        files_skipped,
        files_filtered,
        files_failed,
        files_rejected,
        rows_accepted,
        rows_rejected,

        -- timestamps
        started_at,
        finished_at,
        loaded_at

    from source

)

select * from renamed
