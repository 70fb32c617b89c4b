"""Untrusted files within limits: the workbook preflight, the parsing child, long cells, counts."""

from __future__ import annotations

import dataclasses
import pickle
import time
from pathlib import Path

import psutil
import pytest

from core.settings import load_settings
from core.weeks import IsoWeek
from ingestion.contract.limits import Limits, echo
from ingestion.contract.rejections import Rejection
from ingestion.parsing import isolation
from ingestion.read.readers import Book, read_book
from tests.support.forms import (
    OBSTACLE_HEADER,
    PP,
    STAFFING_HEADER,
    csv_bytes,
    drop,
    government_xlsx,
    ingest,
    obstacle_rows,
    staffing_rows,
)
from tests.support.hostile import (
    big_csv,
    cells_workbook,
    ods_bomb,
    shared_string_bomb,
    undeclared_dimension,
)

WEEK = IsoWeek(2025, 35)
GIB = 1024**3


def parse(tmp_path, data: bytes, name: str = "bien_che_2025-W35.xlsx", **limits):
    path = tmp_path / name
    path.write_bytes(data)
    return isolation.parse_isolated(str(path), name, "staffing", PP, WEEK, Limits(**limits))


# ---- preflight: judged from the zip directory and the sheets' first bytes ---------------------


def too_complex(data: bytes, **limits) -> Rejection:
    rejection = read_book(data, "bien_che_2025-W35.xlsx", Limits(**limits))
    assert isinstance(rejection, Rejection) and rejection.code == "file_too_complex"
    return rejection


def test_a_declared_dimension_over_the_limit_is_measured():
    message = too_complex(cells_workbook("XFD1048576")).message_vi
    assert "Trang tính «Sheet1»" in message and "XFD1048576 (17.179.869.184 ô)" in message
    assert "(32.768.000 ô)" in too_complex(cells_workbook("XFD2000")).message_vi


def test_a_zip_bomb_is_measured_by_its_ratio():
    message = too_complex(shared_string_bomb(16)).message_vi
    ratio = int(message.split("(tỉ lệ ")[1].split(":")[0].replace(".", ""))
    assert ratio > 100
    assert "(tỉ lệ " in too_complex(ods_bomb(16)).message_vi


def test_uncompressed_size_over_the_limit():
    rejection = too_complex(shared_string_bomb(16), max_uncompressed_bytes=10 * 2**20)
    assert "vượt quá mức cho phép 10 MB" in rejection.message_vi


def test_real_forms_pass_the_preflight():
    form = government_xlsx(STAFFING_HEADER, staffing_rows(2_000)).data
    assert isinstance(read_book(form, "bien_che_2025-W35.xlsx"), Book)
    broken = read_book(b"PK\x03\x04 not a zip", "bien_che_2025-W35.xlsx")
    assert broken.code == "unreadable_file"  # the reader says why


# ---- the parsing child ------------------------------------------------------------------------


def test_the_5kb_xfd1048576_workbook_is_rejected_fast_and_small(tmp_path):
    data = cells_workbook("XFD1048576")
    assert len(data) < 6_000
    started = time.perf_counter()
    parsed = parse(tmp_path, data)
    assert time.perf_counter() - started < 5
    assert parsed.validation.file_reason_code == "file_too_complex"
    assert "17.179.869.184 ô" in parsed.validation.rejections[0].message_vi
    assert isolation.last_max_rss_kib() * 1024 < GIB


@pytest.mark.slow
def test_the_memory_cap_stops_a_reader_that_allocates_without_limit(tmp_path):
    """With the preflight off, calamine asks for 512 GiB: the child dies, the file is rejected."""
    started = time.perf_counter()
    parsed = parse(tmp_path, cells_workbook("A1", "XFD1048576"), max_sheet_cells=10**12)
    assert time.perf_counter() - started < 5
    rejection = parsed.validation.rejections[0]
    assert rejection.code == "file_too_complex"
    assert "cần hơn 2.048 MB bộ nhớ" in rejection.message_vi
    # the next file gets a fresh child
    ok = parse(tmp_path, government_xlsx(STAFFING_HEADER, staffing_rows(3)).data, "ok.xlsx")
    assert ok.validation.rows_accepted == 3


@pytest.mark.slow
def test_a_python_memory_error_rejects_the_file(tmp_path):
    # the budget is what a parse may add to the forked child (its 16 MiB reserve included)
    parsed = parse(tmp_path, big_csv(3), "bien_che_2025-W35.csv", memory_bytes=40 * 2**20)
    assert parsed.validation.file_reason_code == "file_too_complex"
    assert "bộ nhớ" in parsed.validation.rejections[0].message_vi


@pytest.mark.slow
def test_the_time_limit_rejects_a_slow_file(tmp_path):
    started = time.perf_counter()
    parsed = parse(tmp_path, big_csv(4), "bien_che_2025-W35.csv", timeout_seconds=0.3)
    assert time.perf_counter() - started < 5
    rejection = parsed.validation.rejections[0]
    assert rejection.code == "file_too_complex" and "mất hơn 0,3 giây" in rejection.message_vi
    assert "no answer within 0.3 s of starting it" in rejection.message_en


def test_a_reader_panic_is_that_file_only(tmp_path):
    for lie in (True, False):
        parsed = parse(tmp_path, undeclared_dimension(lie))
        assert parsed.validation.file_reason_code == "unreadable_file"
        assert "PanicException" in parsed.validation.rejections[0].message_en


