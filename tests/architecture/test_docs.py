"""The docs hold: generated tables equal what the code writes now, every Markdown link and anchor
resolves inside the repository, and no committed file points outside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tools import docs_tables

SKIPPED = {".git", ".venv", ".airflow", ".airflow-test", "data", "target", "logs", "node_modules"}
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _files(suffixes: tuple[str, ...] | None = None) -> list[Path]:
    found = []
    for path in PROJECT_ROOT.rglob("*"):
        parts = path.relative_to(PROJECT_ROOT).parts
        if any(part in SKIPPED for part in parts) or not path.is_file():
            continue
        if suffixes is None or path.suffix in suffixes:
            found.append(path)
    return sorted(found)


def _prose(text: str) -> str:
    """Markdown without code, where a link is only text."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(page: Path, text: str) -> list[str]:
    """The links of ``text`` (the page at ``page``) that lead nowhere inside the repository."""
    broken = []
    for target in LINK.findall(_prose(text)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        if not resolved.is_relative_to(PROJECT_ROOT) or not resolved.exists():
            broken.append(f"{target} (no such file in the repository)")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target} (no heading with that anchor)")
    return broken


MARKDOWN = _files((".md",))


def test_the_markdown_pages_are_found():
    names = {str(p.relative_to(PROJECT_ROOT)) for p in MARKDOWN}
    assert {"README.md", "bench/README.md", "docs/file-contract.md"} <= names


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_link_resolves_inside_the_repository(page):
    assert broken_links(page, page.read_text(encoding="utf-8")) == []


def test_the_link_check_catches_what_it_should():
    page = PROJECT_ROOT / "docs" / "file-contract.md"
    text = (
        "[ok](configuration.md) [anchor](#file-names) [gone](nowhere.md) "
        "[outside](../../elsewhere/notes.md) [bad anchor](configuration.md#no-such) "
        "[web](https://example.org) `[code](not-a-link.md)`\n"
    )
    assert broken_links(page, text) == [
        "nowhere.md (no such file in the repository)",
        "../../elsewhere/notes.md (no such file in the repository)",
        "configuration.md#no-such (no heading with that anchor)",
    ]


def test_slugs_follow_github():
    assert slug("Province drops on SFTP and S3") == "province-drops-on-sftp-and-s3"
    assert slug("The `moha` command") == "the-moha-command"
    assert slug("7. Lý do từ chối và cách sửa") == "7-lý-do-từ-chối-và-cách-sửa"


@pytest.mark.parametrize("page", docs_tables.PAGES, ids=lambda p: p.name)
def test_generated_tables_equal_what_the_code_writes(page):
    text = page.read_text(encoding="utf-8")
    assert docs_tables.regions(text), f"{page.name} has no generated region"
    assert docs_tables.render(text) == text, (
        f"{page.name} differs from the code: run `python -m tools.docs_tables`"
    )


def test_every_renderer_fills_a_region():
    used = {name for page in docs_tables.PAGES for name in docs_tables.regions(page.read_text())}
    assert used == set(docs_tables.RENDERERS)


def test_a_stale_table_is_seen():
    text = (PROJECT_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    stale = text.replace("`MOHA_WAREHOUSE_QUEUE`", "`MOHA_SOMETHING_ELSE`")
    assert stale != text and docs_tables.render(stale) == text


def test_no_committed_file_points_outside_the_repository():
    sibling = ".." + "/shared"  # the folder beside a checkout; spelt apart so this file passes
    outside = [
        str(path.relative_to(PROJECT_ROOT))
        for path in _files()
        if path.relative_to(PROJECT_ROOT).parts[0] != ".ci"
        and sibling in path.read_text(encoding="utf-8", errors="ignore")
    ]
    assert outside == []
