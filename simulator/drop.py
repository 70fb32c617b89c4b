"""One province's drop for one week: the files it sends (bytes, names, times) and their outcome."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core import reference
from core.weeks import IsoWeek
from simulator import layouts, vocab
from simulator.encodings import csv_bytes
from simulator.faults import FILE_REASONS, Tag, plant_rows
from simulator.forms import Layout, xlsx_bytes
from simulator.schedule import KINDS, Version, schedule
from simulator.styles import (
    COLUMNS,
    COUNT_COLUMNS,
    SHAPES,
    CellWriter,
    Shape,
    header_texts,
    shapes_for,
)
from simulator.world import ProvinceWorld, province_world, rng_for

NAME_ALIASES = {
    "staffing": ("staffing", "bien_che", "nhan_su"),
    "secondments": ("secondments", "biet_phai"),
    "obstacles": ("obstacles", "vuong_mac"),
}


@dataclass
class SentFile:
    """A file written to the inbox and what the pipeline must make of it."""

    province_code: str
    sim_week: IsoWeek
    name: str
    kind: str | None  # None when the name is invalid
    week: IsoWeek | None
    version: int | None
    shape: Shape
    received: datetime
    data: bytes
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    file_reason: str | None = None
    rejections: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    accepted_rows: list[dict] | None = None  # None: rejected whole

    @property
    def status(self) -> str:
        if self.file_reason is not None:
            return "rejected"
        return "partly_accepted" if self.rows_rejected else "accepted"

    @property
    def format(self) -> str:
        return self.shape.format

    @property
    def encoding(self) -> str:
        return self.shape.encoding

    @property
    def shape_name(self) -> str:
        return self.shape.name


@dataclass(frozen=True)
class Context:
    seed: int
    scale: int
    last: IsoWeek
    max_file_bytes: int
    provinces: tuple[str, ...]  # the run's provinces, in order
    faults: dict  # Slot → reasons
    nil: frozenset = frozenset()  # Slots sent as nil returns (header, no row)
    plants: dict = field(default_factory=dict)  # Slot → simulator.quality.Plant


def plantable(ctx: Context, pp: str, week: IsoWeek, kind: str) -> bool:
    """A slot that takes a data-quality plant: sent, without a contract fault or a nil return,
    and not as a wide form (whose blank pairs could drop the planted cell)."""
    slot = (pp, week, kind)
    return (
        bool(schedule(ctx.seed, pp, week)[kind])
        and slot not in ctx.faults
        and slot not in ctx.nil
        and shape_for(ctx, pp, week, kind).layout != "wide"
    )


def shape_for(ctx: Context, pp: str, week: IsoWeek, kind: str) -> Shape:
    """Shapes rotate over provinces, kinds and weeks: every shape a kind takes appears in a
    34-province week."""
    house = ctx.provinces.index(pp) + ctx.seed
    shapes = shapes_for(kind)
    return shapes[(house + 3 * KINDS.index(kind) + week.week) % len(shapes)]


# A planted fault a layout cannot carry: the file falls back to the plain government form.
# A wide form has one field per column pair and one report date per commune row, so a fault
# in a field code or in one record's report date has no place in it; a file missing a column
# is a long table.
FALLBACK = next(s for s in SHAPES if s.name == "xlsx_form_labels")


def fitting(shape: Shape, tags: list[Tag], whole: str | None, columns: tuple[str, ...]) -> Shape:
    """``shape``, or :data:`FALLBACK` when its layout cannot carry the file's faults."""
    if shape.layout in ("grouped", "wide") and "commune_code" not in columns:
        return FALLBACK
    if shape.layout != "wide":
        return shape
    if whole == "missing_column" or any(
        tag and tag[0] in ("field_code", "report_date") for tag in tags
    ):
        return FALLBACK
    return shape


@dataclass(frozen=True)
class Rendered:
    """A file's bytes, the source row (Excel row or CSV line) of each record, and the rows of
    its table that only structure it."""

    data: bytes
    record_rows: dict[int, int]
    rows_skipped: int = 0


