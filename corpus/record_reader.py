"""A parsed record (a JSON object, a CSV row) as a document: its text, id and metadata fields looked up by
the field mapping (dots for nesting), the rest kept as metadata; and why a record cannot be stored."""
from __future__ import annotations

from corpus.documents import METADATA_FIELDS, RawDocument
from corpus.errors import InputProblem
from corpus.file_input import MB
from corpus.read_options import RECORD_FIELDS, ReadOptions
from corpus.textfile import invalid_character

MAX_RECORD_DEPTH = 64  # nesting levels a record may have (deeper ones are refused before anything recurses on them)


def _lookup(record: dict, dotted: str):
    value = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def record_problem(record) -> str | None:
    """Why a parsed record cannot be stored, or None: nested deeper than MAX_RECORD_DEPTH, or a string
    (key or value) with a character that has no UTF-8 form. Walked without recursion."""
    stack = [(record, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            problem = invalid_character(item)
            if problem:
                return f"holds {problem} (a broken \\u escape or bytes that are not UTF-8)"
        elif isinstance(item, (dict, list)):
            if depth > MAX_RECORD_DEPTH:
                return f"nested more than {MAX_RECORD_DEPTH} levels deep"
            values = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((v, depth + 1) for v in values)
    return None


def record_to_document(record, origin: str, fallback_id: str, options: ReadOptions) -> RawDocument | InputProblem:
    if not isinstance(record, dict):
        return InputProblem(origin, f"expected a JSON object, found {type(record).__name__}")
    problem = record_problem(record)
    if problem:
        return InputProblem(origin, f"{problem}; skipped")
    text_name = options.source_name("text")
    text = _lookup(record, text_name)
    if text is None:
        return InputProblem(origin, "no {name!r} field; map the text with {field_map} text=NAME", fields=("field_map",), name=text_name)
    if not isinstance(text, str) or not text.strip():
        return InputProblem(origin, f"field {text_name!r} is empty or not text")
    if len(text.encode("utf-8")) > options.max_doc_bytes:
        return InputProblem(origin, "document of {size:.1f} MB is over the {limit:g} MB limit; split it or raise {max_doc_mb}",
                            fields=("max_doc_mb",), size=len(text.encode("utf-8")) / MB, limit=options.max_doc_bytes / MB)
    doc_id = _lookup(record, options.source_name("id"))
    given = {}
    for name in METADATA_FIELDS:
        value = _lookup(record, options.source_name(name))
        if value not in (None, ""):
            given[name] = str(value)
    used = {options.source_name(n).split(".")[0] for n in RECORD_FIELDS}
    meta = {k: v for k, v in record.items() if k not in used}
    if isinstance(record.get("meta"), dict) and "meta" not in used:
        meta = {**{k: v for k, v in meta.items() if k != "meta"}, **record["meta"]}
    return RawDocument(doc_id=str(doc_id) if doc_id not in (None, "") else fallback_id, text=text, origin=origin, given=given, meta=meta)
