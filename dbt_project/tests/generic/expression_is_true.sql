{#- Rows for which the boolean expression is false fail the test (nulls pass). -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
