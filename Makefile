# Two commands on a fresh machine: `make demo` and `make test`. Everything else is optional.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := .venv/bin/python
MOHA := .venv/bin/moha
WEEKS ?= 2025-W35:2025-W47
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__PARALLELISM ?= 4
export AIRFLOW__COSMOS__ENABLE_TELEMETRY := False
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := False

.PHONY: env demo test test-fast lint airflow bench docs docs-tables report-preview clean

env: .venv/.synced

.venv/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv
	"$(UV)" sync --frozen --all-extras --compile-bytecode
	@touch $@

demo: env ## simulate a quarter for 34 provinces, run every week through Airflow, publish
	$(MOHA) simulate --weeks $(WEEKS) --seed 7
	$(MOHA) run --week $(WEEKS)
	@$(PY) -c "from core.settings import load_settings; from warehouse.dbt import generate_docs, static_docs_path; s = load_settings(); generate_docs(s); print('dbt docs (one file, opens offline):', static_docs_path(s))"

test: env lint ## lint, then every test (Airflow, dbt and Great Expectations really run)
	$(PY) -m pytest

test-fast: env ## pure and unit tests only (no Airflow runs, dbt, GX, renders or servers): < 30 s
	$(PY) -m pytest -m "not slow" -q

lint: env ## ruff (lint + format), import-linter's layer contract, sqlfluff
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/sqlfluff lint dbt_project --disable-progress-bar

airflow: env ## Airflow UI on http://localhost:8080 (login printed below)
	@echo "Login: user 'admin', password in $(AIRFLOW_HOME)/simple_auth_manager_passwords.json.generated"
	$(PY) -c "from moha.runtime import exec_airflow; exec_airflow('standalone')"

bench: env ## benchmarks: prints ratios against baselines measured in the same run
	$(PY) -m bench

docs: env ## dbt docs generate --static: one file that opens from disk, offline
	@$(PY) -c "from core.settings import load_settings; from warehouse.dbt import generate_docs, static_docs_path; s = load_settings(); generate_docs(s); print('dbt docs (one file, opens offline):', static_docs_path(s))"

docs-tables: env ## rewrite the generated tables of docs/ from the code (contract, configuration)
	$(PY) -m tools.docs_tables

report-preview: env ## page 1 of a simulated national week → docs/bao_cao_tuan_page1.png (Chromium)
	$(PY) -m tools.report_preview --weeks $(WEEKS)

clean:
	rm -rf data .airflow .airflow-test dbt_project/target dbt_project/logs
