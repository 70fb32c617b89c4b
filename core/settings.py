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


@dataclass(frozen=True)
class Settings:
    """Every path and limit of one deployment; build it with :func:`load_settings`."""

    data_dir: Path
    max_file_bytes: int = 20 * 1024 * 1024
    max_failed_provinces: int = 3
    sources_file: Path = DEFAULT_SOURCES_FILE
    warehouse_target: str = "duckdb"

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
    return Settings(
        data_dir=data_dir,
        max_file_bytes=int(float(env.get("MOHA_MAX_FILE_MB", "20")) * 1024 * 1024),
        max_failed_provinces=int(env.get("MOHA_MAX_FAILED_PROVINCES", "3")),
        sources_file=Path(env.get("MOHA_SOURCES_FILE", DEFAULT_SOURCES_FILE)),
        warehouse_target=env.get("MOHA_WAREHOUSE", "duckdb"),
    )
