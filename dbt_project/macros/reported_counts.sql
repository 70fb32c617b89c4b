{#- A province's counts of one kind (staffing, secondments, obstacles), one column each: null when
    no file of the kind was accepted for the week (never 0, never carried forward), else the count,
    0 when the file had none. -#}

{% macro reported_counts(is_reported, columns, type='bigint') -%}
    {%- for column in columns -%}
        cast(case when {{ is_reported }} then coalesce({{ column }}, 0) end as {{ type }}) as {{ column }}
        {%- if not loop.last %},
        {% endif -%}
    {%- endfor -%}
{%- endmacro %}
