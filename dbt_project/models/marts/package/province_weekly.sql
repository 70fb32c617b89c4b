-- One row per province × week of dim_week: all 34 provinces always present. A kind with no
-- accepted file for the week leaves its metrics null (never 0, never carried forward). After the
-- SPEC §3 columns, commune coverage (SPEC §3b): communes reported of the province's communes.
with

staffing as (

    select
        week,
        province_code,
        sum(approved_posts) as approved_posts,
        sum(filled_posts) as filled_posts,
        sum(vacancies) as vacancies,
        sum(surplus) as surplus,
        count(distinct case when vacancies > 0 then commune_code end) as communes_short

    from {{ ref('fct_staffing') }}
    group by week, province_code

),

secondments as (

    select
        week,
        province_code,
        count(*) filter (where is_active) as active_secondments,
        count(*) filter (where is_active and origin_level = 'bo') as active_secondments_bo,
        count(*) filter (where is_active and origin_level = 'tinh') as active_secondments_tinh,
        count(*) filter (where is_started_in_week) as secondments_started

    from {{ ref('fct_secondments') }}
    group by week, province_code

),

obstacles as (

    select
        week,
        province_code,
        count(*) filter (where is_raised_in_week) as obstacles_raised,
        count(*) filter (where is_resolved_in_week) as obstacles_resolved,
        count(*) filter (where is_open_at_week_end) as obstacles_open,
        count(*) filter (where is_escalated) as obstacles_escalated,
        {{ median('case when is_resolved_in_week then days_to_resolve end') }}
            as median_days_to_resolve

    from {{ ref('fct_obstacles') }}
    group by week, province_code

),

spine as (

    select
        weeks.week,
        provinces.province_code,
        provinces.province_name

    from {{ ref('dim_week') }} as weeks
    cross join {{ ref('dim_province') }} as provinces

),

joined as (

    select
        spine.week,
        spine.province_code,
        spine.province_name,
        coalesce(completeness.has_staffing, false) as has_staffing,
        coalesce(completeness.has_secondments, false) as has_secondments,
        coalesce(completeness.has_obstacles, false) as has_obstacles,
        coalesce(completeness.files_received, 0) as files_received,
        coalesce(completeness.is_on_time, false) as on_time,
        staffing.approved_posts,
        staffing.filled_posts,
        staffing.vacancies,
        staffing.surplus,
        staffing.communes_short,
        secondments.active_secondments,
        secondments.active_secondments_bo,
        secondments.active_secondments_tinh,
        secondments.secondments_started,
        obstacles.obstacles_raised,
        obstacles.obstacles_resolved,
        obstacles.obstacles_open,
        obstacles.obstacles_escalated,
        obstacles.median_days_to_resolve,
        coverage.communes_reported,
        coverage.communes_total

    from spine
    left join {{ ref('int_report_completeness_summarised') }} as completeness
        on {{ province_week_match('spine', 'completeness') }}
    left join staffing
        on {{ province_week_match('spine', 'staffing') }}
    left join secondments on {{ province_week_match('spine', 'secondments') }}
    left join obstacles
        on {{ province_week_match('spine', 'obstacles') }}
    left join {{ ref('int_commune_coverage') }} as coverage on {{ province_week_match('spine', 'coverage') }}

)

select
    cast(week as varchar) as week,
    cast(province_code as varchar) as province_code,
    cast(province_name as varchar) as province_name,
    {{ reported_counts('has_staffing', ['approved_posts', 'filled_posts', 'vacancies', 'surplus', 'communes_short']) }},
    {{ reported_counts(
        'has_secondments',
        ['active_secondments', 'active_secondments_bo', 'active_secondments_tinh', 'secondments_started']
    ) }},
    {{ reported_counts(
        'has_obstacles', ['obstacles_raised', 'obstacles_resolved', 'obstacles_open', 'obstacles_escalated']
    ) }},
    cast(median_days_to_resolve as {{ type_double() }}) as median_days_to_resolve,
    cast(files_received as integer) as files_received,
    cast(on_time as boolean) as on_time,
    -- SPEC §3b, after the §3 columns: communes the staffing file reports, of the province's
    {{ reported_counts('has_staffing', ['communes_reported'], 'integer') }},
    cast(communes_total as integer) as communes_total

from joined
