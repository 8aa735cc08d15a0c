"""Attribution accuracy on a labelled sample: passages from the MFA (English, Chinese), White House and UN General
Debate samples (plus a stratum of White House press briefings and remarks, the transcripts) and the five seeds, with precision and recall per role and actor accuracy.

The truth never comes from the code under test. It is read off the data's own structure with rules kept simple
and visibly different from corpus.turns:
- transcripts: the last paragraph at or before the passage that opens with a label from a fixed list (`Q:`,
  `A:`, `Follow-up:`, `问：`, `答：`, `追问：`, the document's `speaker` field, `...记者：`, the outlets below, a White
  House `Q ` or `MR./MS./DR./THE .../SECRETARY ...:`) says who speaks; a question label means question, anything
  else answer when a question label came earlier in the document, else statement; `MODERATOR:` procedural;
- MFA actor: China for the ministry's side, none for a question; White House: United States, none for a question,
  and no actor truth under a foreign leader's label (`PRESIDENT DUDA:`); documents with no label: one statement;
- UN speeches: a statement by the `speaker` field for the country in `meta.country_iso3`;
- seeds: the hand-written list in tests/test_attribution_seeds.py.

    python benchmarks/attribution_sample.py [--per-corpus 80] [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.actors import load_actors  # noqa: E402
from corpus.attribution import attribute  # noqa: E402
from corpus.documents import RawDocument  # noqa: E402
from corpus.prepare import prepare  # noqa: E402
from corpus.readers import read_inputs  # noqa: E402
from corpus.span_chunking import chunk_spans  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
OUTLETS = {"Reuters", "AFP", "CCTV", "Bloomberg", "Xinhua News Agency", "China Daily", "The Paper", "Shenzhen TV", "Beijing Youth Daily",
           "RIA Novosti", "China News Service", "South China Morning Post", "CNR", "Global Times", "Beijing Daily", "TASS", "CRI",
           "Bloomberg News", "CNN", "Phoenix TV", "BBC", "Kyodo News", "Sputnik", "Agence France-Presse", "NHK", "EFE", "AP",
           "The Globe and Mail", "The Australian", "Associated Press of Pakistan", "China National Radio", "PTI", "CNS"}
QUESTION_WORDS = {"Q", "Follow-up", "Journalist", "Reporter", "问", "追问"}
WH_SPEAKER = re.compile(r"^((?:MR|MS|MRS|DR)\.\s+[A-Z\u00c0-\u00de'\u2019\- ]+|THE (?:PRESIDENT|VICE PRESIDENT|FIRST LADY)|"
                        r"(?:SECRETARY|ADMINISTRATOR|ACTING [A-Z]+|SENIOR ADMINISTRATION OFFICIAL|VICE PRESIDENT|PRESIDENT|PRIME MINISTER|"
                        r"GOVERNOR|SENATOR|AMBASSADOR|GENERAL|ADMIRAL|DIRECTOR|CHAIR)[A-Z\u00c0-\u00de'\u2019\- ]*|MODERATOR)\s*:")
FOREIGN_LEADER = re.compile(r"^(?:PRESIDENT|PRIME MINISTER|KING|CHANCELLOR|CROWN PRINCE|EMIR|SULTAN) [A-Z]")


def _label_of(paragraph: str, doc_speaker: str | None) -> tuple[str, str | None] | None:
    """(kind, who) for a paragraph that opens with a truth label: kind question / speaker / procedural."""
    if paragraph.startswith("Q ") or paragraph.startswith("Q\u00a0"):
        return "question", None
    head = re.split(r"[:\uff1a]", paragraph, maxsplit=1)
    if len(head) < 2:
        return None
    label = head[0].strip()
    if label in QUESTION_WORDS:
        return "question", None
    if label in OUTLETS:
        return "question", label
    if label.endswith("记者") and len(label) <= 20:
        return "question", label[:-2].strip("《》") or None
    if label in ("A", "答"):
        return "speaker", doc_speaker
    if doc_speaker and label == doc_speaker:
        return "speaker", label
    m = WH_SPEAKER.match(paragraph)
    if m:
        who = m.group(1).strip()
        return ("procedural", who) if who == "MODERATOR" else ("speaker", who)
    return None


def _transcript_truth(doc, passage, home_actor):
    """(role, speaker, actor, actor_known) for a passage of a transcript, or None when no truth label precedes it."""
    paragraphs = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", doc.text)]
    labels = [(start, _label_of(p, doc.speaker)) for start, p in paragraphs]
    labels = [(s, lab) for s, lab in labels if lab]
    if not labels:
        return ("statement", doc.speaker, home_actor, True)
    before = [(s, lab) for s, lab in labels if s <= passage.char_start]
    if not before:
        return None
    start, (kind, who) = before[-1]
    if kind == "question":
        return ("question", who, None, True)
    if kind == "procedural":
        return ("procedural", who, None, True)
    asked = any(lab[0] == "question" for s, lab in labels if s < start)
    foreign = bool(who and FOREIGN_LEADER.match(who))
    return ("answer" if asked else "statement", who, None if foreign else home_actor, not foreign)


def _same_speaker(truth: str | None, got: str | None) -> bool:
    """Same name, or the label's title words all in the name given (`THE PRESIDENT` for `President Biden`)."""
    norm = lambda s: re.sub(r"[^\w]+", " ", (s or "").lower()).strip()  # noqa: E731
    if norm(truth) == norm(got):
        return True
    words = set(norm(truth).split()) - {"the"}
    return bool(words and got) and words <= set(norm(got).split())


