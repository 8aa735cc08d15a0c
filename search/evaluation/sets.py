"""Storage of evaluation sets in the index database: sets, queries, pooled candidates, judgments."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from search.evaluation.errors import EvalSetError, EvalSetNotFound
from search.evaluation.keys import PassageRef
from search.evaluation.migrations import ensure_schema

GRADES = (0, 1, 2)
KINDS = ("pooled", "qa", "imported")


@dataclass
class EvalQuery:
    qid: str
    query: str
    position: int
    exclude: list[PassageRef] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


@dataclass
class Judgment:
    qid: str
    ref: PassageRef
    grade: int | None  # None: skipped
    origin: str


def set_names(conn) -> list[str]:
    ensure_schema(conn)
    return [r[0] for r in conn.execute("SELECT name FROM evalsets ORDER BY name")]


def get_set(conn, name: str) -> dict:
    ensure_schema(conn)
    row = conn.execute("SELECT name, kind, params, created_at FROM evalsets WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise EvalSetNotFound(name, set_names(conn))
    return {"name": row["name"], "kind": row["kind"], "params": json.loads(row["params"]), "created_at": row["created_at"]}


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or any(c.isspace() for c in name) or "/" in name:
        raise EvalSetError("evaluation set name {value!r} is not usable; give a short name without spaces or '/', e.g. {name} mfa-qa",
                           fields=("name",), value=name)
    return name


def create_set(conn, name: str, kind: str, params: dict | None = None) -> None:
    """Create a set (inside a transaction); an existing one is left as it is, so pooling or importing again adds to it."""
    name = check_name(name)
    ensure_schema(conn)
    row = conn.execute("SELECT kind FROM evalsets WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return
    conn.execute("INSERT INTO evalsets(name, kind, params) VALUES (?, ?, ?)", (name, kind, json.dumps(params or {}, sort_keys=True)))


def delete_set(conn, name: str) -> None:
    get_set(conn, name)
    conn.execute("DELETE FROM eval_judgments WHERE set_name = ?", (name,))
    conn.execute("DELETE FROM eval_candidates WHERE set_name = ?", (name,))
    conn.execute("DELETE FROM eval_queries WHERE set_name = ?", (name,))
    conn.execute("DELETE FROM evalsets WHERE name = ?", (name,))


def add_query(conn, name: str, qid: str, query: str, exclude: list[PassageRef] = (), meta: dict | None = None) -> bool:
    """Add a query; True if new. The same id with other text is refused (ids name queries in qrels)."""
    if not qid or any(c.isspace() for c in qid):
        raise EvalSetError(f"query id {qid!r} is empty or holds spaces, which TREC files cannot carry; give ids like q1 (JSONL: {{\"id\": \"q1\", \"query\": ...}})")
    row = conn.execute("SELECT query FROM eval_queries WHERE set_name = ? AND qid = ?", (name, qid)).fetchone()
    if row is not None:
        if row["query"] != query:
            raise EvalSetError(f"query id {qid!r} is already in set {name!r} with other text ({row['query'][:60]!r}); give the new query another id")
        return False
    position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM eval_queries WHERE set_name = ?", (name,)).fetchone()[0]
    excl = [[r.doc_id, r.ordinal, r.char_start, r.char_end] for r in exclude]
    conn.execute("INSERT INTO eval_queries(set_name, qid, position, query, exclude, meta) VALUES (?,?,?,?,?,?)",
                 (name, qid, position, query, json.dumps(excl), json.dumps(meta or {}, ensure_ascii=False, sort_keys=True)))
    return True


def queries(conn, name: str) -> list[EvalQuery]:
    ensure_schema(conn)
    return [
        EvalQuery(r["qid"], r["query"], r["position"], [PassageRef(*e) for e in json.loads(r["exclude"])], json.loads(r["meta"]))
        for r in conn.execute("SELECT qid, query, position, exclude, meta FROM eval_queries WHERE set_name = ? ORDER BY position", (name,))
    ]


def add_candidate(conn, name: str, qid: str, ref: PassageRef, rank: int, mode: str) -> bool:
    """Pool a passage for a query; True if new. A passage pooled again keeps its best rank and all its modes."""
    row = conn.execute("SELECT candidate_id, best_rank, modes FROM eval_candidates WHERE set_name = ? AND qid = ? AND doc_id = ? AND ordinal = ?",
                       (name, qid, ref.doc_id, ref.ordinal)).fetchone()
    if row is None:
        conn.execute("INSERT INTO eval_candidates(set_name, qid, doc_id, ordinal, char_start, char_end, best_rank, modes) VALUES (?,?,?,?,?,?,?,?)",
                     (name, qid, ref.doc_id, ref.ordinal, ref.char_start, ref.char_end, rank, mode))
        return True
    modes = row["modes"].split(",")
    if mode not in modes:
        modes.append(mode)
    conn.execute("UPDATE eval_candidates SET best_rank = ?, modes = ? WHERE candidate_id = ?", (min(rank, row["best_rank"]), ",".join(modes), row["candidate_id"]))
    return False


def set_judgment(conn, name: str, qid: str, ref: PassageRef, grade: int | None, origin: str) -> None:
    """Record (or replace) the grade of one passage for one query; None records a skip."""
    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM eval_judgments WHERE set_name = ?", (name,)).fetchone()[0]
    conn.execute(
        """INSERT INTO eval_judgments(set_name, qid, doc_id, ordinal, char_start, char_end, grade, origin, seq) VALUES (?,?,?,?,?,?,?,?,?)
           ON CONFLICT(set_name, qid, doc_id, ordinal) DO UPDATE SET char_start = excluded.char_start, char_end = excluded.char_end,
             grade = excluded.grade, origin = excluded.origin, seq = excluded.seq,
             judged_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')""",
        (name, qid, ref.doc_id, ref.ordinal, ref.char_start, ref.char_end, grade, origin, seq),
    )


