"""Read the simulator's truth and the pipeline's tables into comparable frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

KEYS = {
    "province_weekly": ["week", "province_code"],
    "national_weekly": ["week"],
    "vacancies_by_field": ["week", "province_code", "field_code"],
    "national_trend": ["week"],
    "submission_status": ["week", "province_code", "kind"],
    "province_vacancy_rate": ["week", "province_code"],
}
TEXT = {"week", "province_code", "field_code", "province_name", "kind", "status", "file_name"}
# The package marts checked against the simulator's truth: the columns the truth holds.
PACKAGE_MARTS = ("national_trend", "submission_status", "province_vacancy_rate")


def normalise(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Same column order, key order, and value spelling (codes as text, booleans as 0/1)."""
    frame = frame.copy()
    for column in frame.columns:
        if column in TEXT:
            frame[column] = frame[column].astype(str)
            frame[column] = frame[column].where(frame[column] != "None", None)
            if column == "province_code":
                frame[column] = frame[column].str.zfill(2)
        elif column == "on_time" and table == "province_weekly":
            frame[column] = (
                frame[column]
                .map(lambda v: None if pd.isna(v) else int(str(v).lower() in {"true", "1"}))
                .astype("Float64")
            )
        else:
            frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    return frame.sort_values(KEYS[table]).reset_index(drop=True)


def read_truth(simulation: Path, table: str) -> pd.DataFrame:
    frame = pd.read_csv(simulation / "truth" / f"{table}.csv", dtype=str, keep_default_na=False)
    return normalise(frame.replace("", None), table)


def read_csv(path: Path, table: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return normalise(frame.replace("", None), table)


def differences(got: pd.DataFrame, expected: pd.DataFrame, table: str) -> list[str]:
    """Cell-by-cell differences, described for a failure message (empty when equal)."""
    if list(got.columns) != list(expected.columns):
        return [f"columns differ: {list(got.columns)} != {list(expected.columns)}"]
    keys = KEYS[table]
    merged = expected.merge(
        got, on=keys, how="outer", suffixes=("_expected", "_got"), indicator=True
    )
    problems = [
        f"row only in {side}: {dict(zip(keys, row, strict=True))}"
        for side, label in (("truth", "left_only"), ("pipeline", "right_only"))
        for row in merged.loc[merged["_merge"] == label, keys].itertuples(index=False)
    ]
    both = merged[merged["_merge"] == "both"]
    for column in (c for c in expected.columns if c not in keys):
        left, right = both[f"{column}_expected"], both[f"{column}_got"]
        if column in TEXT:
            unequal = ~((left.isna() & right.isna()) | (left == right).fillna(False))
        else:
            unequal = ~((left.isna() & right.isna()) | ((left - right).abs() < 1e-9).fillna(False))
        for _, row in both[unequal].head(5).iterrows():
            problems.append(
                f"{dict(row[keys])} {column}: truth {row[f'{column}_expected']} "
                f"!= pipeline {row[f'{column}_got']}"
            )
    return problems


def truth_columns(simulation: Path, table: str) -> list[str]:
    with (simulation / "truth" / f"{table}.csv").open(encoding="utf-8") as handle:
        return handle.readline().strip().split(",")


def package_mart_differences(settings, weeks: list[str]) -> dict[str, list[str]]:
    """The package marts (trend, submission status, vacancy ranks) and national_weekly's
    coverage columns vs the simulator's truth, for ``weeks``; empty lists when equal."""
    import duckdb

    out = {}
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        for table in PACKAGE_MARTS:
            columns = truth_columns(settings.simulation, table)
            got = con.execute(f"select {', '.join(columns)} from main.{table}").df()
            got = normalise(got[got["week"].isin(weeks)], table)
            expected = read_truth(settings.simulation, table)
            out[table] = differences(got, expected[expected["week"].isin(weeks)], table)
    return out
