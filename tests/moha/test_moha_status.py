"""`moha status` on a built warehouse: a week with an unreadable file, a wrong-province file, a
missing kind and a misnamed file names all four with their reason codes, as a table, for one
province in full, and as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from ingestion.province import process_province
from moha.cli import app
from tests.support.forms import (
    SECONDMENT_HEADER,
    STAFFING_HEADER,
    csv_bytes,
    drop,
    secondment_rows,
    staffing_rows,
)
from warehouse.refresh import refresh

pytestmark = [pytest.mark.slow]

PP = "15"  # Lào Cai
WEEK = "2025-W36"
ON_TIME = datetime(2025, 9, 5, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Lào Cai's 2025-W36: staffing only as an unreadable file, secondments only as Lâm Đồng's
    rows, no obstacles, a misnamed file; Hà Nội complete (staffing only, so two kinds missing)."""
    from core.settings import load_settings

    data = tmp_path_factory.mktemp("status") / "data"
    mp = pytest.MonkeyPatch()
    mp.setenv("MOHA_DATA_DIR", str(data))
    settings = load_settings()
    drop(settings, PP, "bien_che_2025-W36.xlsx", b"PK\x03\x04 truncated upload", ON_TIME)
    theirs = csv_bytes(SECONDMENT_HEADER, secondment_rows(40, "68"))
    drop(settings, PP, "biet_phai_2025-W36.csv", theirs, ON_TIME)
    drop(settings, PP, "bien che 2025 W36 (2).xlsx", b"anything", ON_TIME)
    ours = csv_bytes(STAFFING_HEADER, staffing_rows(10, "01", report="5/9/2025"))
    drop(settings, "01", "bien_che_2025-W36.csv", ours, ON_TIME)
    for code in (PP, "01"):
        process_province(settings, code)
    refresh(settings)
    yield settings
    mp.undo()


def invoke(*args: str):
    result = CliRunner().invoke(app, ["status", "--week", WEEK, *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_week_table_names_all_four_with_their_reason_codes(built):
    out = invoke()
    (block,) = [part for part in out.split("├") if "15 Lào Cai" in part]
    assert "unreadable_file" in block and "bien_che_2025-W36.xlsx" in block
    assert "wrong_province_file" in block and "biet_phai_2025-W36.csv" in block
    assert "missing: obstacles" in block
    assert "missing: staffing (1 file(s) rejected)" in block
    assert "invalid_file_name" in block and "bien che 2025 W36 (2).xlsx" in block
    assert "rename to" in block and "bien_che_2025-W36_v2.xlsx" in block
    assert "incomplete" in block and "0/3" in block
    assert out.count("missing: staffing, secondments, obstacles") == 32  # nobody else sent


def test_one_province_in_full_gives_the_vietnamese_reasons(built):
    out = invoke("--province", "15")
    assert "Không đọc được tệp" in out
    assert "Lâm Đồng" in out  # the wrong-province message names whose rows they are
    assert "Đổi tên thành bien_che_2025-W36_v2.xlsx" in out
    assert "report kinds" in out and "Chưa nộp" in out
    assert "01 Thành phố Hà Nội" not in out


def test_json_carries_the_same_findings(built):
    document = json.loads(invoke("--json", "--province", "15"))
    (province,) = document["provinces"]
    assert document["week"] == WEEK and province["status"] == "incomplete"
    reasons = {(f["finding"], f["kind"], f["reason_code"]) for f in province["why"]}
    assert reasons == {
        ("kind_missing", "staffing", None),
        ("kind_missing", "secondments", None),
        ("kind_missing", "obstacles", None),
        ("file_rejected", "staffing", "unreadable_file"),
        ("file_rejected", "secondments", "wrong_province_file"),
        ("invalid_file_name", None, "invalid_file_name"),
    }
    assert [k["status"] for k in province["kinds"]] == ["missing", "missing", "missing"]
    assert (province["files_received"], province["files_rejected"], province["files_misnamed"]) == (
        3,
        2,
        1,
    )
    everyone = json.loads(invoke("--json"))["provinces"]
    assert len(everyone) == 34
    hanoi = next(p for p in everyone if p["province_code"] == "01")
    assert hanoi["kinds_received"] == 1 and hanoi["rows_accepted"] == 10


def test_a_week_not_built_exits_1(built):
    result = CliRunner().invoke(app, ["status", "--week", "2024-W01"])
    assert result.exit_code == 1 and "not built yet" in result.output
