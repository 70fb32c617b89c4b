-- One row per province × week of dim_week: data quality as a weekly series (SPEC §3b) —
-- completeness (kinds received, communes in the staffing file), timeliness, the share of rows
-- sent that were rejected, and the values flagged for follow-up.
with

files as (

    select
        week,
        province_code,
        sum(rows_accepted + rows_rejected) as rows_sent,
        sum(rows_rejected) as rows_rejected

    from {{ ref('stg_raw__files') }}
    where kind is not null and week is not null
    group by week, province_code

),

findings as (

    select
        week,
        province_code,
        count(*) as findings

    from {{ ref('data_quality_findings') }}
    group by week, province_code

)

select
    cast(province_rows.week as varchar) as week,
    cast(province_rows.province_code as varchar) as province_code,
    cast(province_rows.province_name as varchar) as province_name,
    cast(province_rows.files_received as integer) as files_received,
    cast(province_rows.on_time as boolean) as on_time,
    cast(province_rows.communes_reported as integer) as communes_reported,
    cast(province_rows.communes_total as integer) as communes_total,
    cast(
        cast(province_rows.communes_reported as {{ type_double() }})
        / nullif(province_rows.communes_total, 0) as {{ type_double() }}
    ) as commune_coverage,
    cast(coalesce(files.rows_sent, 0) as bigint) as rows_sent,
    cast(coalesce(files.rows_rejected, 0) as bigint) as rows_rejected,
    cast(
        cast(files.rows_rejected as {{ type_double() }}) / nullif(files.rows_sent, 0)
        as {{ type_double() }}
    ) as rejection_rate,
    cast(coalesce(findings.findings, 0) as integer) as findings

from {{ ref('province_weekly') }} as province_rows
left join files on {{ province_week_match('province_rows', 'files') }}
left join findings
    on {{ province_week_match('province_rows', 'findings') }}
