{#- Staffing posts one row per measure: the ``keys`` of each row of ``relation``, the measure's name
    (approved_posts, filled_posts) and its value, where the value is known. -#}

{% macro posts_by_measure(relation, keys) -%}
    {%- for measure in ['approved_posts', 'filled_posts'] -%}
        select
            {{ keys | join(', ') }},
            '{{ measure }}' as measure,
            {{ measure }} as value
        from {{ relation }}
        where {{ measure }} is not null
        {%- if not loop.last %}
            union all
        {% endif -%}
    {%- endfor -%}
{%- endmacro %}
