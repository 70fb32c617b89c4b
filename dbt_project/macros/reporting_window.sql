{#-
    The reporting window (docs/file-contract.md, file names): weeks outside it never become a row of dim_week.
    First Monday: var moha_first_week_start (warehouse/dbt.py passes MOHA_FIRST_WEEK's Monday).
    Last Monday: var moha_last_week_start when set (MOHA_LAST_WEEK), else the Monday after the
    current week on the build's clock, Asia/Ho_Chi_Minh.
-#}
{% macro window_first_monday() -%}
    cast('{{ var("moha_first_week_start") }}' as date)
{%- endmacro %}

{% macro window_last_monday() -%}
    {%- set configured = var("moha_last_week_start") -%}
    {%- if configured -%}
        cast('{{ configured }}' as date)
    {%- else -%}
        {%- set today = modules.datetime.datetime.now(modules.pytz.timezone("Asia/Ho_Chi_Minh")).date() -%}
        {%- set monday = today - modules.datetime.timedelta(days=today.weekday() - 7) -%}
        cast('{{ monday.isoformat() }}' as date)
    {%- endif -%}
{%- endmacro %}
