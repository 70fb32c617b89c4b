{#- A value judged against its own history (quality_rules: value_outlier, province_total_shift). -#}

{#- Each value of ``numbered`` beside the values of the same series (the ``series`` columns) in the
    window_weeks of ``rules`` before it (value_number counts a series' values in week order): the
    value's ``columns``, and past_week, past_week_start and past_value. -#}
{% macro past_values(numbered, series, columns, rules='rules') -%}
    select
        current_values.{{ columns | join(', current_values.') }},
        past.week as past_week,
        past.week_start as past_week_start,
        past.value as past_value

    from {{ numbered }} as current_values
    cross join {{ rules }}
    inner join {{ numbered }} as past
        on
            {% for key in series %}current_values.{{ key }} = past.{{ key }} and {% endfor %}
            past.value_number between current_values.value_number - {{ rules }}.window_weeks
            and current_values.value_number - 1
{%- endmacro %}

{#- Over a value's past values (past_values): how many, their median, the first and last week and
    the values in week order. -#}
{% macro history_summary() -%}
    count(*) as history_weeks,
    cast({{ median('past_value') }} as {{ type_double() }}) as history_median,
    min(past_week) as history_from,
    max(past_week) as history_to,
    string_agg(cast(past_value as varchar), ', ' order by past_week_start) as history_values
{%- endmacro %}
