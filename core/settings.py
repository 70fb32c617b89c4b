"""Every ``MOHA_*`` environment variable, declared once and read here only: the paths, limits,
warehouse, orchestration and alerts of one deployment, as one typed :class:`Settings`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_SOURCES_FILE = PROJECT_ROOT / "config" / "sources.yml"
DEFAULT_CONTACTS_FILE = PROJECT_ROOT / "config" / "contacts.yml"


MIB = 1024 * 1024
FIRST_WEEK = "2025-W27"  # the week two-level local government began (1 July 2025)


@dataclass(frozen=True)
class PostgresSettings:
    """The PostgreSQL warehouse (``MOHA_WAREHOUSE=postgres``), where the loader, dbt and every
    reader meet."""

    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "moha"
    password: str = ""
    dbname: str = "moha"
    schema: str = "main"  # where dbt builds the marts
    threads: int = 4  # dbt threads

    def connect_kwargs(self) -> dict[str, str | int]:
        """psycopg2 ``connect`` keyword arguments."""
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "dbname": self.dbname,
        }


@dataclass(frozen=True)
class AlertSettings:
    """Where failure alerts are mailed; no host: they go to the log only."""

    smtp_host: str | None = None
    smtp_port: int = 25
    sender: str = "moha-pipeline@localhost"
    recipients: tuple[str, ...] = ()
    user: str | None = None
    password: str | None = None
    starttls: bool = False


@dataclass(frozen=True)
class MailSettings:
    """Mail to people: provinces' weekly summaries and reminders, the ministry's notice of a
    published package (docs/who-gets-what.md)."""

    contacts_file: Path = DEFAULT_CONTACTS_FILE
    conn_id: str = "smtp_default"  # an Airflow SMTP connection (AIRFLOW_CONN_SMTP_DEFAULT…)
    min_interval_minutes: int = 60  # at most one summary mail per province in this time


@dataclass(frozen=True)
class Settings:
    """Every path and limit of one deployment; build it with :func:`load_settings`.

    The parse limits bound what one untrusted file may cost (docs/configuration.md): a file over
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
    # The seconded officials' reports (.docx, .pdf).
    max_pdf_pages: int = 200
    max_document_chars: int = 200_000  # text read from one report
    # Secondment waves (first Monday..last day, ISO dates): a report is expected every week of one.
    report_waves: str = "2025-08-20..2025-10-20"
    # The child process each file is parsed in.
    parse_timeout_seconds: float = 60.0
    parse_memory_bytes: int = 2048 * MIB
    # Reporting window: file names outside it are invalid; dim_week never leaves it.
    first_week: str = FIRST_WEEK
    last_week: str | None = None  # None: the current ISO week + 1 (Vietnam time)
    # Warehouse and orchestration.
    warehouse_queue: str | None = None  # Airflow queue of the tasks that write the warehouse
    postgres: PostgresSettings = PostgresSettings()
    retry_delay_seconds: int = 120
    schedules: bool = True  # False: the DAGs run only when triggered
    publish_approval: str = "auto"  # "required": a person approves each package before publish
    publish_approvers: tuple[str, ...] = ()  # Airflow user ids who may; empty: Airflow's roles
    alerts: AlertSettings = AlertSettings()
    mail: MailSettings = MailSettings()

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


@dataclass(frozen=True)
class Variable:
    """One ``MOHA_*`` variable: its default (in the variable's own unit; None: unset) and what it
    does, in one line. docs/configuration.md is generated from :data:`VARIABLES`."""

    name: str
    group: str
    default: str | int | float | None
    doc: str
    shown_default: str | None = None  # the default in words, when it is not a fixed value


