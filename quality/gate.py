"""The quality gate: validates the week's pandas frames with the GX suites and builds Data Docs."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pandas as pd

from core.settings import EXPECTATIONS_DIR
from quality import checks
from quality.results import ERROR, MAX_FAILING_ROWS, CheckResult, GateResult, json_safe
from quality.suites import (
    DEFAULT_NATIONAL_WOW_MAX_SHARE,
    DEFAULT_WOW_MAX_SHARE,
    TABLE_KEYS,
    load_suite_dict,
    suite_names,
    suite_parameters,
)

log = logging.getLogger(__name__)

REQUIRED_TABLES = ("province_weekly", "national_weekly", "vacancies_by_field")


def run_gate(
    frames: dict[str, pd.DataFrame],
    previous_frames: dict[str, pd.DataFrame] | None,
    out_dir: Path | None,
    *,
    week: str | None = None,
    wow_max_share: float = DEFAULT_WOW_MAX_SHARE,
    national_wow_max_share: float = DEFAULT_NATIONAL_WOW_MAX_SHARE,
    suites_dir: Path = EXPECTATIONS_DIR,
) -> GateResult:
    """Validate one week's tables; Data Docs go to ``out_dir`` (skipped when None).

    ``frames`` maps table name → DataFrame (``province_weekly``, ``national_weekly``,
    ``vacancies_by_field`` required; other tables are checked when a suite of that name exists).
    ``previous_frames`` holds the previous week's ``province_weekly`` for the week-over-week
    warnings (one province's approved posts over ``wow_max_share``; a national stock figure over
    ``national_wow_max_share``, with the part of the move due to coverage named). Error-severity
    failures make ``success`` False; warnings never do.
    """
    started = time.perf_counter()
    week = week or _week_of(frames)
    results: list[CheckResult] = []

    for table in REQUIRED_TABLES:
        present = table in frames
        results.append(
            CheckResult(
                name=f"{table}.present",
                table=table,
                kind="computed",
                severity=ERROR,
                success=present,
                description_vi="Bảng phải có trong gói",
                error=None if present else f"table {table} missing",
            )
        )

    frames = dict(frames)
    if "province_weekly" in frames:
        previous = (previous_frames or {}).get("province_weekly")
        frames["province_week_over_week"] = checks.week_over_week_frame(
            frames["province_weekly"], previous
        )
        frames["national_week_over_week"] = checks.national_week_over_week_frame(
            frames["province_weekly"], previous
        )
        results.append(checks.commune_coverage_fell(frames["province_weekly"], previous))
        if "national_weekly" in frames:
            results.append(
                checks.national_equals_provinces(
                    frames["national_weekly"], frames["province_weekly"]
                )
            )
        if "vacancies_by_field" in frames:
            results.append(
                checks.fields_sum_to_province(
                    frames["vacancies_by_field"], frames["province_weekly"]
                )
            )

    params = suite_parameters(week, wow_max_share, national_wow_max_share)
    to_validate = [name for name in suite_names(suites_dir) if name in frames]
    docs_index = None
    if to_validate:
        gx_results, docs_index = _run_gx(
            {name: frames[name] for name in to_validate}, params, out_dir, suites_dir
        )
        results.extend(gx_results)

    order = {name: i for i, name in enumerate([*REQUIRED_TABLES, *to_validate])}
    results.sort(key=lambda c: (order.get(c.table, 99), c.kind == "computed"))
    result = GateResult(
        week=week, checks=results, data_docs_index=docs_index, seconds=time.perf_counter() - started
    )
    log.info("quality gate %s: %s in %.1fs", week, result.summary(), result.seconds)
    return result


def _week_of(frames: dict[str, pd.DataFrame]) -> str:
    for frame in frames.values():
        if "week" in frame.columns and frame["week"].notna().any():
            return str(frame["week"].dropna().mode().iloc[0])
    raise ValueError("cannot tell the week: pass week=")


def _context(out_dir: Path | None):
    """An in-memory GX context with usage statistics off and a Data Docs site in ``out_dir``."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if out_dir is not None:
        sites["gate"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(out_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        data_docs_sites=sites,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _for_gx(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable numeric columns as float64 with NaN, which every GX pandas metric handles."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            if out[column].isna().any() or pd.api.types.is_extension_array_dtype(dtype):
                out[column] = out[column].astype("float64")
        elif pd.api.types.is_bool_dtype(dtype) and pd.api.types.is_extension_array_dtype(dtype):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out.reset_index(drop=True)


def _run_gx(
    frames: dict[str, pd.DataFrame],
    params: dict[str, Any],
    out_dir: Path | None,
    suites_dir: Path,
) -> tuple[list[CheckResult], Path | None]:
    import great_expectations as gx

    context = _context(out_dir)
    source = context.data_sources.add_pandas("published_tables")
    results: list[CheckResult] = []
    for table, frame in frames.items():
        suite = context.suites.add(gx.ExpectationSuite(**load_suite_dict(table, suites_dir)))
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=table, data=batch, suite=suite)
        )
        keys = [k for k in TABLE_KEYS.get(table, []) if k in frame.columns]
        result_format: dict[str, Any] = {"result_format": "COMPLETE"}
        if keys:
            result_format["unexpected_index_column_names"] = keys
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"gate_{table}",
                validation_definitions=[definition],
                actions=[],
                result_format=result_format,
            )
        )
        run = checkpoint.run(
            batch_parameters={"dataframe": _for_gx(frame)}, expectation_parameters=params
        )
        for validation in run.run_results.values():
            for item in validation.results:
                results.append(_to_check(table, item, frame, params))
    docs_index = None
    if out_dir is not None:
        context.build_data_docs()
        index = Path(out_dir) / "index.html"
        docs_index = index if index.exists() else None
    return results, docs_index


