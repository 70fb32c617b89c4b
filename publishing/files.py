"""CSV (UTF-8 with BOM) and Parquet files of the package, file hashes and the content digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from publishing.safety import neutralise_frame

BOM = b"\xef\xbb\xbf"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel reads Vietnamese), LF line ends, formula-like text neutralised."""
    text = neutralise_frame(frame).to_csv(index=False, lineterminator="\n", na_rep="")
    return BOM + text.encode("utf-8")


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    path.write_bytes(csv_bytes(frame))
    return path


def write_parquet(path: Path, frame: pd.DataFrame) -> Path:
    """Parquet with the frame's types (nullable ints stay ints); same frame → same bytes."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd", write_statistics=True)
    return path


def read_parquet(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas()


def content_digest(folder: Path, exclude: tuple[str, ...] = ("manifest.json",)) -> str:
    """sha256 over every file of a package folder (name and bytes, in name order), the manifest
    aside (it holds the generation time). Every file is byte-reproducible (tables, CSV, PNG,
    HTML, xlsx with the week's Monday as its time), so equal digests ⇔ the same package."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.name not in exclude):
        digest.update(path.name.encode() + b"\n" + bytes.fromhex(sha256_file(path)))
    return digest.hexdigest()
