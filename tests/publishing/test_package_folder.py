"""The dbt folder marts/package holds exactly the tables the ministry's package is made of, and
marts/operations none of them: the split of the marts says who reads what."""

from __future__ import annotations

from core.settings import DBT_PROJECT_DIR
from publishing.extract import TABLES

MARTS = DBT_PROJECT_DIR / "models" / "marts"


def _models(folder: str) -> set[str]:
    return {path.stem for path in (MARTS / folder).glob("*.sql")}


def test_the_package_folder_is_the_package():
    assert _models("package") == set(TABLES)


def test_operations_models_are_not_published():
    assert _models("operations")
    assert not _models("operations") & set(TABLES)
