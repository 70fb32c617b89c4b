"""Guards on what leaves the ministry: no personal-data columns, no formula-like text cells."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from core.formulas import neutralise_text
from publishing.errors import PersonalDataError

# Column names (normalised: no diacritics, lower case, "_" separators) that must never be published.
_FORBIDDEN = re.compile(
    r"(^|_)(full_?name|official_?id|ho_?ten|ho_va_ten|ma_can_bo|ten_can_bo|can_bo_id|"
    r"assignment_?id|ma_biet_phai|cccd|cmnd|so_dinh_danh|date_of_birth|ngay_sinh)($|_)"
)


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFD", str(name)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def personal_columns(columns: Iterable[str]) -> list[str]:
    """The columns whose names look like names or official/personal ids."""
    return [c for c in columns if _FORBIDDEN.search(_normalise(c))]


def assert_no_personal_data(tables: dict[str, pd.DataFrame]) -> None:
    """Refuse to publish when a table has a column named like full_name/official_id/họ tên."""
    found = {name: personal_columns(frame.columns) for name, frame in tables.items()}
    found = {name: cols for name, cols in found.items() if cols}
    if found:
        raise PersonalDataError(f"personal data columns must not be published: {found}")


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with formula-like text neutralised in text columns; numeric columns untouched."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out[column] = out[column].map(neutralise_text, na_action="ignore")
    return out
