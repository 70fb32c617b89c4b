-- The file each province × week × kind's metrics come from: the highest accepted version
-- (accepted or partly_accepted; a whole-file rejection never supersedes), ties broken by the
-- latest received_at, then by file_id so the choice is deterministic.
with

accepted_files as (

    select * from {{ ref('stg_raw__files') }}
    where
        is_accepted
        and kind is not null
        and week is not null

),

ranked as (

    select
        *,
        min(received_at) over (
            partition by province_code, week, kind
        ) as first_received_at,
        count(*) over (
            partition by province_code, week, kind
        ) as accepted_files,
        row_number() over (
            partition by province_code, week, kind
            order by version desc, received_at desc, file_id desc
        ) as version_rank

    from accepted_files

)

select
    province_code,
    week,
    week_start,
    kind,
    file_id,
    file_name,
    version,
    status,
    received_at,
    loaded_at,
    first_received_at,
    accepted_files

from ranked
where version_rank = 1
