-- One row per week × province × report kind, all 34 provinces and 3 kinds every week: whether the
-- kind was received (an accepted file), the file in effect, when the first accepted file arrived
-- against the deadline (Monday 12:00 Asia/Ho_Chi_Minh of W+1), and what was rejected. A nil return
-- (a secondments or obstacles file with the header and no data row) is received: "không có …
-- trong tuần".
with

rejected_files as (

    select
        province_code,
        week,
        kind,
        count(*) as rejected_files

    from {{ ref('stg_raw__files') }}
    where not is_accepted and kind is not null and week is not null
    group by province_code, week, kind

),

spine as (

    select
        weeks.week,
        weeks.week_start,
        weeks.deadline_at,
        provinces.province_code,
        provinces.province_name,
        kinds.kind,
        kinds.label_vi as kind_label_vi,
        kinds.sort_order as kind_order

    from {{ ref('dim_week') }} as weeks
    cross join {{ ref('dim_province') }} as provinces
    cross join {{ ref('report_kinds') }} as kinds

),

joined as (

    select
        spine.*,
        selected_files.file_id,
        selected_files.file_name,
        selected_files.version,
        selected_files.first_received_at,
        selected_files.accepted_files,
        selected_file.rows_accepted,
        selected_file.rows_rejected,
        selected_file.file_sha256,
        coalesce(selected_file.is_nil_return, false) as is_nil_return,
        coalesce(rejected_files.rejected_files, 0) as rejected_files,
        selected_files.file_id is not null as is_received,
        coalesce(selected_files.first_received_at <= spine.deadline_at, false) as is_on_time

    from spine
    left join {{ ref('int_report_files_selected') }} as selected_files
        on
            {{ province_week_match('spine', 'selected_files') }}
            and spine.kind = selected_files.kind
    left join {{ ref('stg_raw__files') }} as selected_file on selected_files.file_id = selected_file.file_id
    left join rejected_files on
        {{ province_week_match('spine', 'rejected_files') }}
        and spine.kind = rejected_files.kind

)

select
    cast(week as varchar) as week,
    cast(province_code as varchar) as province_code,
    cast(province_name as varchar) as province_name,
    cast(kind as varchar) as kind,
    cast(kind_label_vi as varchar) as kind_label_vi,
    cast(kind_order as integer) as kind_order,
    cast(is_received as boolean) as is_received,
    cast(is_on_time as boolean) as is_on_time,
    cast(is_received and not is_on_time as boolean) as is_late,
    cast(not is_received as boolean) as is_missing,
    cast(
        case when not is_received then 'missing' when is_on_time then 'on_time' else 'late' end
        as varchar
    ) as status,
    cast(
        case
            when not is_received then 'Chưa nộp'
            when is_on_time then 'Đúng hạn'
            else 'Nộp muộn'
        end as varchar
    ) as status_label_vi,
    cast(file_id as varchar) as file_id,
    cast(file_name as varchar) as file_name,
    cast(version as integer) as version,
    cast(first_received_at as timestamp with time zone) as first_received_at,
    cast(deadline_at as timestamp with time zone) as deadline_at,
    cast(coalesce(accepted_files, 0) as integer) as accepted_files,
    cast(rejected_files as integer) as rejected_files,
    cast(rows_accepted as integer) as rows_accepted,
    cast(rows_rejected as integer) as rows_rejected,
    cast(file_sha256 as varchar) as file_sha256,
    cast(is_nil_return as boolean) as is_nil_return

from joined