def _load(name: str):
    return [prepare(r) for r in read_inputs([SHARED / name]) if isinstance(r, RawDocument)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-corpus", type=int, default=80)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    table = load_actors()
    rows = []  # (corpus, truth role, got role, truth actor, got actor, actor known, speaker ok or None)
    for corpus, home in (("mfa_pressconf_sample.jsonl", "China"), ("mfa_pressconf_zh_sample.jsonl", "China"),
                         ("whitehouse_sample.jsonl", "United States"), ("whitehouse briefings", "United States"),
                         ("ungdc_sample.jsonl", None)):
        docs = _load(corpus) if corpus != "whitehouse briefings" else [
            d for d in _load("whitehouse_sample.jsonl") if d.meta.get("category") in ("press-briefings", "speeches-remarks")]
        people = {d.speaker for d in docs if d.speaker}
        pool = []
        for doc in docs:
            spans = attribute(doc, table, people)
            pool += [(doc, p) for p in chunk_spans(doc.text, spans)]
        drawn = 0
        for doc, p in rng.sample(pool, len(pool)):
            if drawn == args.per_corpus:
                break
            if home is None:
                code = doc.meta.get("country_iso3")
                got_code = table.actors[p.actor].code if p.actor in table.actors else None
                rows.append((corpus, "statement", p.role, code, got_code, True, _same_speaker(doc.speaker, p.speaker)))
                drawn += 1
                continue
            truth = _transcript_truth(doc, p, home)
            if truth is None:
                continue
            role, who, actor, known = truth
            speaker_ok = _same_speaker(who, p.speaker) if role in ("answer", "statement", "question") and who else None
            rows.append((corpus, role, p.role, actor, p.actor, known, speaker_ok))
            drawn += 1
    sys.path.insert(0, str(ROOT))
    from tests.test_attribution_seeds import TRUTH  # the hand-written truth for the seeds

    seeds = {d.doc_id[:3]: d for d in _load("seeds")}
    for key, items in TRUTH.items():
        doc = seeds[key]
        passages = chunk_spans(doc.text, attribute(doc, table))
        for opening, speaker, actor in items:
            at = doc.text.index(opening)
            p = next(p for p in passages if p.char_start <= at < p.char_end)
            role = "narration" if speaker is None else ("quote" if opening[:1] in "\"\u201c" else "statement")
            got_role = p.role if not (role == "statement" and p.role == "quote") else "statement"
            rows.append(("seeds", role, got_role, actor, p.actor, True, _same_speaker(speaker, p.speaker) if speaker else None))
    report(rows, args.json)


def report(rows, as_json: bool) -> None:
    roles = sorted({r[1] for r in rows} | {r[2] for r in rows})
    per_role = {}
    for role in roles:
        tp = sum(1 for r in rows if r[1] == role and r[2] == role)
        predicted = sum(1 for r in rows if r[2] == role)
        actual = sum(1 for r in rows if r[1] == role)
        per_role[role] = {"precision": tp / predicted if predicted else None, "recall": tp / actual if actual else None,
                          "support": actual, "predicted": predicted}
    known = [r for r in rows if r[5]]
    actor_ok = sum(1 for r in known if r[3] == r[4])
    speakers = [r for r in rows if r[6] is not None]
    by_corpus = Counter(r[0] for r in rows)
    acc_corpus = {c: sum(1 for r in known if r[0] == c and r[3] == r[4]) / max(1, sum(1 for r in known if r[0] == c)) for c in by_corpus}
    out = {"passages": len(rows), "by_corpus": dict(by_corpus), "roles": per_role,
           "actor_accuracy": actor_ok / len(known), "actor_accuracy_by_corpus": acc_corpus, "actor_judged": len(known),
           "speaker_accuracy": sum(r[6] for r in speakers) / max(1, len(speakers)), "speaker_judged": len(speakers),
           "role_accuracy": sum(1 for r in rows if r[1] == r[2]) / len(rows)}
    if as_json:
        print(json.dumps(out, indent=2))
        return
    print(f"passages {out['passages']}  {dict(by_corpus)}")
    print(f"{'role':12} {'precision':>9} {'recall':>7} {'support':>8} {'predicted':>9}")
    for role, m in per_role.items():
        fmt = lambda v: f"{v:.3f}" if v is not None else "  -"  # noqa: E731
        print(f"{role:12} {fmt(m['precision']):>9} {fmt(m['recall']):>7} {m['support']:>8} {m['predicted']:>9}")
    print(f"role accuracy {out['role_accuracy']:.3f}   actor accuracy {out['actor_accuracy']:.3f} (of {len(known)})   "
          f"speaker accuracy {out['speaker_accuracy']:.3f} (of {len(speakers)})")
    print("actor accuracy by corpus: " + ", ".join(f"{c} {v:.3f}" for c, v in acc_corpus.items()))
    confusions = Counter((r[0], r[1], r[2]) for r in rows if r[1] != r[2])
    if confusions:
        print("role confusions (corpus, truth, got): " + "; ".join(f"{k} x{v}" for k, v in confusions.most_common(8)))


if __name__ == "__main__":
    main()
