{%- set compared = [
    'approved_posts', 'filled_posts', 'vacancies', 'surplus', 'communes_short', 'vacancy_rate',
    'active_secondments', 'active_secondments_bo', 'active_secondments_tinh', 'secondments_started',
    'obstacles_raised', 'obstacles_resolved', 'obstacles_open', 'obstacles_escalated',
    'obstacles_waiting_ministry', 'obstacles_waiting_government', 'resolution_rate',
    'median_days_to_resolve', 'on_time', 'provinces_reporting_staffing',
    'provinces_reporting_secondments', 'provinces_reporting_obstacles'
] -%}
{%- set doubles = ['vacancy_rate', 'resolution_rate', 'median_days_to_resolve'] -%}
{#- Counts over the facts of a kind: 0 when some province sent the kind (a nil return included),
    null when none did. -#}
{%- set counted_when_reported = [
    ('ministry_secondments', 'ministry_secondments_started', 'secondments'),
    ('ministry_secondments', 'ministry_secondments_ended', 'secondments'),
    ('obstacles', 'obstacles_waiting_ministry', 'obstacles'),
    ('obstacles', 'obstacles_waiting_government', 'obstacles'),
    ('obstacles', 'obstacles_listed', 'obstacles'),
    ('obstacles', 'obstacles_resolved_to_date', 'obstacles'),
] -%}
-- One row per week of dim_week: the national headline figures, how many provinces each kind
-- covers, the ministry's seconded officials, the obstacle backlog by level, and for each figure
-- the previous week's value and the change (null when either week has no value).
with

obstacles as (

    select
        week,
        count(*) filter (where raised_date <= cast(week_start + 6 as date)) as obstacles_listed,
        count(*) filter (
            where raised_date <= cast(week_start + 6 as date) and not is_open_at_week_end
        ) as obstacles_resolved_to_date,
        count(*) filter (where is_open_at_week_end and resolution_level = 'bo')
            as obstacles_waiting_ministry,
        count(*) filter (where is_open_at_week_end and resolution_level = 'chinh_phu')
            as obstacles_waiting_government

    from {{ ref('fct_obstacles') }}
    group by week

),

ministry_secondments as (

    select
        week,
        count(*) filter (where is_started_in_week) as ministry_secondments_started,
        count(*) filter (
            where status != 'huy' and end_date between week_start and cast(week_start + 6 as date)
        ) as ministry_secondments_ended

    from {{ ref('fct_secondments') }}
    where origin_level = 'bo'
    group by week

),

submissions as (

    select
        week,
        count(distinct province_code) filter (where is_late) as provinces_late,
        count(distinct province_code) filter (where is_missing) as provinces_missing

    from {{ ref('submission_status') }}
    group by week

),

figures as (

    select
        weeks.week,
        weeks.week_start,
        weeks.week_end,
        nation.approved_posts,
        nation.filled_posts,
        nation.vacancies,
        nation.surplus,
        nation.communes_short,
        cast(nation.vacancies as {{ type_double() }}) / nullif(nation.approved_posts, 0)
            as vacancy_rate,
        nation.active_secondments,
        nation.active_secondments_bo,
        nation.active_secondments_tinh,
        nation.secondments_started,
        {%- for source, column, kind in counted_when_reported %}
            case
                when nation.provinces_reporting_{{ kind }} > 0
                    then coalesce({{ source }}.{{ column }}, 0)
            end as {{ column }},
        {%- endfor %}
        nation.obstacles_raised,
        nation.obstacles_resolved,
        nation.obstacles_open,
        nation.obstacles_escalated,
        cast(obstacles.obstacles_resolved_to_date as {{ type_double() }})
        / nullif(obstacles.obstacles_listed, 0) as resolution_rate,
        nation.median_days_to_resolve,
        nation.files_received,
        nation.on_time,
        coalesce(submissions.provinces_late, 0) as provinces_late,
        coalesce(submissions.provinces_missing, 0) as provinces_missing,
        nation.provinces_reporting_staffing,
        nation.provinces_reporting_secondments,
        nation.provinces_reporting_obstacles,
        nation.communes_reported,
        nation.communes_total,
        case
            when weeks.week_start > cast('{{ var("ministry_programme_end") }}' as date) then 'ended'
            when weeks.week_end < cast('{{ var("ministry_programme_start") }}' as date) then 'not_started'
            else 'running'
        end as ministry_programme_status

    from {{ ref('dim_week') }} as weeks
    inner join {{ ref('national_weekly') }} as nation on weeks.week = nation.week
    left join obstacles on weeks.week = obstacles.week
    left join ministry_secondments on weeks.week = ministry_secondments.week
    left join submissions on weeks.week = submissions.week

),

compared as (

    select
        *,
        {%- for column in compared %}
            lag({{ column }}) over (order by week_start) as prev_{{ column }},
        {%- endfor %}
        lag(week) over (order by week_start) as previous_week

    from figures

)

select
    cast(week as varchar) as week,
    cast(week_start as date) as week_start,
    cast(approved_posts as bigint) as approved_posts,
    cast(filled_posts as bigint) as filled_posts,
    cast(vacancies as bigint) as vacancies,
    cast(surplus as bigint) as surplus,
    cast(communes_short as bigint) as communes_short,
    cast(vacancy_rate as {{ type_double() }}) as vacancy_rate,
    cast(active_secondments as bigint) as active_secondments,
    cast(active_secondments_bo as bigint) as active_secondments_bo,
    cast(active_secondments_tinh as bigint) as active_secondments_tinh,
    cast(secondments_started as bigint) as secondments_started,
    cast(ministry_secondments_started as bigint) as ministry_secondments_started,
    cast(ministry_secondments_ended as bigint) as ministry_secondments_ended,
    cast(ministry_programme_status as varchar) as ministry_programme_status,
    cast('{{ var("ministry_programme_start") }}' as date) as ministry_programme_start,
    cast('{{ var("ministry_programme_end") }}' as date) as ministry_programme_end,
    cast(obstacles_raised as bigint) as obstacles_raised,
    cast(obstacles_resolved as bigint) as obstacles_resolved,
    cast(obstacles_open as bigint) as obstacles_open,
    cast(obstacles_escalated as bigint) as obstacles_escalated,
    cast(obstacles_waiting_ministry as bigint) as obstacles_waiting_ministry,
    cast(obstacles_waiting_government as bigint) as obstacles_waiting_government,
    cast(obstacles_listed as bigint) as obstacles_listed,
    cast(obstacles_resolved_to_date as bigint) as obstacles_resolved_to_date,
    cast(resolution_rate as {{ type_double() }}) as resolution_rate,
    cast(median_days_to_resolve as {{ type_double() }}) as median_days_to_resolve,
    cast(files_received as integer) as files_received,
    cast(on_time as integer) as on_time,
    cast(provinces_late as integer) as provinces_late,
    cast(provinces_missing as integer) as provinces_missing,
    cast(provinces_reporting_staffing as integer) as provinces_reporting_staffing,
    cast(provinces_reporting_secondments as integer) as provinces_reporting_secondments,
    cast(provinces_reporting_obstacles as integer) as provinces_reporting_obstacles,
    cast(communes_reported as integer) as communes_reported,
    cast(communes_total as integer) as communes_total,
    {%- for column in compared %}
        {%- set column_type = type_double() if column in doubles else 'bigint' %}
        cast(prev_{{ column }} as {{ column_type }}) as prev_{{ column }},
        cast({{ column }} - prev_{{ column }} as {{ column_type }}) as change_{{ column }},
    {%- endfor %}
    cast(previous_week as varchar) as previous_week

from compared
