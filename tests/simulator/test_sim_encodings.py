"""Windows-1258 writing: base letters precomposed, tone marks combining, NFC back after decoding."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from simulator.encodings import csv_bytes, encode_cp1258

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
LETTERS = [
    unicodedata.normalize("NFC", base + tone)
    for vowel in VOWELS
    for base in (vowel, vowel.upper())
    for tone in TONES
] + ["đ", "Đ"]


def test_every_vietnamese_letter_round_trips():
    text = "".join(LETTERS)
    decoded = encode_cp1258(text).decode("cp1258")
    assert unicodedata.normalize("NFC", decoded) == text


def test_base_letters_stay_precomposed_and_tones_combine():
    assert encode_cp1258("ế") == "ê".encode("cp1258") + b"\xec"  # ê + combining acute
    assert encode_cp1258("ợ") == "ơ".encode("cp1258") + b"\xf2"  # ơ + combining dot below
    assert encode_cp1258("ặ") == "ă".encode("cp1258") + b"\xf2"
    assert encode_cp1258("ã") == b"a\xde"  # a + combining tilde
    assert encode_cp1258("đá") == "đá".encode("cp1258")  # directly encodable: one byte each


def test_characters_outside_the_code_page_become_question_marks():
    # a planted full-width count in a Windows-1258 CSV: still not a number, as Excel saves it
    assert encode_cp1258("１２") == b"??"
    assert encode_cp1258("１２ xã") == b"?? x" + encode_cp1258("ã")


def test_nfd_input_is_encoded_like_nfc():
    text = "Nguyễn Thị Hương, Văn hóa - Thông tin"
    assert encode_cp1258(unicodedata.normalize("NFD", text)) == encode_cp1258(text)


@given(st.text(alphabet=[*LETTERS, " ", ",", "-", "1", "b", "c", "n", "g", "h", "t"], max_size=60))
def test_round_trip_property(text):
    decoded = encode_cp1258(text).decode("cp1258")
    assert unicodedata.normalize("NFC", decoded) == unicodedata.normalize("NFC", text)


def test_csv_bytes_header_on_line_one():
    data = csv_bytes(["Mã xã", "Lĩnh vực"], [["4", "Đất đai - Địa chính"]], "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == ["Mã xã,Lĩnh vực", "4,Đất đai - Địa chính"]
