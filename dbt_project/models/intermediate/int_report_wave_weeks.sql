-- The weeks of the ministry's secondment waves (var moha_report_waves, from MOHA_REPORT_WAVES):
-- every week of dim_week that overlaps a wave, with the wave it belongs to. A report is expected
-- from every province for each of these weeks.
{%- set waves = [] %}
{%- for wave in var('moha_report_waves').split(',') if wave.strip() %}
    {%- do waves.append(wave.strip().split('..')) %}
{%- endfor %}
with

waves as (

    {%- for wave in waves %}
        select
            {{ loop.index }} as wave_number,
            cast('{{ wave[0] }}' as date) as wave_start,
            cast('{{ wave[1] }}' as date) as wave_end
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select
    weeks.week,
    weeks.week_start,
    weeks.deadline_at,
    waves.wave_number,
    waves.wave_start,
    waves.wave_end

from {{ ref('dim_week') }} as weeks
inner join waves
    on
        weeks.week_start <= waves.wave_end
        and weeks.week_end >= waves.wave_start
