{#- Adapter-specific SQL lives here so models read the same on DuckDB and PostgreSQL. -#}

{#- Median (continuous: mean of the two middle values for even counts). -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'moha')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{#- Whole days from start_date to end_date. -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'moha')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    ({{ end_date }} - {{ start_date }})
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{#- ISO week label such as 2025-W35 of a date. -#}
{% macro iso_week_label(date_expression) -%}
    {{ return(adapter.dispatch('iso_week_label', 'moha')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_week_label(date_expression) -%}
    to_char({{ date_expression }}, 'IYYY-"W"IW')
{%- endmacro %}

{% macro duckdb__iso_week_label(date_expression) -%}
    strftime({{ date_expression }}, '%G-W%V')
{%- endmacro %}

{#- The on-time deadline of a week: Monday 12:00 Asia/Ho_Chi_Minh of the next week, as timestamptz. -#}
{% macro week_deadline(week_start) -%}
    {{ return(adapter.dispatch('week_deadline', 'moha')(week_start)) }}
{%- endmacro %}

{% macro default__week_deadline(week_start) -%}
    ((cast({{ week_start }} as date) + 7)::timestamp + interval '12 hours') at time zone 'Asia/Ho_Chi_Minh'
{%- endmacro %}

{% macro duckdb__week_deadline(week_start) -%}
    cast(strftime(cast({{ week_start }} as date) + 7, '%Y-%m-%d') || ' 12:00:00+07:00' as timestamptz)
{%- endmacro %}

{#- Mondays from first_monday to last_monday inclusive, one row each, column week_start. -#}
{% macro mondays_between(first_monday, last_monday) -%}
    {{ return(adapter.dispatch('mondays_between', 'moha')(first_monday, last_monday)) }}
{%- endmacro %}

{% macro default__mondays_between(first_monday, last_monday) -%}
    select cast(series.day as date) as week_start
    from generate_series(
        cast({{ first_monday }} as timestamp),
        cast({{ last_monday }} as timestamp),
        interval '7 days'
    ) as series (day)
{%- endmacro %}

{#- 8-byte floating point type name. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'moha')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}
