"""Warehouse: staged Parquet into DuckDB `raw`, the dbt build, and the analysts' snapshot."""