def file_name(alias: str, week: IsoWeek, version: int, ext: str, explicit_v1: bool) -> str:
    suffix = f"_v{version}" if version > 1 or explicit_v1 else ""
    return f"{alias}_{week}{suffix}.{ext}"


def render(
    kind: str,
    rows: list[dict],
    columns: tuple[str, ...],
    shape: Shape,
    rng: random.Random,
    pp: str,
    week: IsoWeek,
    signed_on: date,
) -> Rendered:
    """File bytes laid out as ``shape`` says, and where each of ``rows`` landed."""
    writer = CellWriter(kind, shape, rng)
    cell = writer.cell
    if shape.layout == "wide":
        return _render_wide(rows, writer, rng, pp, week, signed_on)
    header = [writer.text(h) for h in header_texts(kind, list(columns), shape, rng)]
    body = [[cell(c, row[c]) for c in columns] for row in rows]
    if shape.format == "csv":
        return Rendered(
            csv_bytes(header, body, shape.encoding), {i: i + 2 for i in range(len(body))}
        )
    sums = tuple(i for i, c in enumerate(columns) if c in COUNT_COLUMNS)
    lines = layouts.plain(body)
    if shape.layout == "grouped" and "commune_code" in columns:
        key = columns.index("commune_code")
        order = layouts.group_order([row[key] for row in body])
        lines = layouts.grouped(body, order, key, sums)
    merged = [
        c for c in ("commune_code", "report_date") if shape.layout == "merged" and c in columns
    ]
    layout = Layout(
        merges=tuple(layouts.merge_runs(lines, tuple(columns.index(c) for c in merged))),
        template=shape.layout == "template",
    )
    written = xlsx_bytes(
        kind,
        header,
        lines,
        form=shape.form,
        province=reference.provinces()[pp],
        week=week,
        signed_on=signed_on,
        sum_columns=sums,
        people=(vocab.person_name(rng), vocab.person_name(rng)),
        layout=layout,
    )
    return Rendered(written.data, written.record_rows, written.rows_skipped)


def _render_wide(
    rows: list[dict],
    writer: CellWriter,
    rng: random.Random,
    pp: str,
    week: IsoWeek,
    signed_on: date,
) -> Rendered:
    """Staffing as a wide form: group titles (labels or codes) over each field's pair, the
    report date as a column or as a line above the header."""
    columns = COLUMNS["staffing"]
    records = [
        {c: (row[c] if c == "field_code" else writer.cell(c, row[c])) for c in columns}
        for row in rows
    ]
    fields = reference.code_list(reference.FIELDS)
    labels = writer.shape.codes != "code"
    titles = {code: writer.text(label if labels else code) for code, label in fields.items()}
    date_column = rng.random() < 0.5
    table = layouts.wide(records, titles, date_column, writer.text("Ngày báo cáo"))
    day = rows[0]["report_date"] if rows else week.monday + timedelta(days=4)
    line = None if date_column else f"Ngày báo cáo: {day.day}/{day.month}/{day.year}"
    counts = tuple(range(1, 3 + 2 * len(fields)))
    written = xlsx_bytes(
        "staffing",
        [writer.text(t) if t else t for t in table.top],
        table.body,
        form=True,
        province=reference.provinces()[pp],
        week=week,
        signed_on=signed_on,
        sum_columns=counts,
        people=(vocab.person_name(rng), vocab.person_name(rng)),
        layout=Layout(sub_header=table.sub, date_line=line and writer.text(line)),
    )
    return Rendered(written.data, written.record_rows, written.rows_skipped)


