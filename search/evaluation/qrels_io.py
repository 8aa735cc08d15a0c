"""Reading judgment files (TREC qrels, JSONL, CSV/TSV) and writing TREC qrels and runs.

Every malformed line is reported as `FILE:LINE: what is wrong; what to do`.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from corpus.textfile import TextFileProblem, read_text_file
from search.evaluation.errors import JudgmentFileError

FORMATS = ("trec", "jsonl", "csv", "tsv")
QID_FIELDS = ("query_id", "qid", "query-id", "queryid")
DOC_FIELDS = ("doc_id", "docid", "corpus_id", "corpus-id", "passage_id", "passage")
GRADE_FIELDS = ("relevance", "rel", "grade", "score", "label")
QUERY_FIELDS = ("query", "query_text", "text")


@dataclass(frozen=True)
class RawJudgment:
    line: int
    qid: str
    docid: str
    grade: int
    query: str | None = None


def detect_format(path: Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise JudgmentFileError(f"format {given!r} is not one of {', '.join(FORMATS)}")
        return given
    name = path.name.lower()
    for suffix, fmt in ((".jsonl", "jsonl"), (".json", "jsonl"), (".csv", "csv"), (".tsv", "tsv")):
        if name.endswith(suffix):
            return fmt
    return "trec"


def read_judgments(path: Path, fmt: str | None = None) -> list[RawJudgment]:
    path = Path(path)
    fmt = detect_format(path, fmt)
    try:
        text = read_text_file(path)
    except TextFileProblem as exc:
        raise JudgmentFileError(f"cannot read {path} ({exc}); give a UTF-8 {fmt} file") from exc
    reader = {"trec": _read_trec, "jsonl": _read_jsonl, "csv": _read_table, "tsv": _read_table}[fmt]
    out = reader(path, text, "\t" if fmt == "tsv" else ",")
    if not out:
        raise JudgmentFileError(f"{path} holds no judgments; expected {fmt} lines like {_EXAMPLES[fmt]}")
    return out


_EXAMPLES = {
    "trec": "'q1 0 doc-7#3 2'",
    "jsonl": '\'{"query_id": "q1", "doc_id": "doc-7#3", "relevance": 2}\'',
    "csv": "'query_id,doc_id,relevance' then 'q1,doc-7#3,2'",
    "tsv": "'query-id<TAB>corpus-id<TAB>score' then 'q1<TAB>doc-7#3<TAB>2'",
}


def _grade(path, lineno, value) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise JudgmentFileError(f"{path}:{lineno}: relevance {value!r} is not a number; use 0 (not relevant), 1 or 2") from None
    if number != int(number) or number < 0:
        raise JudgmentFileError(f"{path}:{lineno}: relevance {value!r} must be a whole number 0 or more (0 not relevant, 1 partly, 2 relevant)")
    return int(number)


def _read_trec(path, text, _sep) -> list[RawJudgment]:
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 4:
            raise JudgmentFileError(f"{path}:{lineno}: expected 4 fields 'QUERY_ID ITERATION DOC_ID RELEVANCE' (TREC qrels), found {len(parts)}")
        out.append(RawJudgment(lineno, parts[0], parts[2], _grade(path, lineno, parts[3])))
    return out


def _pick(record: dict, names, path, lineno, what):
    for name in names:
        if name in record and record[name] not in (None, ""):
            return str(record[name]).strip()
    if what is None:
        return None
    raise JudgmentFileError(f"{path}:{lineno}: no {what} field; name it one of {', '.join(names)}")


def _from_record(path, lineno, record: dict) -> RawJudgment:
    qid = _pick(record, QID_FIELDS, path, lineno, "query id")
    docid = _pick(record, DOC_FIELDS, path, lineno, "passage id")
    grade = _grade(path, lineno, _pick(record, GRADE_FIELDS, path, lineno, "relevance"))
    return RawJudgment(lineno, qid, docid, grade, _pick(record, QUERY_FIELDS, path, lineno, None))


def _read_jsonl(path, text, _sep) -> list[RawJudgment]:
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise JudgmentFileError(f"{path}:{lineno}: malformed JSON ({exc.msg}); each line must be one object like {_EXAMPLES['jsonl']}") from exc
        if not isinstance(record, dict):
            raise JudgmentFileError(f"{path}:{lineno}: expected a JSON object like {_EXAMPLES['jsonl']}")
        out.append(_from_record(path, lineno, record))
    return out


def _read_table(path, text, sep) -> list[RawJudgment]:
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(rows, None)
    if not header:
        return []
    header = [h.strip().lower() for h in header]
    if not set(header) & set(QID_FIELDS) or not set(header) & set(DOC_FIELDS):
        raise JudgmentFileError(f"{path}:1: the header must name a query id column ({', '.join(QID_FIELDS)}), a passage id column "
                                f"({', '.join(DOC_FIELDS)}) and a relevance column ({', '.join(GRADE_FIELDS)})")
    out = []
    for lineno, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise JudgmentFileError(f"{path}:{lineno}: {len(row)} columns but the header has {len(header)}")
        out.append(_from_record(path, lineno, dict(zip(header, row))))
    return out


def qrels_line(qid: str, key: str, grade: int) -> str:
    """One TREC qrels line: `qid 0 docid relevance`."""
    return f"{qid} 0 {key} {grade}"


def run_lines(run: dict[str, list[tuple[str, float]]], tag: str) -> list[str]:
    """TREC run lines: `qid Q0 docid rank score tag`, ranks from 1 in the given order."""
    return [f"{qid} Q0 {key} {rank} {score:.6f} {tag}" for qid, ranked in run.items() for rank, (key, score) in enumerate(ranked, start=1)]


def read_run(path: Path) -> dict[str, list[tuple[str, float]]]:
    """A TREC run file (`qid Q0 docid rank score tag`) as {qid: [(docid, score)]}, best first by score."""
    path = Path(path)
    try:
        text = read_text_file(path)
    except TextFileProblem as exc:
        raise JudgmentFileError(f"cannot read run {path} ({exc}); give a UTF-8 TREC run file") from exc
    run: dict[str, list[tuple[str, float]]] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 6:
            raise JudgmentFileError(f"{path}:{lineno}: expected 6 fields 'QUERY_ID Q0 DOC_ID RANK SCORE TAG' (TREC run), found {len(parts)}")
        try:
            score = float(parts[4])
        except ValueError:
            raise JudgmentFileError(f"{path}:{lineno}: score {parts[4]!r} is not a number") from None
        run.setdefault(parts[0], []).append((parts[2], score))
    if not run:
        raise JudgmentFileError(f"{path} holds no run lines; expected 'q1 Q0 doc-7#3 1 12.5 mysystem'")
    return {qid: sorted(ranked, key=lambda kv: -kv[1]) for qid, ranked in run.items()}
