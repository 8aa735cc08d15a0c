"""Who says each part of a document: spans with exactly one speaker, role and actor, each with its provenance.

- A transcript (any speaker label, see corpus.turns) is cut into its turns: a journalist's question is spoken
  by its outlet (or an unknown reporter) for no actor; answers and statements by the labelled speaker (`A:` by
  the document's speaker) for the document's actor, or for the actor of a known official (`PRESIDENT DUDA`);
  an answer links to the span of its question; a labelled official's procedural turn ("Thank you.") keeps
  the official's actor, a moderator's, an operator's or a journalist's has none.
- A document from a government or UN source, or with a given speaker, and no labels, is one statement.
- Anything else is read as a news report (corpus.reported_speech): reported and quoted sentences get their
  source; the rest is the outlet's narration (speaker: the document's source, actor none).

The document's actor comes from `given_actor` or `meta["actor"]` (given), else its source through the actor
table (`sources`: fmprc -> China, the White House -> United States, a UN General Debate speech -> its
`meta.country_iso3`), inferred.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.actors import ActorTable, load_actors
from corpus.documents import GIVEN, INFERRED, UNKNOWN, Document
from corpus.reported_speech import read_reported_speech
from corpus.roles import NARRATION, PROCEDURAL, QUESTION, STATEMENT
from corpus.turns import PROCEDURAL_LABELS, read_turns


@dataclass(frozen=True)
class AttributedSpan:
    start: int
    end: int
    role: str
    speaker: str | None
    speaker_status: str
    actor: str | None
    actor_status: str
    answers: int | None = None  # for an answer: index (in the same list) of the question span


def document_actor(doc: Document, table: ActorTable, given_actor: str | None = None) -> tuple[str | None, str]:
    """(actor, status) of the document as a whole."""
    for value in (given_actor, doc.meta.get("actor") if isinstance(doc.meta.get("actor"), str) else None):
        if value and value.strip():
            return table.resolve(value) or table.by_code(value) or value.strip(), GIVEN
    actor = table.for_source(doc.source, doc.meta)
    return (actor, INFERRED) if actor else (None, UNKNOWN)


def _official_actor(table: ActorTable, speaker: str | None) -> str | None:
    """The actor of a speaker named like a known official: in full, or by surname (`Ms. Psaki`)."""
    if not speaker:
        return None
    actor = table.person_actor(speaker)
    if actor:
        return actor
    surname = speaker.split()[-1]
    hits = {a for p, a in table.people.items() if p.split()[-1].lower() == surname.lower()}
    return hits.pop() if len(hits) == 1 else None


def _fuller(label_speaker: str | None, doc_speaker: str | None) -> str | None:
    """The document's speaker when a label names the same person by title only (`The President` in a document by
    `President Biden`), else the label's speaker."""
    if not label_speaker or not doc_speaker:
        return label_speaker
    words = [w for w in label_speaker.lower().replace(".", "").split() if w != "the"]
    return doc_speaker if words and set(words) <= set(doc_speaker.lower().replace(".", "").split()) else label_speaker


def _transcript(doc: Document, turns, table: ActorTable, actor: str | None, actor_status: str) -> list[AttributedSpan]:
    out = []
    for turn in turns:
        if turn.role == QUESTION or turn.asks or (turn.role == PROCEDURAL and (turn.speaker is None or turn.label is None
                                                                               or turn.speaker.lower() in PROCEDURAL_LABELS)):
            span_actor, status = None, UNKNOWN  # journalists, moderators, operators and time stamps speak for no actor
        else:
            official = _official_actor(table, turn.speaker) if turn.speaker_status != INFERRED else None
            span_actor, status = (official, INFERRED) if official else (actor, actor_status if actor else UNKNOWN)
        speaker_status = GIVEN if turn.speaker_status == INFERRED and doc.status("speaker") == GIVEN and turn.label is None \
            else turn.speaker_status
        speaker = _fuller(turn.speaker, doc.speaker) if turn.role != QUESTION else turn.speaker
        out.append(AttributedSpan(turn.start, turn.end, turn.role, speaker, speaker_status, span_actor, status, turn.answers))
    return out


def _news(doc: Document, table: ActorTable, actor: str | None) -> list[AttributedSpan]:
    out: list[AttributedSpan] = []
    for s in read_reported_speech(doc.text, table, actor):
        if s.speaker is None and s.role == NARRATION:
            span = AttributedSpan(s.start, s.end, NARRATION, doc.source, doc.status("source") if doc.source else UNKNOWN,
                                  None, UNKNOWN)
        else:
            span = AttributedSpan(s.start, s.end, s.role, s.speaker, s.speaker_status, s.actor, s.actor_status)
        prev = out[-1] if out else None
        if prev and (prev.role, prev.speaker, prev.actor) == (span.role, span.speaker, span.actor):
            out[-1] = AttributedSpan(prev.start, span.end, prev.role, prev.speaker, prev.speaker_status, prev.actor, prev.actor_status)
        else:
            out.append(span)
    return out


def attribute(doc: Document, table: ActorTable | None = None, spokespeople=(), given_actor: str | None = None) -> list[AttributedSpan]:
    """Spans of `doc.text`, in order, each with one speaker, role and actor. `spokespeople`: more names that
    label a transcript's speakers (the index's document speakers); `given_actor` overrides the document's actor."""
    table = table or load_actors()
    if not doc.text.strip():
        return []
    actor, actor_status = document_actor(doc, table, given_actor)
    turns = read_turns(doc.text, spokespeople, doc.speaker)
    if len(turns) > 1 or (turns and turns[0].label is not None):
        return _transcript(doc, turns, table, actor, actor_status)
    if actor or doc.status("speaker") == GIVEN:
        speaker_status = doc.status("speaker")
        return [AttributedSpan(turns[0].start, turns[0].end, STATEMENT, doc.speaker, speaker_status, actor, actor_status)]
    return _news(doc, table, actor)

