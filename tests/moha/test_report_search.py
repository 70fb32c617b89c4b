"""`moha reports search`: accents both ways, đ/d, a phrase across a line break, the section
whose heading holds the words first; over an official_report_items table built from items read
by the pipeline's own reader (the fold the warehouse stores is the intake's)."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from core.vietnamese import plain_words
from moha.cli import app
from moha.report_search import passage, search

ITEMS = [  # week, province, section, heading, ordinal, text
    (
        "2025-W36",
        "01",
        "obstacles",
        "III. Khó khăn, vướng mắc",
        1,
        "Số lượng cấp phó vượt quy định.",
    ),
    ("2025-W36", "01", "proposals", "IV. Đề xuất, kiến nghị", 1, "Đề nghị hướng dẫn về cấp\nphó."),
    ("2025-W35", "79", "results", "2. Kết quả công tác", 1, "Giải quyết vướng mắc về đất đai."),
    ("2025-W35", "79", "situation", "Tình hình chung", 1, "Chính quyền địa phương ổn định."),
    ("2025-W36", "79", "obstacles", "Tồn tại, hạn chế", 1, "Phó chủ tịch xã kiêm nhiệm cấp dưới."),
]
LABELS = {
    "situation": "Tình hình chung",
    "results": "Kết quả thực hiện nhiệm vụ",
    "obstacles": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
}
NAMES = {"01": "Thành phố Hà Nội", "79": "Thành phố Hồ Chí Minh"}


@pytest.fixture
def built(settings):
    settings.warehouse_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.analyst_path)) as con:
        con.execute(
            "create table official_report_items (week varchar, province_code varchar, "
            "province_name varchar, section varchar, section_label_vi varchar, "
            "section_heading varchar, section_heading_folded varchar, item_ordinal integer, "
            "item_text varchar, text_folded varchar)"
        )
        for week, pp, section, heading, ordinal, text in ITEMS:
            con.execute(
                "insert into official_report_items values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    week,
                    pp,
                    NAMES[pp],
                    section,
                    LABELS[section],
                    heading,
                    plain_words(heading),
                    ordinal,
                    text,
                    plain_words(text),
                ],
            )
    return settings


def _where(hits):
    return [(h.province_code, h.week, h.section) for h in hits]


def test_without_accents_finds_accented_text_and_the_other_way(built):
    # the obstacles sections first: their heading (or its SPEC label) says "vướng mắc"
    assert _where(search(built, "vuong mac")) == [
        ("01", "2025-W36", "obstacles"),
        ("79", "2025-W36", "obstacles"),
        ("79", "2025-W35", "results"),
    ]
    assert _where(search(built, "VƯỚNG MẮC")) == _where(search(built, "vuong mac"))
    assert _where(search(built, "chinh quyen")) == [("79", "2025-W35", "situation")]


def test_d_folds_to_d_with_stroke(built):
    assert _where(search(built, "dia phuong")) == [("79", "2025-W35", "situation")]
    assert _where(search(built, "đất đai")) == _where(search(built, "dat dai"))


def test_a_phrase_across_a_line_break_is_found(built):
    hits = search(built, "cấp phó", section="proposals")
    assert _where(hits) == [("01", "2025-W36", "proposals")]
    assert hits[0].passage == "Đề nghị hướng dẫn về cấp phó."


def test_the_whole_phrase_ranks_before_scattered_words(built):
    # "Phó chủ tịch xã kiêm nhiệm cấp dưới" holds both words, apart
    assert _where(search(built, "cap pho")) == [
        ("01", "2025-W36", "obstacles"),
        ("01", "2025-W36", "proposals"),
        ("79", "2025-W36", "obstacles"),
    ]
    # no item's text holds those words: the proposals section's heading does
    assert _where(search(built, "kien nghi de xuat")) == [("01", "2025-W36", "proposals")]


def test_heading_words_put_their_section_first(built):
    with duckdb.connect(str(built.analyst_path)) as con:
        con.execute(
            "insert into official_report_items values ('2025-W37', '01', 'Thành phố Hà Nội', "
            "'results', 'Kết quả thực hiện nhiệm vụ', 'II. Kết quả', 'ii ket qua', 1, "
            "'Tổng hợp các đề xuất kiến nghị của xã.', 'tong hop cac de xuat kien nghi cua xa')"
        )
        con.execute(
            "insert into official_report_items values ('2025-W35', '79', "
            "'Thành phố Hồ Chí Minh', 'proposals', 'Đề xuất, kiến nghị', 'IV. Kiến nghị', "
            "'iv kien nghi', 2, "
            "'Kiến nghị bổ sung kinh phí.', 'kien nghi bo sung kinh phi')"
        )
    hits = search(built, "kiến nghị")
    # the proposals section's items first (its heading says it; the one whose text says it
    # too before the other), though the results item is newer and holds the phrase
    assert _where(hits) == [
        ("79", "2025-W35", "proposals"),
        ("01", "2025-W36", "proposals"),
        ("01", "2025-W37", "results"),
    ]


def test_filters_by_week_province_and_section(built):
    assert _where(search(built, "cap pho", week="2025-W36", province="79")) == [
        ("79", "2025-W36", "obstacles")
    ]
    assert search(built, "cap pho", week="2025-W35") == []


def test_a_long_item_shows_the_passage_around_the_match():
    text = (
        " ".join(f"từ{n}" for n in range(80)) + " vướng mắc " + " ".join("x" * 3 for _ in range(40))
    )
    shown = passage(text, ["vuong", "mac"], width=20)
    assert shown.startswith("… ") and shown.endswith(" …") and "vướng mắc" in shown


def test_the_command_prints_province_week_section_and_passage(built, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["reports", "search", "vuong mac"])
    assert result.exit_code == 0, result.output
    for expected in (
        "Thành phố Hồ Chí Minh (79)",
        "2025-W35",
        "Kết quả thực hiện nhiệm vụ",
        "Giải quyết vướng mắc về đất đai.",
    ):
        assert expected in result.output