# The dataclasses above hold the defaults; the table below shows them in each variable's unit.
_D = Settings
_PG = PostgresSettings
_ALERT = AlertSettings
_MAIL = MailSettings
PATHS = "Paths and sources"
LIMITS = "Limits for untrusted files"
WINDOW = "Reporting window"
WAREHOUSE = "Warehouse"
ORCHESTRATION = "Orchestration"
ALERTS = "Failure alerts"
MAIL = "Mail to people"
INSTRUMENTATION = "Test instrumentation"

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "MOHA_DATA_DIR",
        PATHS,
        None,
        "roots `inbox/`, `landing/`, `staged/`, `warehouse/`, `outbox/`, `feedback/`, "
        "`reports/`, `simulation/` (layout: docs/architecture.md)",
        "`./data`",
    ),
    Variable(
        "MOHA_SOURCES_FILE",
        PATHS,
        None,
        "where each province's drop is read from (any fsspec URL: local, `sftp://`, `s3://`, "
        "`memory://`)",
        "`config/sources.yml`",
    ),
    Variable(
        "MOHA_MAX_FILE_MB",
        LIMITS,
        _D.max_file_bytes // MIB,
        "files larger than this are rejected `file_too_large` before they are read",
    ),
    Variable(
        "MOHA_MAX_SHEET_CELLS",
        LIMITS,
        _D.max_sheet_cells,
        "a workbook with a sheet to read (any visible worksheet) of more cells (rows × columns "
        "from A1: an .xlsx sheet's `<dimension>`, an .ods table's cells counted through its "
        "repeats) is rejected `file_too_complex`, naming the sheet, before it is opened",
    ),
    Variable(
        "MOHA_MAX_UNCOMPRESSED_MB",
        LIMITS,
        _D.max_uncompressed_bytes // MIB,
        "an .xlsx/.ods whose content inflates beyond this is rejected `file_too_complex`",
    ),
    Variable(
        "MOHA_MAX_COMPRESSION_RATIO",
        LIMITS,
        _D.max_compression_ratio,
        "an .xlsx/.ods inflating more than this many times its size (checked above 8 MiB of "
        "content: zip bombs) is rejected `file_too_complex`",
    ),
    Variable(
        "MOHA_MAX_CELL_CHARS",
        LIMITS,
        _D.max_cell_chars,
        "a contract cell longer than this rejects its row `value_too_long`; only its first 120 "
        "characters are echoed",
    ),
    Variable(
        "MOHA_MAX_COUNT",
        LIMITS,
        _D.max_count,
        "the largest head count of one commune × field; above it: `invalid_number`",
    ),
    Variable(
        "MOHA_MAX_PDF_PAGES",
        LIMITS,
        _D.max_pdf_pages,
        "a report PDF of more pages is rejected `file_too_complex` before its text is read",
    ),
    Variable(
        "MOHA_MAX_DOCUMENT_CHARS",
        LIMITS,
        _D.max_document_chars,
        "a report (.docx, .pdf) with more text is rejected `file_too_complex`",
    ),
    Variable(
        "MOHA_REPORT_WAVES",
        WINDOW,
        _D.report_waves,
        "the ministry's secondment waves, `start..end` ISO dates, comma-separated: every "
        "province owes a report (`bao_cao`) for each week that overlaps one",
    ),
    Variable(
        "MOHA_PARSE_TIMEOUT_SECONDS",
        LIMITS,
        _D.parse_timeout_seconds,
        "a file whose parsing takes longer is rejected `file_too_complex` (its parser is killed)",
    ),
    Variable(
        "MOHA_PARSE_MEMORY_MB",
        LIMITS,
        _D.parse_memory_bytes // MIB,
        "address space a file's parse may add to the child process it is parsed in (forked: "
        "`RLIMIT_AS` is its size at the fork plus this); a file needing more is rejected "
        "`file_too_complex`",
    ),
    Variable(
        "MOHA_FIRST_WEEK",
        WINDOW,
        _D.first_week,
        "the first week a file may be named for (two-level government began 1 July 2025); "
        "`dim_week` never starts earlier",
    ),
    Variable(
        "MOHA_LAST_WEEK",
        WINDOW,
        None,
        "the last week a file may be named for and `dim_week` may reach; set it only to replay "
        "or simulate future weeks",
        "the current ISO week + 1 (Vietnam time)",
    ),
    Variable(
        "MOHA_WAREHOUSE",
        WAREHOUSE,
        _D.warehouse_target,
        "`duckdb` (embedded, one file) or `postgres` (scale-out)",
    ),
    Variable(
        "MOHA_WAREHOUSE_QUEUE",
        WAREHOUSE,
        None,
        "the Airflow queue of the tasks that write the warehouse; with DuckDB on a cluster, a "
        "queue served by exactly one worker, on the machine that holds the file",
    ),
    Variable("MOHA_PG_HOST", WAREHOUSE, _PG.host, "PostgreSQL warehouse: host"),
    Variable("MOHA_PG_PORT", WAREHOUSE, _PG.port, "PostgreSQL warehouse: port"),
    Variable("MOHA_PG_USER", WAREHOUSE, _PG.user, "PostgreSQL warehouse: user"),
    Variable("MOHA_PG_PASSWORD", WAREHOUSE, None, "PostgreSQL warehouse: password", "empty"),
    Variable("MOHA_PG_DBNAME", WAREHOUSE, _PG.dbname, "PostgreSQL warehouse: database"),
    Variable(
        "MOHA_PG_SCHEMA",
        WAREHOUSE,
        _PG.schema,
        "PostgreSQL warehouse: the schema dbt builds the marts in (analysts read it)",
    ),
    Variable("MOHA_PG_THREADS", WAREHOUSE, _PG.threads, "PostgreSQL warehouse: dbt threads"),
    Variable(
        "MOHA_MAX_FAILED_PROVINCES",
        ORCHESTRATION,
        _D.max_failed_provinces,
        "the ingest run fails when more provinces than this failed",
    ),
    Variable(
        "MOHA_RETRY_DELAY_SECONDS",
        ORCHESTRATION,
        _D.retry_delay_seconds,
        "delay between task retries (every task retries twice)",
    ),
    Variable(
        "MOHA_SCHEDULES",
        ORCHESTRATION,
        "on",
        "`off`: the ingest and publish DAGs lose their cron schedules and run only when "
        "triggered (benchmarks and tests that drive the cycle themselves); the publish DAG keeps "
        "its past Monday slots, so `airflow backfill create` still works",
    ),
    Variable(
        "MOHA_PUBLISH_APPROVAL",
        ORCHESTRATION,
        _D.publish_approval,
        "`required`: each week's package waits, after the gate, for a person at the ministry to "
        "approve it in Airflow (`make airflow` sets it); `auto`: approved without a person, "
        "and the manifest says so (the embedded demo)",
    ),
    Variable(
        "MOHA_PUBLISH_APPROVERS",
        ORCHESTRATION,
        None,
        "comma-separated Airflow user ids who may approve a package",
        "anyone Airflow's roles let answer the DAG's required actions",
    ),
    Variable(
        "MOHA_ALERT_SMTP_HOST",
        ALERTS,
        None,
        "mail each task failure (DAG, task, province, try, log URL) through this SMTP server; "
        "unset: alerts go to the log only",
    ),
    Variable("MOHA_ALERT_SMTP_PORT", ALERTS, _ALERT.smtp_port, "SMTP port"),
    Variable("MOHA_ALERT_SMTP_FROM", ALERTS, _ALERT.sender, "the alerts' sender address"),
    Variable(
        "MOHA_ALERT_SMTP_TO",
        ALERTS,
        None,
        "who gets the alerts, comma-separated (required when the host is set)",
    ),
    Variable("MOHA_ALERT_SMTP_USER", ALERTS, None, "SMTP login, when the server wants one"),
    Variable("MOHA_ALERT_SMTP_PASSWORD", ALERTS, None, "SMTP password"),
    Variable(
        "MOHA_ALERT_SMTP_STARTTLS", ALERTS, "off", "`on`: upgrade the connection with STARTTLS"
    ),
    Variable(
        "MOHA_CONTACTS_FILE",
        MAIL,
        None,
        "who is mailed: each province's contacts (weekly summary, Monday reminder) and the "
        "ministry's recipients (published package); no file or no address: nobody is mailed",
        "`config/contacts.yml`",
    ),
    Variable(
        "MOHA_MAIL_CONN_ID",
        MAIL,
        _MAIL.conn_id,
        "the Airflow SMTP connection mail goes through (host, port, login, `from_email`, "
        "`disable_tls` in its extra), e.g. from `AIRFLOW_CONN_SMTP_DEFAULT`",
    ),
    Variable(
        "MOHA_MAIL_MIN_INTERVAL_MINUTES",
        MAIL,
        _MAIL.min_interval_minutes,
        "a province gets at most one summary mail in this time; a later change waits for the "
        "next ingest run after it",
    ),
    Variable(
        "MOHA_CRASH_AT",
        INSTRUMENTATION,
        None,
        "names a point where the run kills its own process group (`core/crashpoints.py`), for "
        "the crash-consistency test; never set it in production",
    ),
)
_DECLARED = {variable.name: variable for variable in VARIABLES}
_ON = {"on", "true", "1", "yes"}
_OFF = {"off", "false", "0", "no"}


