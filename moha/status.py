"""Per-province status of a week, read from the analysts' read-only warehouse copy."""

from __future__ import annotations

from core.settings import Settings
from core.weeks import IsoWeek

STATUS_SQL = """
with files as (
    select
        province_code,
        count(*) filter (where status <> 'rejected') as files_accepted,
        count(*) as files_received,
        coalesce(sum(rows_accepted), 0) as rows_accepted,
        coalesce(sum(rows_rejected), 0) as rows_rejected
    from file_registry
    where week = $week
    group by province_code
)
select
    p.province_code,
    p.province_name,
    coalesce(f.files_received, 0) as files_received,
    coalesce(f.files_accepted, 0) as files_accepted,
    coalesce(f.rows_accepted, 0) as rows_accepted,
    coalesce(f.rows_rejected, 0) as rows_rejected,
    p.on_time
from province_weekly as p
left join files as f on f.province_code = p.province_code
where p.week = $week
order by p.province_code
"""


def week_status(settings: Settings, week: IsoWeek) -> list[dict]:
    """One dict per province; empty when the week has not been built yet."""
    import duckdb

    if not settings.analyst_path.exists():
        return []
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        cursor = con.execute(STATUS_SQL, {"week": str(week)})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
