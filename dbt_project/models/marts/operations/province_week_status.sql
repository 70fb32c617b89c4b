-- One row per week × province, every province every week: how many of the three kinds arrived,
-- on time or late, files received / accepted / rejected / misnamed, rows of the files in effect,
-- the latest ingest run's state, and how many findings (province_week_findings) explain it.
with

kinds as (

    select
        week,
        province_code,
        sum(case when is_received then 1 else 0 end) as kinds_received,
        sum(case when is_on_time then 1 else 0 end) as kinds_on_time,
        sum(case when is_late then 1 else 0 end) as kinds_late,
        sum(coalesce(rows_accepted, 0)) as rows_accepted,
        sum(coalesce(rows_rejected, 0)) as rows_rejected

    from {{ ref('submission_status') }}
    group by week, province_code

),

filed as (

    select
        filed_week as week,
        province_code,
        count(*) as files_received,
        sum(case when is_accepted then 1 else 0 end) as files_accepted,
        sum(case when not is_accepted and kind is not null then 1 else 0 end) as files_rejected,
        sum(case when kind is null then 1 else 0 end) as files_misnamed

    from {{ ref('stg_raw__files') }}
    group by filed_week, province_code

),

counted as (

    select
        week,
        province_code,
        count(*) as findings

    from {{ ref('province_week_findings') }}
    group by week, province_code

),

joined as (

    select
        province_weeks.week,
        province_weeks.province_code,
        province_weeks.province_name,
        coalesce(kinds.kinds_received, 0) as kinds_received,
        coalesce(kinds.kinds_on_time, 0) as kinds_on_time,
        coalesce(kinds.kinds_late, 0) as kinds_late,
        coalesce(filed.files_received, 0) as files_received,
        coalesce(filed.files_accepted, 0) as files_accepted,
        coalesce(filed.files_rejected, 0) as files_rejected,
        coalesce(filed.files_misnamed, 0) as files_misnamed,
        coalesce(kinds.rows_accepted, 0) as rows_accepted,
        coalesce(kinds.rows_rejected, 0) as rows_rejected,
        coalesce(counted.findings, 0) as findings,
        province_weeks.ingest_status,
        province_weeks.ingest_finished_at,
        province_weeks.ingest_error,
        province_weeks.is_ingest_failed

    from {{ ref('int_province_weeks') }} as province_weeks
    left join kinds on {{ province_week_match('province_weeks', 'kinds') }}
    left join filed
        on {{ province_week_match('province_weeks', 'filed') }}
    left join counted on {{ province_week_match('province_weeks', 'counted') }}

)

select
    cast(week as varchar) as week,
    cast(province_code as varchar) as province_code,
    cast(province_name as varchar) as province_name,
    cast(
        case
            when is_ingest_failed then 'ingest_failed'
            when kinds_received < 3 then 'incomplete'
            when kinds_late > 0 then 'late'
            when findings > 0 then 'rejections'
            else 'complete'
        end as varchar
    ) as status,
    cast(
        case
            when is_ingest_failed then 'Lỗi khi nhận tệp'
            when kinds_received < 3 then 'Thiếu báo cáo'
            when kinds_late > 0 then 'Nộp muộn'
            when findings > 0 then 'Có tệp hoặc dòng bị từ chối'
            else 'Đủ, đúng hạn'
        end as varchar
    ) as status_label_vi,
    cast(kinds_received as integer) as kinds_received,
    cast(3 - kinds_received as integer) as kinds_missing,
    cast(kinds_late as integer) as kinds_late,
    cast(kinds_on_time = 3 as boolean) as is_on_time,
    cast(files_received as integer) as files_received,
    cast(files_accepted as integer) as files_accepted,
    cast(files_rejected as integer) as files_rejected,
    cast(files_misnamed as integer) as files_misnamed,
    cast(rows_accepted as integer) as rows_accepted,
    cast(rows_rejected as integer) as rows_rejected,
    cast(findings as integer) as findings,
    cast(ingest_status as varchar) as ingest_status,
    cast(ingest_finished_at as timestamp with time zone) as ingest_finished_at,
    cast(ingest_error as varchar) as ingest_error

from joined
