{#- The join of two relations on the grain most marts share: one row per province × week. -#}

{% macro province_week_match(left, right) -%}
    {{ left }}.week = {{ right }}.week and {{ left }}.province_code = {{ right }}.province_code
{%- endmacro %}

{#- The join on one value of a commune × field cell in a week: its measure (approved or filled posts). -#}

{% macro cell_value_match(left, right) -%}
    {{ province_week_match(left, right) }}
    and {{ left }}.commune_code = {{ right }}.commune_code
    and {{ left }}.field_code = {{ right }}.field_code
    and {{ left }}.measure = {{ right }}.measure
{%- endmacro %}
