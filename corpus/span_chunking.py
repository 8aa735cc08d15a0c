"""Passages that respect who speaks: a document is chunked within each attributed span (corpus.attribution), so a
passage never runs across two speakers' turns, and each passage carries its span's speaker, role and actor."""
from __future__ import annotations

from corpus.actors import ActorTable
from corpus.attribution import AttributedSpan, attribute
from corpus.chunking import ChunkOptions, TokenCounter, chunk, whitespace_tokens
from corpus.documents import Document, Passage


def chunk_spans(text: str, spans: list[AttributedSpan], count: TokenCounter = whitespace_tokens,
                options: ChunkOptions = ChunkOptions()) -> list[Passage]:
    """Passages of `text` in order, each a verbatim slice inside one span, annotated with that span. Text outside
    every span (whitespace between sentences) belongs to no passage. An answer's passages point to the first
    passage of the question it answers (`answers`) and carry that question's characters (`question_span`)."""
    out: list[Passage] = []
    first_of_span: dict[int, int] = {}
    for index, span in enumerate(spans):
        first_of_span[index] = len(out)
        question = spans[span.answers] if span.answers is not None and 0 <= span.answers < index else None
        for piece in chunk(text[span.start : span.end], count, options):
            out.append(Passage(
                ordinal=len(out), char_start=span.start + piece.char_start, char_end=span.start + piece.char_end,
                text=piece.text, n_tokens=piece.n_tokens, speaker=span.speaker, speaker_status=span.speaker_status,
                role=span.role, actor=span.actor, actor_status=span.actor_status,
                answers=first_of_span[span.answers] if question else None,
                question_span=(question.start, question.end) if question else None))
    return out


def attributed_passages(doc: Document, count: TokenCounter = whitespace_tokens, options: ChunkOptions = ChunkOptions(),
                        table: ActorTable | None = None, spokespeople=(), given_actor: str | None = None) -> list[Passage]:
    """The one call for ingest: `doc`'s passages, chunked within its attributed spans and annotated with them."""
    return chunk_spans(doc.text, attribute(doc, table, spokespeople, given_actor), count, options)
