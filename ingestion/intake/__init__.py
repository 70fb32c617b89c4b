"""Files in: each province's source (fsspec), file names and renaming advice, landing."""