def test_the_forked_child_keeps_no_descriptor_of_its_parent(tmp_path):
    """A lock held while the child is forked is free once the parent lets go (an inherited
    ``flock`` descriptor would hold it: the province's next run waited forever)."""
    from core.locks import FileLock, LockBusy

    isolation.restart()
    with FileLock(tmp_path / "province.lock"):
        ok = parse(tmp_path, government_xlsx(STAFFING_HEADER, staffing_rows(3)).data, "ok.xlsx")
    assert ok.validation.rows_accepted == 3
    try:
        FileLock(tmp_path / "province.lock").acquire(wait_seconds=2).release()
    except LockBusy:
        pytest.fail("the parsing child holds the lock its parent released")
    child = isolation._PARSER._worker
    assert child is not None and child.alive()
    # requests on 0, stderr on 1 and 2 (a stray print must not corrupt the answers), answers on 3
    descriptors = sorted(int(fd.name) for fd in Path(f"/proc/{child.pid}/fd").iterdir())
    assert descriptors == [0, 1, 2, 3]


def test_answers_are_unpickled_from_an_allow_list():
    with pytest.raises(pickle.UnpicklingError, match="not an answer"):
        isolation._loads(pickle.dumps(("ok", dataclasses.replace, 0)))


# ---- cells, counts, messages -----------------------------------------------------------------


@pytest.mark.slow
def test_a_cell_over_131072_chars_rejects_its_row_and_echoes_only_its_start(settings):
    rows = obstacle_rows(6)
    rows[2][4] = "Thiếu cán bộ." * 20_000  # 260,000 characters
    result = ingest(settings, "vuong_mac_2025-W35.csv", csv_bytes(OBSTACLE_HEADER, rows))
    assert result.registry["status"] == "partly_accepted"
    assert result.registry["rows_accepted"] == 5
    (rejection,) = result.rejections
    assert (
        rejection["reason_code"] == "value_too_long" and rejection["column_name"] == "description"
    )
    assert len(rejection["value"]) < 200 and rejection["value"].endswith("(260.000 ký tự)")
    assert len(rejection["message_vi"]) < 500 and "260.000 ký tự" in rejection["message_vi"]


@pytest.mark.slow
def test_duplicate_messages_name_ten_rows_and_count_the_rest(settings):
    rows = staffing_rows(1) * 3_000
    result = ingest(settings, "bien_che_2025-W35.csv", csv_bytes(STAFFING_HEADER, rows))
    assert result.registry["file_reason_code"] == "duplicate_key"
    messages = [r["message_vi"] for r in result.rejections]
    assert len(messages) == 3_000
    assert max(map(len, messages)) < 600
    assert "với các dòng 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 và 2.989 dòng khác" in messages[0]


def test_settings_read_the_limits_from_the_environment():
    settings = load_settings(
        {
            "MOHA_DATA_DIR": "/tmp/x",
            "MOHA_MAX_SHEET_CELLS": "1000",
            "MOHA_MAX_UNCOMPRESSED_MB": "5",
            "MOHA_MAX_COMPRESSION_RATIO": "50",
            "MOHA_MAX_CELL_CHARS": "300",
            "MOHA_MAX_COUNT": "500",
            "MOHA_PARSE_TIMEOUT_SECONDS": "2.5",
            "MOHA_PARSE_MEMORY_MB": "512",
            "MOHA_FIRST_WEEK": "2025-W30",
            "MOHA_LAST_WEEK": "2026-W10",
        }
    )
    limits = Limits.of(settings)
    assert (limits.max_sheet_cells, limits.max_uncompressed_bytes) == (1000, 5 * 2**20)
    assert (limits.max_compression_ratio, limits.max_cell_chars, limits.max_count) == (50, 300, 500)
    assert (limits.timeout_seconds, limits.memory_bytes) == (2.5, 512 * 2**20)
    assert (settings.first_week, settings.last_week) == ("2025-W30", "2026-W10")
    with pytest.raises(ValueError, match="MOHA_MAX_COUNT"):
        load_settings({"MOHA_MAX_COUNT": "0"})


def test_echo_keeps_the_start():
    assert echo("abc") == "abc"
    assert echo("x" * 1000).startswith("x" * 120 + "… (1.000")


def test_the_bombs_cost_one_province_little_memory(settings):
    """The acceptance figures: both files rejected ``file_too_complex``, the pipeline's process
    grows by less than 256 MiB and the parsing child peaks under 1 GiB. (The test process's own
    RSS is not the figure: in a full session it holds every earlier test's imports and data.)"""
    from ingestion.province import process_province

    # a warm process, as a running pipeline is: imports done, the parsing child started, and
    # the child new (its peak RSS is a high-water mark: earlier tests' files must not count)
    isolation.restart()
    drop(settings, "79", "bien_che_2025-W35.csv", csv_bytes(STAFFING_HEADER, staffing_rows(3)))
    process_province(settings, "79")
    drop(settings, PP, "bien_che_2025-W35.xlsx", cells_workbook("XFD1048576"))
    drop(settings, PP, "vuong_mac_2025-W35.xlsx", shared_string_bomb(64))
    before = psutil.Process().memory_info().rss
    outcome = process_province(settings, PP)
    grown = psutil.Process().memory_info().rss - before
    assert [f.file_reason_code for f in outcome.files] == ["file_too_complex"] * 2
    assert grown < GIB // 4, grown
    assert isolation.last_max_rss_kib() * 1024 < GIB
