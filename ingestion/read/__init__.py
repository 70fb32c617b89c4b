"""Bytes → a Book of sheets: the format told by the bytes, a zip judged before it is inflated,
what each format's own structure tells, and the readers."""
