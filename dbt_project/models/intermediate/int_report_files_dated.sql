-- The head every fact shares: each file in effect with its week's Monday and Sunday, the
-- lineage (file, version) its rows carry, and when it was loaded (the facts' watermark).
select
    kind,
    province_code,
    week,
    week_start,
    cast(week_start + 6 as date) as week_end,
    file_id,
    version,
    loaded_at

from {{ ref('int_report_files_selected') }}
