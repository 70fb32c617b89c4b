-- Which kinds a province sent for a week and whether each arrived by the deadline
-- (Monday 12:00 Asia/Ho_Chi_Minh of W+1; the earliest accepted file of a kind counts).
with

selected_files as (

    -- the three tables (report_kinds), not the officials' reports (bao_cao)
    select selected.*
    from {{ ref('int_report_files_selected') }} as selected
    inner join {{ ref('report_kinds') }} as kinds on selected.kind = kinds.kind

),

flagged as (

    select
        province_code,
        week,
        kind,
        first_received_at <= {{ week_deadline('week_start') }} as is_on_time

    from selected_files

),

summarised as (

    select
        province_code,
        week,
        count(*) as files_received,
        count(*) filter (where is_on_time) as kinds_on_time,
        count(*) filter (where kind = 'staffing') > 0 as has_staffing,
        count(*) filter (where kind = 'secondments') > 0 as has_secondments,
        count(*) filter (where kind = 'obstacles') > 0 as has_obstacles

    from flagged
    group by province_code, week

)

select
    province_code,
    week,
    cast(files_received as integer) as files_received,
    cast(kinds_on_time as integer) as kinds_on_time,
    kinds_on_time = 3 as is_on_time,
    has_staffing,
    has_secondments,
    has_obstacles

from summarised
