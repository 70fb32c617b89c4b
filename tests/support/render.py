"""Render spreadsheets as LibreOffice prints them (xlsx → PDF) and read the pages back: page count,
text per page, and text lines that print over each other."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from tests.support.tools import require_tool

_LINE = re.compile(
    r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S
)
_WORD = re.compile(r">([^<]*)</word>")


@dataclass(frozen=True)
class TextLine:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def convert(document: Path, out_dir: Path, target: str = "pdf", timeout: float = 300) -> Path:
    """``document`` saved by LibreOffice headless as ``target`` (pdf, xls, ods…) in ``out_dir``,
    with a private profile, so parallel runs do not share one."""
    [converted] = convert_many([document], out_dir, target, timeout)
    return converted


def convert_many(
    documents: list[Path], out_dir: Path, target: str, timeout: float = 600
) -> list[Path]:
    """Every one of ``documents`` saved as ``target`` in ``out_dir`` by one LibreOffice call
    (it takes several files at once: one start-up for all)."""
    soffice = require_tool("soffice")["soffice"]
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (out_dir / ".lo-profile").resolve().as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    converted = [out_dir / f"{document.stem}.{target}" for document in documents]
    missing = [path.name for path in converted if not path.exists()]
    assert not missing, f"LibreOffice wrote no {target} for {missing}"
    return converted


def to_pdf(workbook: Path, out_dir: Path) -> Path:
    """The workbook as LibreOffice prints it."""
    require_tool("pdfinfo", "pdftotext")
    return convert(workbook, out_dir)


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def text_lines(pdf: Path) -> list[TextLine]:
    """Every printed text line with its box (points), as pdftotext lays them out."""
    html = pdf.with_suffix(".bbox.html")
    subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(html)], check=True)
    lines = []
    for number, page in enumerate(html.read_text(encoding="utf-8").split("<page ")[1:], start=1):
        for match in _LINE.finditer(page):
            words = " ".join(_WORD.findall(match.group(5)))
            lines.append(TextLine(number, *map(float, match.groups()[:4]), words))
    return lines


def overprinted(pdf: Path) -> list[tuple[str, str]]:
    """Pairs of text lines printed over each other: on the same page, side by side by more than
    a point and one on top of the other by more than half a line (consecutive lines of a
    wrapped cell touch, they do not overlap that much)."""
    clashes = []
    for a, b in combinations(text_lines(pdf), 2):
        if a.page != b.page:
            continue
        across = min(a.x1, b.x1) - max(a.x0, b.x0)
        down = min(a.y1, b.y1) - max(a.y0, b.y0)
        if across > 1.0 and down > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0):
            clashes.append((a.text, b.text))
    return clashes


def page_texts(pdf: Path) -> list[str]:
    """The text of each page."""
    pages: dict[int, list[str]] = {}
    for line in text_lines(pdf):
        pages.setdefault(line.page, []).append(line.text)
    return ["\n".join(pages.get(n, [])) for n in range(1, page_count(pdf) + 1)]
