"""CSV export of talking points (one row per member sentence) and of similar passages."""
from __future__ import annotations

import csv
from pathlib import Path

from index.passage_view import CITATION_FIELDS
from search.talking_points.errors import TalkingPointsError

CLUSTER_COLUMNS = ["rank", "cluster_id", "representative", "n_documents", "n_sources", "first_seen", "last_seen",
                   *CITATION_FIELDS, "sentence", "similarity"]
SIMILAR_COLUMNS = ["rank", *CITATION_FIELDS, "cosine", "word_overlap", "ngram_containment", "shared_words", "text"]


def _citation(passage) -> list:
    """The CITATION_FIELDS of a passage view, empty strings for unknowns."""
    return ["" if v is None else v for v in passage.as_dict(CITATION_FIELDS).values()]


def _open(path: Path):
    try:
        return open(path, "w", newline="", encoding="utf-8")
    except OSError as exc:
        raise TalkingPointsError("cannot write {path}: {problem}; choose another {csv} path", fields=("csv",), path=path,
                                 problem=exc.strerror) from exc


def write_clusters_csv(path: Path, clusters) -> int:
    rows = 0
    with _open(path) as f:
        out = csv.writer(f)
        out.writerow(CLUSTER_COLUMNS)
        for c in clusters:
            for m in c.members:
                out.writerow([c.rank, c.cluster_id, c.representative, c.n_documents, c.n_sources, c.first_seen or "", c.last_seen or "",
                              *_citation(m.passage), m.sentence, m.similarity])
                rows += 1
    return rows


def write_similar_csv(path: Path, hits) -> int:
    with _open(path) as f:
        out = csv.writer(f)
        out.writerow(SIMILAR_COLUMNS)
        for h in hits:
            out.writerow([h.rank, *_citation(h.passage), h.cosine, h.word_overlap, h.ngram_containment, " ".join(h.shared_words), h.text])
    return len(hits)
