-- One row per value to check again (đề nghị kiểm tra lại), SPEC §3b: warnings for follow-up, never
-- rejections. Each rule is a row of quality_rules (wording, thresholds); each finding names its
-- entity (a commune, a commune × field value, a province total), the value, the expected range
-- and the history it was judged against.
with

coverage_weeks as (

    select
        coverage.week,
        coverage.province_code,
        lag(coverage.week) over (
            partition by coverage.province_code order by weeks.week_start
        ) as previous_week

    from {{ ref('int_commune_coverage') }} as coverage
    inner join {{ ref('dim_week') }} as weeks on coverage.week = weeks.week
    where coverage.communes_reported is not null

),

communes_by_week as (

    select distinct
        week,
        province_code,
        commune_code

    from {{ ref('fct_staffing') }}

),

commune_missing as (

    select
        coverage_weeks.week,
        coverage_weeks.province_code,
        'commune_missing' as rule_id,
        earlier.commune_code,
        cast(null as varchar) as field_code,
        'commune' as measure,
        cast(null as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as expected_low,
        cast(null as {{ type_double() }}) as expected_high,
        'có trong tệp ' || coverage_weeks.previous_week as history

    from coverage_weeks
    inner join communes_by_week as earlier
        on
            coverage_weeks.province_code = earlier.province_code
            and coverage_weeks.previous_week = earlier.week
    left join communes_by_week as now_reported
        on
            {{ province_week_match('coverage_weeks', 'now_reported') }}
            and earlier.commune_code = now_reported.commune_code
    where now_reported.commune_code is null

),

value_outlier as (

    select
        values_checked.week,
        values_checked.province_code,
        rules.rule_id,
        values_checked.commune_code,
        values_checked.field_code,
        values_checked.measure,
        cast(values_checked.value as {{ type_double() }}) as value,
        values_checked.history_median
        - rules.threshold * values_checked.history_mad / 0.6745 as expected_low,
        values_checked.history_median
        + rules.threshold * values_checked.history_mad / 0.6745 as expected_high,
        values_checked.history_values || ' (' || values_checked.history_from || '–'
        || values_checked.history_to || ')' as history

    from {{ ref('int_staffing_value_history') }} as values_checked
    inner join {{ ref('quality_rules') }} as rules on rules.rule_id = 'value_outlier'
    where
        values_checked.history_weeks >= rules.min_history
        and abs(values_checked.modified_z) > rules.threshold
        and abs(values_checked.value - values_checked.history_median) > rules.min_change

),

flat_value_changed as (

    select
        values_checked.week,
        values_checked.province_code,
        rules.rule_id,
        values_checked.commune_code,
        values_checked.field_code,
        values_checked.measure,
        cast(values_checked.value as {{ type_double() }}) as value,
        values_checked.history_median - greatest(
            rules.threshold * values_checked.history_median, rules.min_change
        ) as expected_low,
        values_checked.history_median + greatest(
            rules.threshold * values_checked.history_median, rules.min_change
        ) as expected_high,
        values_checked.history_values || ' (' || values_checked.history_from || '–'
        || values_checked.history_to || ')' as history

    from {{ ref('int_staffing_value_history') }} as values_checked
    inner join {{ ref('quality_rules') }} as rules on rules.rule_id = 'flat_value_changed'
    where
        values_checked.history_weeks >= rules.min_history
        and values_checked.history_mad = 0
        and abs(values_checked.value - values_checked.history_median)
        > rules.threshold * values_checked.history_median
        and abs(values_checked.value - values_checked.history_median) > rules.min_change

),

filled_over_approved as (

    select
        staffing.week,
        staffing.province_code,
        rules.rule_id,
        staffing.commune_code,
        staffing.field_code,
        'filled_posts' as measure,
        cast(staffing.filled_posts as {{ type_double() }}) as value,
        cast(0 as {{ type_double() }}) as expected_low,
        rules.threshold * staffing.approved_posts as expected_high,
        'biên chế được giao ' || cast(staffing.approved_posts as varchar) as history

    from {{ ref('fct_staffing') }} as staffing
    inner join {{ ref('quality_rules') }} as rules on rules.rule_id = 'filled_over_approved'
    where staffing.filled_posts > rules.threshold * staffing.approved_posts

),

field_medians as (

    select
        week,
        province_code,
        field_code,
        {{ median('approved_posts') }} as province_median

    from {{ ref('fct_staffing') }}
    group by week, province_code, field_code

),

approved_above_province as (

    select
        staffing.week,
        staffing.province_code,
        rules.rule_id,
        staffing.commune_code,
        staffing.field_code,
        'approved_posts' as measure,
        cast(staffing.approved_posts as {{ type_double() }}) as value,
        cast(0 as {{ type_double() }}) as expected_low,
        greatest(
            rules.threshold * field_medians.province_median,
            field_medians.province_median + rules.min_change
        ) as expected_high,
        'trung vị của các xã trong tỉnh ' || cast(field_medians.province_median as varchar)
            as history

    from {{ ref('fct_staffing') }} as staffing
    inner join field_medians
        on
            {{ province_week_match('staffing', 'field_medians') }}
            and staffing.field_code = field_medians.field_code
    inner join {{ ref('quality_rules') }} as rules on rules.rule_id = 'approved_above_province'
    where
        staffing.approved_posts > rules.threshold * field_medians.province_median
        and staffing.approved_posts - field_medians.province_median > rules.min_change

),

province_total_shift as (

    select
        totals_checked.week,
        totals_checked.province_code,
        rules.rule_id,
        cast(null as varchar) as commune_code,
        cast(null as varchar) as field_code,
        totals_checked.measure,
        cast(totals_checked.value as {{ type_double() }}) as value,
        totals_checked.history_median * (1 - rules.threshold) as expected_low,
        totals_checked.history_median * (1 + rules.threshold) as expected_high,
        totals_checked.history_values || ' (' || totals_checked.history_from || '–'
        || totals_checked.history_to || ')' as history

    from {{ ref('int_province_total_history') }} as totals_checked
    inner join {{ ref('quality_rules') }} as rules on rules.rule_id = 'province_total_shift'
    where
        totals_checked.measure in ('approved_posts', 'filled_posts')
        and totals_checked.history_weeks >= rules.min_history
        and abs(totals_checked.value - totals_checked.history_median)
        > rules.threshold * totals_checked.history_median

),

obstacles_fell_unresolved as (

    select
        totals_checked.week,
        totals_checked.province_code,
        rules.rule_id,
        cast(null as varchar) as commune_code,
        cast(null as varchar) as field_code,
        totals_checked.measure,
        cast(totals_checked.value as {{ type_double() }}) as value,
        totals_checked.history_median as expected_low,
        cast(null as {{ type_double() }}) as expected_high,
        totals_checked.history_values || ' (' || totals_checked.history_from
        || '), không có vướng mắc nào được tháo gỡ' as history

    from {{ ref('int_province_total_history') }} as totals_checked
    inner join {{ ref('quality_rules') }} as rules on rules.rule_id = 'obstacles_fell_unresolved'
    where
        totals_checked.measure = 'obstacles_open'
        and totals_checked.value < totals_checked.history_median
        and totals_checked.resolved_since_previous = 0

),

findings as (

    select * from commune_missing
    union all
    select * from value_outlier
    union all
    select * from flat_value_changed
    union all
    select * from filled_over_approved
    union all
    select * from approved_above_province
    union all
    select * from province_total_shift
    union all
    select * from obstacles_fell_unresolved

)

select
    cast(findings.week as varchar) as week,
    cast(findings.province_code as varchar) as province_code,
    cast(provinces.province_name as varchar) as province_name,
    cast(findings.rule_id as varchar) as rule_id,
    cast(rules.sort_order as integer) as rule_order,
    cast(rules.label_vi as varchar) as rule_label_vi,
    cast(rules.entity as varchar) as entity,
    cast(findings.commune_code as varchar) as commune_code,
    cast(communes.commune_name as varchar) as commune_name,
    cast(findings.field_code as varchar) as field_code,
    cast(findings.measure as varchar) as measure,
    cast(findings.value as {{ type_double() }}) as value,
    cast(findings.expected_low as {{ type_double() }}) as expected_low,
    cast(findings.expected_high as {{ type_double() }}) as expected_high,
    cast(findings.history as varchar) as history,
    cast(
        findings.rule_id || '|' || coalesce(findings.commune_code, '') || '|'
        || coalesce(findings.field_code, '') || '|' || findings.measure
        as varchar
    ) as finding_key

from findings
inner join {{ ref('quality_rules') }} as rules on findings.rule_id = rules.rule_id
inner join {{ ref('dim_province') }} as provinces on findings.province_code = provinces.province_code
left join {{ ref('dim_commune') }} as communes on findings.commune_code = communes.commune_code
