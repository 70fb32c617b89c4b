#!/usr/bin/env bash
# Start one Airflow role of the scale-out deployment with deploy/scale.env (or $MOHA_SCALE_ENV).
# Roles: init | scheduler | dag-processor | triggerer | api-server | worker | check
# Run `init` once per cluster, then each role on the machines that should run it; start as
# many `worker` roles, on as many machines, as you need. Stop a role with Ctrl-C (SIGINT).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
env_file="${MOHA_SCALE_ENV:-$root/deploy/scale.env}"
if [[ ! -f "$env_file" ]]; then
    echo "missing $env_file: copy deploy/scale.env.example and edit it" >&2
    exit 2
fi
set -a
# shellcheck disable=SC1090
source "$env_file"
set +a
export AIRFLOW_HOME="${AIRFLOW_HOME:-$root/.airflow-scale}"
export AIRFLOW__CORE__DAGS_FOLDER="$root/dags"
export AIRFLOW__COSMOS__ENABLE_TELEMETRY=False DBT_SEND_ANONYMOUS_USAGE_STATS=False
export GX_ANALYTICS_ENABLED=False
bin="$root/.venv/bin"
role="${1:?role: init | scheduler | dag-processor | triggerer | api-server | worker | check}"
shift || true
case "$role" in
    check) exec "$bin/moha" check ;;
    init)
        "$bin/moha" check --airflow-only
        "$bin/airflow" db migrate
        exec "$bin/airflow" pools set duckdb_writer 1 "One writer at a time on the DuckDB file" ;;
    scheduler|dag-processor|triggerer|api-server)
        "$bin/moha" check --airflow-only
        exec "$bin/airflow" "$role" "$@" ;;
    worker)
        "$bin/moha" check
        exec "$bin/airflow" celery worker "$@" ;;
    *) echo "unknown role $role" >&2; exit 2 ;;
esac
