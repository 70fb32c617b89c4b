{#- The join of two relations on the grain most marts share: one row per province × week. -#}

{% macro province_week_match(left, right) -%}
    {{ left }}.week = {{ right }}.week and {{ left }}.province_code = {{ right }}.province_code
{%- endmacro %}
