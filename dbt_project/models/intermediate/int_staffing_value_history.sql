-- Each accepted commune × field value (approved and filled posts) of a cell whose value changed at
-- some point, beside the same cell's own last accepted values (the window of
-- quality_rules.value_outlier): how many, their median, their median absolute deviation (MAD),
-- the values in week order, and the modified z-score 0.6745 × (value − median) ÷ MAD (null when
-- the history is flat: MAD = 0).
with

rules as (

    select * from {{ ref('quality_rules') }}
    where rule_id = 'value_outlier'

),

values_long as (

    {{ posts_by_measure(ref('fct_staffing'), ['week', 'week_start', 'province_code', 'commune_code', 'field_code']) }}

),

numbered as (

    select
        *,
        row_number() over (
            partition by province_code, commune_code, field_code, measure
            order by week_start
        ) as value_number,
        min(value) over (
            partition by province_code, commune_code, field_code, measure
        ) as cell_min,
        max(value) over (
            partition by province_code, commune_code, field_code, measure
        ) as cell_max

    from values_long

),

-- a cell whose value never changed cannot stand out from its history: left out (most cells)
changing as (

    select * from numbered
    where cell_min < cell_max

),

history as (

    {{ past_values(
        'changing',
        series=['province_code', 'commune_code', 'field_code', 'measure'],
        columns=['week', 'province_code', 'commune_code', 'field_code', 'measure']
    ) }}

),

medians as (

    select
        week,
        province_code,
        commune_code,
        field_code,
        measure,
        {{ history_summary() }}

    from history
    group by week, province_code, commune_code, field_code, measure

),

deviations as (

    select
        history.week,
        history.province_code,
        history.commune_code,
        history.field_code,
        history.measure,
        {{ median('abs(history.past_value - medians.history_median)') }} as history_mad

    from history
    inner join medians
        on {{ cell_value_match('history', 'medians') }}
    group by
        history.week, history.province_code, history.commune_code, history.field_code,
        history.measure

)

select
    changing.week,
    changing.week_start,
    changing.province_code,
    changing.commune_code,
    changing.field_code,
    changing.measure,
    changing.value,
    medians.history_weeks,
    cast(medians.history_median as {{ type_double() }}) as history_median,
    cast(deviations.history_mad as {{ type_double() }}) as history_mad,
    medians.history_from,
    medians.history_to,
    medians.history_values,
    case
        when deviations.history_mad > 0
            then 0.6745 * (changing.value - medians.history_median) / deviations.history_mad
    end as modified_z

from changing
inner join medians
    on {{ cell_value_match('changing', 'medians') }}
inner join deviations on {{ cell_value_match('changing', 'deviations') }}
