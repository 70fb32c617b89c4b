-- One row per thing a data engineer must know about a province's week, numbered in reading
-- order: the latest ingest run failed, a kind missing, a kind late, a file rejected whole, a
-- misnamed file filed under the week, rows of the files in effect rejected (per kind and reason).
with

spine as (

    select
        province_weeks.week,
        province_weeks.province_code,
        kinds.kind

    from {{ ref('int_province_weeks') }} as province_weeks
    cross join {{ ref('report_kinds') }} as kinds

),

ingest_failed as (

    select
        week,
        province_code,
        1 as finding_order,
        'ingest_failed' as finding,
        cast(null as varchar) as kind,
        cast(null as varchar) as file_name,
        cast(null as varchar) as reason_code,
        cast(null as integer) as files,
        cast(null as integer) as rows_rejected,
        ingest_finished_at as occurred_at,
        cast(null as timestamp with time zone) as deadline_at,
        cast(null as varchar) as suggested_name,
        'Lần nhận tệp gần nhất bị lỗi: ' || coalesce(ingest_error, '') as detail_vi

    from {{ ref('int_province_weeks') }}
    where is_ingest_failed

),

missing_kinds as (

    select
        spine.week,
        spine.province_code,
        2 as finding_order,
        'kind_missing' as finding,
        spine.kind,
        cast(null as varchar) as file_name,
        cast(null as varchar) as reason_code,
        coalesce(status.rejected_files, 0) as files,
        cast(null as integer) as rows_rejected,
        cast(null as timestamp with time zone) as occurred_at,
        status.deadline_at,
        cast(null as varchar) as suggested_name,
        case
            when coalesce(status.rejected_files, 0) > 0
                then
                    'Chưa nộp: ' || cast(status.rejected_files as varchar)
                    || ' tệp đã gửi đều bị từ chối'
            else 'Chưa nộp: chưa nhận tệp nào'
        end as detail_vi

    from spine
    left join {{ ref('submission_status') }} as status
        on
            {{ province_week_match('spine', 'status') }}
            and spine.kind = status.kind
    where coalesce(status.is_missing, true)

),

late_kinds as (

    select
        week,
        province_code,
        3 as finding_order,
        'kind_late' as finding,
        kind,
        file_name,
        cast(null as varchar) as reason_code,
        accepted_files as files,
        cast(null as integer) as rows_rejected,
        first_received_at as occurred_at,
        deadline_at,
        cast(null as varchar) as suggested_name,
        'Nộp muộn: bản được nhận đầu tiên đến sau hạn nộp' as detail_vi

    from {{ ref('submission_status') }}
    where is_late

),

whole_file_causes as (

    select
        file_id,
        count(*) as causes,
        max(message_vi) as message_vi

    from {{ ref('stg_raw__rejections') }}
    where source_row is null
    group by file_id

),

rejected_files as (

    select
        files.week,
        files.province_code,
        4 as finding_order,
        'file_rejected' as finding,
        files.kind,
        files.file_name,
        files.file_reason_code as reason_code,
        1 as files,
        files.rows_rejected,
        files.received_at as occurred_at,
        cast(null as timestamp with time zone) as deadline_at,
        cast(null as varchar) as suggested_name,
        case
            when whole_file_causes.causes = 1 then whole_file_causes.message_vi
            when whole_file_causes.causes > 1
                then
                    cast(whole_file_causes.causes as varchar)
                    || ' lỗi của cả tệp: xem tệp phản hồi'
            else
                'Hơn một nửa số dòng bị lỗi (' || cast(files.rows_rejected as varchar)
                || ' dòng): cả tệp không được nhận'
        end as detail_vi

    from {{ ref('stg_raw__files') }} as files
    left join whole_file_causes on files.file_id = whole_file_causes.file_id
    where not files.is_accepted and files.kind is not null and files.week is not null

),

misnamed_files as (

    select
        filed_week as week,
        province_code,
        5 as finding_order,
        'invalid_file_name' as finding,
        cast(null as varchar) as kind,
        file_name,
        'invalid_file_name' as reason_code,
        1 as files,
        cast(null as integer) as rows_rejected,
        received_at as occurred_at,
        cast(null as timestamp with time zone) as deadline_at,
        suggested_name,
        case
            when suggested_name is not null then 'Đổi tên thành ' || suggested_name
            else 'Không đọc được loại báo cáo hoặc tuần từ tên tệp'
        end as detail_vi

    from {{ ref('stg_raw__files') }}
    where kind is null

),

rejected_rows as (

    select
        status.week,
        status.province_code,
        6 as finding_order,
        'rows_rejected' as finding,
        status.kind,
        status.file_name,
        rejections.reason_code,
        1 as files,
        cast(count(distinct rejections.source_row) as integer) as rows_rejected,
        cast(null as timestamp with time zone) as occurred_at,
        cast(null as timestamp with time zone) as deadline_at,
        cast(null as varchar) as suggested_name,
        cast(count(distinct rejections.source_row) as varchar) || ' dòng của tệp đang có hiệu lực '
        || status.file_name || ' bị từ chối' as detail_vi

    from {{ ref('submission_status') }} as status
    inner join {{ ref('stg_raw__rejections') }} as rejections on status.file_id = rejections.file_id
    where rejections.source_row is not null
    group by status.week, status.province_code, status.kind, status.file_name, rejections.reason_code

),

findings as (

    select * from ingest_failed
    union all
    select * from missing_kinds
    union all
    select * from late_kinds
    union all
    select * from rejected_files
    union all
    select * from misnamed_files
    union all
    select * from rejected_rows

)

select
    cast(findings.week as varchar) as week,
    cast(findings.province_code as varchar) as province_code,
    cast(provinces.province_name as varchar) as province_name,
    cast(findings.finding_order as integer) as finding_order,
    cast(findings.finding as varchar) as finding,
    cast(findings.kind as varchar) as kind,
    cast(kinds.label_vi as varchar) as kind_label_vi,
    cast(kinds.sort_order as integer) as kind_order,
    cast(findings.file_name as varchar) as file_name,
    cast(findings.reason_code as varchar) as reason_code,
    cast(reasons.label_vi as varchar) as reason_label_vi,
    cast(findings.files as integer) as files,
    cast(findings.rows_rejected as integer) as rows_rejected,
    cast(findings.occurred_at as timestamp with time zone) as occurred_at,
    cast(findings.deadline_at as timestamp with time zone) as deadline_at,
    cast(findings.suggested_name as varchar) as suggested_name,
    cast(findings.detail_vi as varchar) as detail_vi,
    cast(
        findings.finding || '|' || coalesce(findings.kind, '') || '|'
        || coalesce(findings.file_name, '') || '|' || coalesce(findings.reason_code, '')
        as varchar
    ) as finding_key

from findings
inner join {{ ref('dim_province') }} as provinces on findings.province_code = provinces.province_code
left join {{ ref('report_kinds') }} as kinds on findings.kind = kinds.kind
left join {{ ref('reason_codes') }} as reasons on findings.reason_code = reasons.reason_code
