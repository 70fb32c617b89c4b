{#-
    Incremental-by-week helpers for the facts.
    A fact row carries source_loaded_at: the newest raw.files.loaded_at among the selected files of
    its kind when it was built. On an incremental run only the weeks whose selected file of that
    kind was loaded after the newest source_loaded_at already in the table are rebuilt
    (delete+insert on week); --full-refresh rebuilds every week with the same SQL.
    A week rebuilt may have no row left (every selected file of the kind is a nil return):
    delete+insert deletes only the weeks its new rows hold, so clear_weeks_to_rebuild, run as a
    pre-hook, empties every week to rebuild first.
-#}
{#- The files in effect of one kind whose rows a fact (re)builds: every one, or on an incremental
    run those of the weeks to rebuild. -#}
{% macro files_in_effect(kind) -%}
    select * from {{ ref('int_report_files_dated') }}
    where kind = '{{ kind }}'
    {%- if is_incremental() %} and week in ({{ weeks_to_rebuild(kind) }}){% endif %}
{%- endmacro %}

{% macro weeks_to_rebuild(kind) -%}
    select distinct selected.week
    from {{ ref('int_report_files_dated') }} as selected
    where
        selected.kind = '{{ kind }}'
        and selected.loaded_at > (
            select coalesce(max(built.source_loaded_at), cast('1970-01-01 00:00:00+00' as timestamp with time zone))
            from {{ this }} as built
        )
{%- endmacro %}

{% macro source_watermark(kind) -%}
    (
        select max(selected.loaded_at)
        from {{ ref('int_report_files_dated') }} as selected
        where selected.kind = '{{ kind }}'
    )
{%- endmacro %}

{% macro clear_weeks_to_rebuild(kind) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where week in ({{ weeks_to_rebuild(kind) }})
    {%- endif -%}
{%- endmacro %}
