"""Where the pipeline keeps its files and which limits it applies, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_SOURCES_FILE = PROJECT_ROOT / "config" / "sources.yml"


MIB = 1024 * 1024
FIRST_WEEK = "2025-W27"  # the week two-level local government began (1 July 2025)


@dataclass(frozen=True)
class Settings:
    """Every path and limit of one deployment; build it with :func:`load_settings`.

    The parse limits bound what one untrusted file may cost (README, Configuration): a file over
    one is rejected with the measured figure, and nothing else waits for it.
    """

    data_dir: Path
    max_file_bytes: int = 20 * MIB
    max_failed_provinces: int = 3
    sources_file: Path = DEFAULT_SOURCES_FILE
    warehouse_target: str = "duckdb"
    # Workbooks (.xlsx/.ods), checked from the zip directory before anything is decompressed.
    max_sheet_cells: int = 5_000_000  # declared dimension of the first sheet, rows × columns
    max_uncompressed_bytes: int = 256 * MIB
    max_compression_ratio: float = 100.0  # applied once the content is over 8 MiB
    # Cells and counts.
    max_cell_chars: int = 5_000
    max_count: int = 100_000  # one commune × field
    # The child process each file is parsed in.
    parse_timeout_seconds: float = 60.0
    parse_memory_bytes: int = 2048 * MIB
    # Reporting window: file names outside it are invalid; dim_week never leaves it.
    first_week: str = FIRST_WEEK
    last_week: str | None = None  # None: the current ISO week + 1 (Vietnam time)

    @property
    def inbox(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def landing(self) -> Path:
        return self.data_dir / "landing"

    @property
    def staged(self) -> Path:
        return self.data_dir / "staged"

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse_dir / "moha.duckdb"

    @property
    def analyst_path(self) -> Path:
        """Read-only snapshot swapped in after every successful build."""
        return self.warehouse_dir / "moha_analyst.duckdb"

    @property
    def outbox(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def feedback(self) -> Path:
        return self.data_dir / "feedback"

    @property
    def reports(self) -> Path:
        """Quality-gate reports and Data Docs of runs that did not publish."""
        return self.data_dir / "reports"

    @property
    def simulation(self) -> Path:
        """What the simulator planted: expected metrics and rejections."""
        return self.data_dir / "simulation"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read MOHA_* variables; unset ones take the embedded defaults."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("MOHA_DATA_DIR", PROJECT_ROOT / "data")).resolve()
    defaults = Settings(data_dir=data_dir)

    def number(name: str, default: float, scale: float = 1) -> float:
        raw = env.get(name)
        value = default if raw in (None, "") else float(raw) * scale
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {raw!r}")
        return value

    return Settings(
        data_dir=data_dir,
        max_file_bytes=int(number("MOHA_MAX_FILE_MB", defaults.max_file_bytes, MIB)),
        max_failed_provinces=int(env.get("MOHA_MAX_FAILED_PROVINCES", "3")),
        sources_file=Path(env.get("MOHA_SOURCES_FILE", DEFAULT_SOURCES_FILE)),
        warehouse_target=env.get("MOHA_WAREHOUSE", "duckdb"),
        max_sheet_cells=int(number("MOHA_MAX_SHEET_CELLS", defaults.max_sheet_cells)),
        max_uncompressed_bytes=int(
            number("MOHA_MAX_UNCOMPRESSED_MB", defaults.max_uncompressed_bytes, MIB)
        ),
        max_compression_ratio=number("MOHA_MAX_COMPRESSION_RATIO", defaults.max_compression_ratio),
        max_cell_chars=int(number("MOHA_MAX_CELL_CHARS", defaults.max_cell_chars)),
        max_count=int(number("MOHA_MAX_COUNT", defaults.max_count)),
        parse_timeout_seconds=number("MOHA_PARSE_TIMEOUT_SECONDS", defaults.parse_timeout_seconds),
        parse_memory_bytes=int(number("MOHA_PARSE_MEMORY_MB", defaults.parse_memory_bytes, MIB)),
        first_week=env.get("MOHA_FIRST_WEEK") or FIRST_WEEK,
        last_week=env.get("MOHA_LAST_WEEK") or None,
    )
