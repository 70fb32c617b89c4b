"""Staged Parquet per landed file, and the province's registry of the files it sent."""
