"""Reading CSV files (.csv): one document per row, the header naming the fields; the file is decoded whole
(its encoding guessed as for text files), so it may hold at most MAX_CSV_BYTES."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from corpus.documents import RawDocument
from corpus.errors import InputProblem
from corpus.file_input import MB, shown_path, unreadable
from corpus.read_options import ReadOptions
from corpus.record_reader import record_to_document
from corpus.text_reader import decode_bytes
from corpus.textfile import FileTooLarge, NotRegularFile, read_regular_file

MAX_CSV_BYTES = 1024 * MB  # a CSV file is decoded whole to guess its encoding


def _read_csv(file: Path, options: ReadOptions) -> Iterator[RawDocument | InputProblem]:
    name = shown_path(file)
    try:
        data = read_regular_file(file, MAX_CSV_BYTES)
    except FileTooLarge as exc:
        yield InputProblem(name, f"CSV file of {exc.size / MB:.0f} MB is over the {MAX_CSV_BYTES / MB:.0f} MB a CSV file may hold; split it, or use JSONL (read line by line)")
        return
    except (NotRegularFile, OSError) as exc:
        yield unreadable(name, exc)
        return
    try:
        text, notice = decode_bytes(data)
    except ValueError as exc:
        yield InputProblem(name, str(exc))
        return
    if not text.strip():
        yield InputProblem(name, "empty file")
        return
    csv.field_size_limit(max(options.max_doc_bytes * 2, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        text_name = options.source_name("text")
        if text_name not in (reader.fieldnames or []):  # one line for the file, not one per row
            columns = ", ".join(name for name in reader.fieldnames or [] if name) or "none"
            yield InputProblem(name, "no {name!r} column (columns: {columns}); map the text with {field_map} text=NAME",
                               fields=("field_map",), name=text_name, columns=columns)
            return
        for row in reader:
            origin = f"{name}:{reader.line_num}"
            if None in row:  # DictReader puts the cells beyond the header under the key None
                cells = len(reader.fieldnames) + len(row[None])
                yield InputProblem(origin, f"row has {cells} cells, the header {len(reader.fieldnames)}; row skipped (quote cells holding commas)")
                continue
            doc = record_to_document(dict(row), origin, f"{shown_path(file.stem)}-{reader.line_num}", options)
            if notice and isinstance(doc, RawDocument):
                doc.notices.append(notice)
            yield doc
    except csv.Error as exc:
        yield InputProblem(f"{name}:{reader.line_num}", f"malformed CSV ({exc}); the rows before it were read")


def csv_reader(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> Iterator[RawDocument | InputProblem]:
    return _read_csv(file, options)
