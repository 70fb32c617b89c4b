-- One row per week × province × report kind × reason code: how many rejections (cells, rows or
-- whole files) and in how many files. A file whose name could not be read has no kind and no week
-- of its own; it counts under the week it was filed under (raw.files.filed_week) with kind null.
with

dated as (

    select
        coalesce(rejections.week, files.filed_week) as week,
        rejections.province_code,
        rejections.kind,
        rejections.reason_code,
        rejections.file_id

    from {{ ref('stg_raw__rejections') }} as rejections
    left join {{ ref('stg_raw__files') }} as files on rejections.file_id = files.file_id

),

summarised as (

    select
        week,
        province_code,
        kind,
        reason_code,
        count(*) as rejections,
        count(distinct file_id) as files

    from dated
    where week is not null
    group by week, province_code, kind, reason_code

)

select
    cast(summarised.week as varchar) as week,
    cast(summarised.province_code as varchar) as province_code,
    cast(provinces.province_name as varchar) as province_name,
    cast(summarised.kind as varchar) as kind,
    cast(coalesce(kinds.label_vi, 'Tệp không rõ loại (tên tệp sai)') as varchar) as kind_label_vi,
    cast(summarised.reason_code as varchar) as reason_code,
    cast(coalesce(reasons.label_vi, summarised.reason_code) as varchar) as reason_label_vi,
    cast(summarised.rejections as integer) as rejections,
    cast(summarised.files as integer) as files

from summarised
left join {{ ref('dim_province') }} as provinces on summarised.province_code = provinces.province_code
left join {{ ref('report_kinds') }} as kinds on summarised.kind = kinds.kind
left join {{ ref('reason_codes') }} as reasons on summarised.reason_code = reasons.reason_code
