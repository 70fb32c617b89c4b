"""One settings module: ``MOHA_*`` variables are read in ``core/settings.py`` only (an AST scan
of every Python file), and each declared variable is read there with the default its table shows.

The rule, by where the code lives:
- product code (the packages and ``dags/``) never reads a ``MOHA_*`` name from any mapping
  (``x.get("MOHA_…")``, ``x["MOHA_…"]``, ``"MOHA_…" in env``, ``os.getenv("MOHA_…")``) outside
  ``core/settings.py``; it passes values to a subprocess by writing them into an explicit ``env``
  dict. It writes ``os.environ`` only in ``moha/runtime.py``, which configures Airflow before
  Airflow is imported in-process (Airflow reads its configuration from the environment).
- ``tests/``, ``bench/`` and ``tools/`` may set ``MOHA_*`` variables for the process under test
  (``monkeypatch.setenv``, ``mock.patch.dict``, env dicts), never read them.
Names an operator writes into ``sources.yml`` as ``"${NAME}"`` are credentials expanded by
``ingestion/intake/sources.py`` from whatever name is written there, not settings: no literal,
no read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.settings import (
    PROJECT_ROOT,
    VARIABLES,
    Settings,
    crash_point_name,
    load_settings,
)

PRODUCT = ("core", "ingestion", "simulator", "warehouse", "quality", "publishing", "moha", "dags")
SETTINGS = PROJECT_ROOT / "core" / "settings.py"
ENVIRON_WRITERS = {PROJECT_ROOT / "moha" / "runtime.py"}
MUTATORS = {"setdefault", "update", "pop", "popitem", "clear", "__setitem__", "__delitem__"}


def _python_files(*tops: str) -> list[Path]:
    return sorted(p for top in tops for p in (PROJECT_ROOT / top).rglob("*.py"))


def _is_moha(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("MOHA_")
    )


def _is_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _names_an_environment(node: ast.AST) -> bool:
    """``env``, ``environ``, ``environment``: a name a copy of the environment goes by (a
    ``"MOHA_…" in message`` test reads no variable)."""
    return isinstance(node, ast.Name) and "env" in node.id.lower()


def _reads_moha(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        return (
            bool(node.args)
            and _is_moha(node.args[0])
            and isinstance(func, ast.Attribute)
            and func.attr in {"get", "getenv"}
        )
    if isinstance(node, ast.Subscript):
        return isinstance(node.ctx, ast.Load) and _is_moha(node.slice)
    if isinstance(node, ast.Compare):
        return (
            _is_moha(node.left)
            and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
            and any(_is_environ(c) or _names_an_environment(c) for c in node.comparators)
        )
    return False


def moha_reads(tree: ast.AST) -> list[int]:
    """Lines that read a ``MOHA_*`` name from a mapping or the environment."""
    return sorted(node.lineno for node in ast.walk(tree) if _reads_moha(node))


def environ_writes(tree: ast.AST) -> list[int]:
    """Lines that change the process environment."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            if isinstance(node.ctx, ast.Store | ast.Del):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func
            if _is_environ(target.value) and target.attr in MUTATORS:
                lines.append(node.lineno)
            if (
                isinstance(target.value, ast.Name)
                and target.value.id == "os"
                and target.attr in {"putenv", "unsetenv"}
            ):
                lines.append(node.lineno)
    return lines


def _scan(files: list[Path], finder) -> list[str]:
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [f"{path.relative_to(PROJECT_ROOT)}:{line}" for line in finder(tree)]
    return found


def test_the_scanner_sees_every_way_of_reading_and_writing():
    code = (
        'import os\nenv = os.environ\nenv.get("MOHA_A")\nos.getenv("MOHA_B")\n'
        'os.environ["MOHA_C"]\n"MOHA_D" in env\nos.environ["X"] = "1"\n'
        'os.environ.setdefault("Y", "2")\ndel os.environ["Z"]\nos.putenv("W", "3")\n'
        '{"MOHA_E": "passed explicitly"}\nos.environ.get("PATH")\n'
    )
    tree = ast.parse(code)
    assert moha_reads(tree) == [3, 4, 5, 6]
    assert environ_writes(tree) == [7, 8, 9, 10]


def test_no_module_but_settings_reads_a_moha_variable():
    product = [p for p in _python_files(*PRODUCT) if p != SETTINGS]
    tooling = _python_files("tests", "bench", "tools")
    assert _scan(product + tooling, moha_reads) == []


def test_product_code_writes_the_environment_only_to_configure_airflow():
    product = [p for p in _python_files(*PRODUCT) if p not in ENVIRON_WRITERS]
    assert _scan(product, environ_writes) == []


def test_settings_reads_every_variable_it_declares():
    source = SETTINGS.read_text(encoding="utf-8")
    code = source[source.index("class _Environment") :]  # after the declarations
    unread = [v.name for v in VARIABLES if f'"{v.name}"' not in code]
    assert unread == []
    assert len({v.name for v in VARIABLES}) == len(VARIABLES)


@pytest.mark.parametrize("variable", [v for v in VARIABLES if v.default is not None], ids=str)
def test_each_documented_default_is_the_default(variable, tmp_path):
    base = {"MOHA_DATA_DIR": str(tmp_path)}
    assert load_settings({**base, variable.name: str(variable.default)}) == load_settings(base)


def test_unset_variables_give_the_dataclass_defaults(tmp_path):
    assert load_settings({"MOHA_DATA_DIR": str(tmp_path)}) == Settings(data_dir=tmp_path.resolve())
    assert crash_point_name({}) is None
    assert crash_point_name({"MOHA_CRASH_AT": "publish.renamed"}) == "publish.renamed"


def test_every_variable_has_a_one_line_doc():
    for variable in VARIABLES:
        assert variable.doc and "\n" not in variable.doc, variable.name