def _tidy(row: dict[str, Any]) -> dict[str, Any]:
    tidy = {}
    for key, value in json_safe(row).items():
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        tidy[key] = value
    return tidy


def _to_check(table: str, item: Any, frame: pd.DataFrame, params: dict[str, Any]) -> CheckResult:
    config = item.expectation_config
    meta = config.meta or {}
    kwargs = config.kwargs or {}
    res = item.result or {}
    check = CheckResult(
        name=f"{table}.{meta.get('check', config.type)}",
        table=table,
        kind=config.type,
        severity=meta.get("severity", ERROR),
        success=bool(item.success),
        description_vi=meta.get("description_vi", ""),
        observed=res.get("observed_value"),
    )
    info = item.exception_info or {}
    if info.get("raised_exception"):
        check.success = False
        check.error = str(info.get("exception_message"))[:500]
        return check
    if check.success:
        return check
    if "unexpected_index_list" in res:
        rows = res.get("unexpected_index_list") or []
        check.failing_count = int(res.get("unexpected_count") or len(rows))
        check.failing_rows = [
            _tidy(r) if isinstance(r, dict) else {"index": r} for r in rows[:MAX_FAILING_ROWS]
        ]
    else:
        check.failing_rows = _table_level_rows(table, config.type, kwargs, frame, params, res)
        check.failing_count = len(check.failing_rows)
    return check


def _table_level_rows(
    table: str,
    expectation: str,
    kwargs: dict[str, Any],
    frame: pd.DataFrame,
    params: dict[str, Any],
    res: dict[str, Any],
) -> list[dict[str, Any]]:
    """For table-level failures (row counts, sets, columns), name the rows or codes at fault."""
    week = params["weeks"][0]
    rows: list[dict[str, Any]] = []
    if "province_code" in frame.columns and expectation in (
        "expect_table_row_count_to_equal",
        "expect_column_distinct_values_to_equal_set",
    ):
        counts = frame["province_code"].value_counts()
        for code in params["province_codes"]:
            if code not in counts.index:
                rows.append({"province_code": code, "week": week, "problem": "missing"})
            elif counts[code] > 1:
                rows.append(
                    {
                        "province_code": code,
                        "week": week,
                        "problem": f"duplicated ({int(counts[code])} rows)",
                    }
                )
        for code in counts.index:
            if code not in params["province_codes"]:
                rows.append({"province_code": code, "week": week, "problem": "unknown code"})
    if expectation == "expect_table_columns_to_match_ordered_list":
        expected = list(kwargs.get("column_list") or [])
        actual = list(frame.columns)
        rows += [{"column": c, "problem": "missing"} for c in expected if c not in actual]
        rows += [{"column": c, "problem": "unexpected"} for c in actual if c not in expected]
        if not rows:
            rows.append({"problem": "order differs", "expected": expected, "actual": actual})
    if not rows:
        rows.append(
            {
                "week": week,
                "observed": json_safe(res.get("observed_value")),
                "expected": json_safe({k: v for k, v in kwargs.items() if k != "batch_id"}),
            }
        )
    return rows
