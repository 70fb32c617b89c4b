-- One row per week × province, all 34 provinces every week: whether the seconded official's
-- report came (an accepted bao_cao file), on time or not (its first accepted file by Monday 12:00
-- of W+1), the version in effect, which sections it has and how many items each; and whether a
-- report was expected (the week overlaps a secondment wave).
with

wave_weeks as (

    select
        week,
        min(wave_number) as wave_number

    from {{ ref('int_report_wave_weeks') }}
    group by week

),

selected_files as (

    select * from {{ ref('int_report_files_selected') }}
    where kind = 'bao_cao'

),

rows_in_effect as (

    select report.*
    from {{ ref('stg_raw__bao_cao') }} as report
    inner join selected_files on report.file_id = selected_files.file_id

),

per_report as (

    select
        file_id,
        count(*) filter (where section = 'situation' and is_heading) > 0 as has_situation,
        count(*) filter (where section = 'results' and is_heading) > 0 as has_results,
        count(*) filter (where section = 'obstacles' and is_heading) > 0 as has_obstacles,
        count(*) filter (where section = 'proposals' and is_heading) > 0 as has_proposals,
        count(*) filter (where section = 'next_week' and is_heading) > 0 as has_next_week,
        count(*) filter (where section = 'situation' and not is_heading) as items_situation,
        count(*) filter (where section = 'results' and not is_heading) as items_results,
        count(*) filter (where section = 'obstacles' and not is_heading) as items_obstacles,
        count(*) filter (where section = 'proposals' and not is_heading) as items_proposals,
        count(*) filter (where section = 'next_week' and not is_heading) as items_next_week

    from rows_in_effect
    group by file_id

),

joined as (

    select
        weeks.week,
        weeks.deadline_at,
        provinces.province_code,
        provinces.province_name,
        wave_weeks.wave_number,
        selected_files.file_name,
        selected_files.version,
        selected_files.first_received_at,
        per_report.*,
        wave_weeks.week is not null as is_expected,
        selected_files.file_id is not null as is_received,
        coalesce(selected_files.first_received_at <= weeks.deadline_at, false) as is_on_time

    from {{ ref('dim_week') }} as weeks
    cross join {{ ref('dim_province') }} as provinces
    left join wave_weeks on weeks.week = wave_weeks.week
    left join selected_files
        on
            weeks.week = selected_files.week
            and provinces.province_code = selected_files.province_code
    left join per_report on selected_files.file_id = per_report.file_id

),

listed as (

    select
        *,
        concat_ws(
            ';',
            case when has_situation then 'situation' end,
            case when has_results then 'results' end,
            case when has_obstacles then 'obstacles' end,
            case when has_proposals then 'proposals' end,
            case when has_next_week then 'next_week' end
        ) as present,
        concat_ws(
            ';',
            case when not has_situation then 'situation' end,
            case when not has_results then 'results' end,
            case when not has_obstacles then 'obstacles' end,
            case when not has_proposals then 'proposals' end,
            case when not has_next_week then 'next_week' end
        ) as missing

    from joined

)

select
    cast(week as varchar) as week,
    cast(province_code as varchar) as province_code,
    cast(province_name as varchar) as province_name,
    cast(wave_number as integer) as wave_number,
    cast(is_expected as boolean) as is_expected,
    cast(is_received as boolean) as is_received,
    cast(is_on_time as boolean) as is_on_time,
    cast(is_expected and not is_received as boolean) as is_missing,
    cast(file_name as varchar) as file_name,
    cast(version as integer) as version,
    cast(first_received_at as timestamp with time zone) as first_received_at,
    cast(deadline_at as timestamp with time zone) as deadline_at,
    cast(case when is_received then present end as varchar) as sections_present,
    cast(case when is_received then missing end as varchar) as sections_missing,
    cast(items_situation as integer) as items_situation,
    cast(items_results as integer) as items_results,
    cast(items_obstacles as integer) as items_obstacles,
    cast(items_proposals as integer) as items_proposals,
    cast(items_next_week as integer) as items_next_week,
    cast(
        items_situation + items_results + items_obstacles + items_proposals + items_next_week
        as integer
    ) as items_total

from listed
