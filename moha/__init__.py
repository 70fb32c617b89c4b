"""Top floor: orchestration policy, Airflow runtime, the weekly cycle, service checks, the CLI."""