def clean_rows(
    world: ProvinceWorld,
    kind: str,
    week: IsoWeek,
    report_date: date,
    stale: bool,
    rng: random.Random,
) -> list[dict]:
    """The week's clean rows of one kind; ``stale`` gives a first version with wrong numbers."""
    if kind == "staffing":
        rows = world.staffing_rows(week, report_date)
        if stale:
            for i in rng.sample(range(len(rows)), max(1, len(rows) // 20)):
                rows[i] = dict(
                    rows[i],
                    filled_posts=max(0, rows[i]["filled_posts"] + rng.choice((-2, -1, 1, 3))),
                )
        return rows
    day = week.sunday - timedelta(days=4 if stale else 0)
    if kind == "secondments":
        return world.secondment_rows(day)
    return world.obstacle_rows(day)


def _apply_rows(sent: SentFile, rows: list[dict], tags: list[Tag], rendered: Rendered) -> None:
    sent.accepted_rows = [row for row, tag in zip(rows, tags, strict=True) if tag is None]
    sent.rows_accepted = len(sent.accepted_rows)
    sent.rows_rejected = sum(1 for t in tags if t is not None)
    sent.rows_skipped = rendered.rows_skipped
    sent.rejections = [
        (rendered.record_rows[i], tag[0], tag[1]) for i, tag in enumerate(tags) if tag is not None
    ]


def unreported(rows: list[dict], rng: random.Random) -> list[dict]:
    """A wide form's commune × field pairs some clerks leave blank (no such post): not sent."""
    return [row for row in rows if rng.random() >= 0.03]


def province_week(ctx: Context, pp: str, week: IsoWeek) -> list[SentFile]:
    """Every file province ``pp`` sends for ``week``, rendered, with its expected outcome."""
    world = province_world(ctx.seed, pp, ctx.scale, ctx.last)
    rng = rng_for(ctx.seed, pp, week, "drop")
    aliases = rng_for(ctx.seed, pp, "aliases")
    house_alias = {k: aliases.choice(v) for k, v in NAME_ALIASES.items()}
    explicit_v1 = aliases.random() < 0.2
    report_date = week.monday + timedelta(days=rng.randint(3, 4))
    plan = schedule(ctx.seed, pp, week)
    files: list[SentFile] = []
    names: set[str] = set()

    def add(sent: SentFile) -> None:
        while sent.name in names:  # only invalid names can meet: tong_hop_… twice
            stem, _, ext = sent.name.rpartition(".")
            sent.name = f"{stem}_x.{ext}"
        names.add(sent.name)
        files.append(sent)

    for kind in KINDS:
        versions = plan[kind]
        if not versions:
            continue
        shape = shape_for(ctx, pp, week, kind)
        alias = house_alias[kind] if rng.random() < 0.9 else rng.choice(NAME_ALIASES[kind])
        reasons = ctx.faults.get((pp, week, kind), [])
        whole = reasons[0] if reasons and reasons[0] in FILE_REASONS else None
        mode = "extra"
        if whole in ("unreadable_file", "empty_file", "missing_column") and rng.random() < 0.5:
            mode = "replace"
        nil = (pp, week, kind) in ctx.nil  # nothing to report: the header and no row
        for k, version in enumerate(versions):
            last = k == len(versions) - 1
            rows = [] if nil else clean_rows(world, kind, week, report_date, version.stale, rng)
            if shape.layout == "wide":
                rows = unreported(rows, rng)
            if (pp, week, kind) in ctx.plants:
                rows = ctx.plants[(pp, week, kind)].apply(rows)
            name = file_name(alias, week, version.version, shape.format, explicit_v1)
            if last and whole and mode == "replace":
                use = fitting(shape, [], whole, COLUMNS[kind])
                add(_whole_file_fault(ctx, whole, kind, pp, week, rows, use, name, version, rng))
                continue
            sent = SentFile(
                pp, week, name, kind, week, version.version, shape, version.received, b""
            )
            tags: list[Tag] = [None] * len(rows)
            if last and reasons and not whole:
                rows, tags = plant_rows(
                    kind,
                    pp,
                    week,
                    rows,
                    reasons,
                    rng,
                    id_base=max(9000, len(world.obstacles) + len(world.secondments) + 1000),
                )
            sent.shape = fitting(shape, tags, whole, COLUMNS[kind])
            rendered = render(
                kind, rows, COLUMNS[kind], sent.shape, rng, pp, week, version.received.date()
            )
            sent.data = rendered.data
            _apply_rows(sent, rows, tags, rendered)
            add(sent)
        if whole and mode == "extra":
            top = versions[-1]
            later = Version(
                top.version + 1, top.received + timedelta(minutes=rng.randint(20, 600)), False
            )
            rows = clean_rows(world, kind, week, report_date, False, rng)
            name = file_name(alias, week, later.version, shape.format, False)
            use = fitting(shape, [], whole, COLUMNS[kind])
            add(_whole_file_fault(ctx, whole, kind, pp, week, rows, use, name, later, rng))
    return files


def _whole_file_fault(
    ctx: Context,
    reason: str,
    kind: str,
    pp: str,
    week: IsoWeek,
    rows: list[dict],
    shape: Shape,
    name: str,
    version: Version,
    rng: random.Random,
) -> SentFile:
    """A file rejected whole for ``reason`` (it never supersedes an earlier version)."""
    sent = SentFile(
        pp,
        week,
        name,
        kind,
        week,
        version.version,
        shape,
        version.received,
        b"",
        file_reason=reason,
    )
    signed = version.received.date()
    sent.rejections = [(None, None, reason)]
    if reason == "unreadable_file":
        sent.shape = next(s for s in SHAPES if s.format == "xlsx")
        sent.name = name.rsplit(".", 1)[0] + ".xlsx"
        if rng.random() < 0.5:
            good = render(kind, rows[:200], COLUMNS[kind], sent.shape, rng, pp, week, signed).data
            sent.data = good[: len(good) * rng.randint(40, 70) // 100]  # truncated upload
        else:
            sent.data = rng.choice((b"", b"PK\x03\x04")) + rng.randbytes(rng.randint(2000, 8000))
    elif reason == "empty_file":
        # a header without rows is empty only for staffing: for the other kinds it is a nil return
        if kind == "staffing" and shape.format == "csv" and rng.random() < 0.5:
            sent.data = render(kind, [], COLUMNS[kind], shape, rng, pp, week, signed).data
        else:
            sent.data = b""
    elif reason == "missing_column":
        dropped = rng.choice(COLUMNS[kind][1:])
        columns = tuple(c for c in COLUMNS[kind] if c != dropped)
        sent.data = render(kind, rows, columns, shape, rng, pp, week, signed).data
        sent.rejections = [(None, dropped, reason)]
    elif reason == "file_too_large":
        csv_shape = next(s for s in SHAPES if s.format == "csv" and s.encoding == "utf-8")
        sent.shape = csv_shape
        sent.name = name.rsplit(".", 1)[0] + ".csv"
        block = render(kind, rows, COLUMNS[kind], csv_shape, rng, pp, week, signed).data
        header, _, body = block.partition(b"\r\n")
        body = body or b"\r\n"
        repeat = ctx.max_file_bytes // len(body) + 1
        sent.data = header + b"\r\n" + body * repeat
    elif reason == "invalid_file_name":
        alias = name.split("_20", 1)[0]
        sent.name = rng.choice(
            (
                f"tong_hop_{week}.{shape.format}",
                f"{alias}_{week.year}-W{week.week + 25}.{shape.format}",
                f"{alias}_tuan{week.week}_{week.year}.{shape.format}",
            )
        )
        sent.kind = sent.week = sent.version = None
        sent.data = render(kind, rows, COLUMNS[kind], shape, rng, pp, week, signed).data
    elif reason == "wrong_province_file":
        donor = rng.choice([p for p in reference.provinces() if p != pp])
        donor_world = province_world(ctx.seed, donor, ctx.scale, ctx.last)
        donor_rows = donor_world.staffing_rows(week, week.monday + timedelta(days=4))
        sent.data = render(kind, donor_rows, COLUMNS[kind], shape, rng, donor, week, signed).data
        sent.rows_rejected = len(donor_rows)
    return sent