def judgments(conn, name: str, include_skipped: bool = False) -> list[Judgment]:
    """Judgments in query order, then by passage key order of entry."""
    ensure_schema(conn)
    rows = conn.execute(
        f"""SELECT j.qid, j.doc_id, j.ordinal, j.char_start, j.char_end, j.grade, j.origin FROM eval_judgments j
            JOIN eval_queries q ON q.set_name = j.set_name AND q.qid = j.qid
            WHERE j.set_name = ? {'' if include_skipped else 'AND j.grade IS NOT NULL'} ORDER BY q.position, j.seq""",
        (name,),
    )
    return [Judgment(r["qid"], PassageRef(r["doc_id"], r["ordinal"], r["char_start"], r["char_end"]), r["grade"], r["origin"]) for r in rows]


def summary(conn, name: str) -> dict:
    info = get_set(conn, name)
    one = lambda sql: conn.execute(sql, (name,)).fetchone()[0]  # noqa: E731
    return {
        **info,
        "queries": one("SELECT count(*) FROM eval_queries WHERE set_name = ?"),
        "candidates": one("SELECT count(*) FROM eval_candidates WHERE set_name = ?"),
        "judged": one("SELECT count(*) FROM eval_judgments WHERE set_name = ? AND grade IS NOT NULL"),
        "skipped": one("SELECT count(*) FROM eval_judgments WHERE set_name = ? AND grade IS NULL"),
        "relevant": one("SELECT count(*) FROM eval_judgments WHERE set_name = ? AND grade > 0"),
        "unjudged_candidates": one(
            """SELECT count(*) FROM eval_candidates c LEFT JOIN eval_judgments j ON j.set_name = c.set_name AND j.qid = c.qid
               AND j.doc_id = c.doc_id AND j.ordinal = c.ordinal WHERE c.set_name = ? AND j.qid IS NULL"""),
    }
