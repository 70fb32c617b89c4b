"""Bytes → a Book of sheets: preflight, the xlsx/xls/ods structure readers, the readers."""
