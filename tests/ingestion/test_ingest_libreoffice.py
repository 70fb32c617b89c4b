""".xls and .ods written by LibreOffice are read like .xlsx: same rows, same rejections."""

from __future__ import annotations

import pytest

from tests.support import render
from tests.support.forms import (
    OBSTACLE_HEADER,
    STAFFING_HEADER,
    government_xlsx,
    ingest,
    obstacle_rows,
    staffing_rows,
)
from tests.support.hostile import two_row_header_rows, xlsx_grid

pytestmark = [pytest.mark.slow]

PP = "01"


def convert(tmp_path, xlsx: bytes, stem: str, target: str) -> bytes:
    """``xlsx`` saved by LibreOffice as ``target`` (xls or ods)."""
    source = tmp_path / f"{stem}.xlsx"
    source.write_bytes(xlsx)
    return render.convert(source, tmp_path / target, target, timeout=180).read_bytes()


def rows_of(result) -> list[tuple]:
    return sorted(
        tuple(v for k, v in row.items() if k not in {"file_id", "file_sha256"})
        for row in result.rows
    )


def reasons_of(result) -> list[tuple]:
    return sorted((r["source_row"], r["column_name"], r["reason_code"]) for r in result.rejections)


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_libreoffice_files_load_like_the_xlsx_they_were_saved_from(settings, tmp_path, target):
    staffing = staffing_rows(12)
    staffing[3][4] = "nhiều"  # a rejected row must be rejected alike
    obstacles = obstacle_rows(8)
    obstacles[2][1] = ""  # a blank key inside the table
    forms = {
        "bien_che": government_xlsx(STAFFING_HEADER, staffing).data,
        "vuong_mac": government_xlsx(OBSTACLE_HEADER, obstacles).data,
        "nhan_su": xlsx_grid(*two_row_header_rows(PP, 6)),
    }
    for version, (alias, xlsx) in enumerate(forms.items(), start=2):
        original = ingest(settings, f"{alias}_2025-W35_v{version}.xlsx", xlsx)
        converted = ingest(
            settings,
            f"{alias}_2025-W35_v{version}.{target}",
            convert(tmp_path, xlsx, f"{alias}_{target}", target),
        )
        assert converted.registry["status"] == original.registry["status"] != "rejected"
        assert rows_of(converted) == rows_of(original)
        assert reasons_of(converted) == reasons_of(original)