class SettingsError(ValueError):
    """A ``MOHA_*`` variable holds a value its setting cannot take; the message names it."""


class _Environment:
    """Typed reads of declared variables; a blank value counts as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def text(self, name: str) -> str | None:
        if name not in _DECLARED:
            raise KeyError(f"{name} is not declared in core.settings.VARIABLES")
        value = self._environ.get(name)
        return None if value is None or value.strip() == "" else value

    def positive(self, name: str, default: float, scale: float = 1) -> float:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = float(raw) * scale
        except ValueError:
            raise SettingsError(f"{name} must be a number, got {raw!r}") from None
        if value <= 0:
            raise SettingsError(f"{name} must be positive, got {raw!r}")
        return value

    def whole(self, name: str, default: int) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        if not raw.strip().isdigit():
            raise SettingsError(f"{name} must be a whole number, got {raw!r}")
        return int(raw)

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        raw = self.text(name)
        if raw is None or not raw.strip():
            return default
        word = raw.strip().lower()
        if word not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
        return word

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name)
        if raw is None:
            return default
        word = raw.strip().lower()
        if word not in _ON | _OFF:
            raise SettingsError(f"{name} must be on or off, got {raw!r}")
        return word in _ON


APPROVAL_MODES = ("auto", "required")


def _waves(spec: str) -> str:
    """``MOHA_REPORT_WAVES`` checked (``start..end`` ISO dates, comma-separated)."""
    from core.weeks import secondment_waves

    try:
        secondment_waves(spec)
    except ValueError as error:
        raise SettingsError(f"MOHA_REPORT_WAVES: {error}") from None
    return spec


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the ``MOHA_*`` variables; unset ones take the defaults of :class:`Settings`."""
    env = _Environment(os.environ if environ is None else environ)
    recipients = (env.text("MOHA_ALERT_SMTP_TO") or "").split(",")
    return Settings(
        data_dir=Path(env.text("MOHA_DATA_DIR") or PROJECT_ROOT / "data").resolve(),
        max_file_bytes=int(env.positive("MOHA_MAX_FILE_MB", _D.max_file_bytes, MIB)),
        max_failed_provinces=env.whole("MOHA_MAX_FAILED_PROVINCES", _D.max_failed_provinces),
        sources_file=Path(env.text("MOHA_SOURCES_FILE") or DEFAULT_SOURCES_FILE),
        warehouse_target=env.text("MOHA_WAREHOUSE") or _D.warehouse_target,
        max_sheet_cells=int(env.positive("MOHA_MAX_SHEET_CELLS", _D.max_sheet_cells)),
        max_uncompressed_bytes=int(
            env.positive("MOHA_MAX_UNCOMPRESSED_MB", _D.max_uncompressed_bytes, MIB)
        ),
        max_compression_ratio=env.positive("MOHA_MAX_COMPRESSION_RATIO", _D.max_compression_ratio),
        max_cell_chars=int(env.positive("MOHA_MAX_CELL_CHARS", _D.max_cell_chars)),
        max_count=int(env.positive("MOHA_MAX_COUNT", _D.max_count)),
        max_pdf_pages=int(env.positive("MOHA_MAX_PDF_PAGES", _D.max_pdf_pages)),
        max_document_chars=int(env.positive("MOHA_MAX_DOCUMENT_CHARS", _D.max_document_chars)),
        report_waves=_waves(env.text("MOHA_REPORT_WAVES") or _D.report_waves),
        parse_timeout_seconds=env.positive("MOHA_PARSE_TIMEOUT_SECONDS", _D.parse_timeout_seconds),
        parse_memory_bytes=int(env.positive("MOHA_PARSE_MEMORY_MB", _D.parse_memory_bytes, MIB)),
        first_week=env.text("MOHA_FIRST_WEEK") or _D.first_week,
        last_week=env.text("MOHA_LAST_WEEK"),
        warehouse_queue=env.text("MOHA_WAREHOUSE_QUEUE"),
        postgres=PostgresSettings(
            host=env.text("MOHA_PG_HOST") or _PG.host,
            port=env.whole("MOHA_PG_PORT", _PG.port),
            user=env.text("MOHA_PG_USER") or _PG.user,
            password=env.text("MOHA_PG_PASSWORD") or _PG.password,
            dbname=env.text("MOHA_PG_DBNAME") or _PG.dbname,
            schema=env.text("MOHA_PG_SCHEMA") or _PG.schema,
            threads=env.whole("MOHA_PG_THREADS", _PG.threads),
        ),
        retry_delay_seconds=env.whole("MOHA_RETRY_DELAY_SECONDS", _D.retry_delay_seconds),
        schedules=env.flag("MOHA_SCHEDULES", _D.schedules),
        publish_approval=env.choice("MOHA_PUBLISH_APPROVAL", APPROVAL_MODES, _D.publish_approval),
        publish_approvers=tuple(
            user.strip()
            for user in (env.text("MOHA_PUBLISH_APPROVERS") or "").split(",")
            if user.strip()
        ),
        alerts=AlertSettings(
            smtp_host=(env.text("MOHA_ALERT_SMTP_HOST") or "").strip() or None,
            smtp_port=env.whole("MOHA_ALERT_SMTP_PORT", _ALERT.smtp_port),
            sender=env.text("MOHA_ALERT_SMTP_FROM") or _ALERT.sender,
            recipients=tuple(r.strip() for r in recipients if r.strip()),
            user=env.text("MOHA_ALERT_SMTP_USER"),
            password=env.text("MOHA_ALERT_SMTP_PASSWORD"),
            starttls=env.flag("MOHA_ALERT_SMTP_STARTTLS", _ALERT.starttls),
        ),
        mail=MailSettings(
            contacts_file=Path(env.text("MOHA_CONTACTS_FILE") or DEFAULT_CONTACTS_FILE),
            conn_id=env.text("MOHA_MAIL_CONN_ID") or _MAIL.conn_id,
            min_interval_minutes=env.whole(
                "MOHA_MAIL_MIN_INTERVAL_MINUTES", _MAIL.min_interval_minutes
            ),
        ),
    )


def crash_point_name(environ: Mapping[str, str] | None = None) -> str | None:
    """``MOHA_CRASH_AT``: the crash point armed in this process, if any (read on every call,
    without the rest of the settings, because crash points sit on the per-file path)."""
    return _Environment(os.environ if environ is None else environ).text("MOHA_CRASH_AT")
