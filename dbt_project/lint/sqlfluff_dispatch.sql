{#-
    Lint-only (sqlfluff, not a dbt macro path): sqlfluff's jinja templater has no `adapter`, so the
    dispatching macros of macros/cross_db.sql are redefined here to render their DuckDB variants.
-#}
{% macro median(expression) -%}{{ duckdb__median(expression) }}{%- endmacro %}
{% macro days_between(start_date, end_date) -%}{{ duckdb__days_between(start_date, end_date) }}{%- endmacro %}
{% macro iso_week_label(date_expression) -%}{{ duckdb__iso_week_label(date_expression) }}{%- endmacro %}
{% macro week_deadline(week_start) -%}{{ duckdb__week_deadline(week_start) }}{%- endmacro %}
{% macro mondays_between(first_monday, last_monday) -%}
    {{ default__mondays_between(first_monday, last_monday) }}
{%- endmacro %}
{% macro type_double() -%}{{ duckdb__type_double() }}{%- endmacro %}
