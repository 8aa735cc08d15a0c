"""Question and answer turns in a press-conference transcript.

These styles are recognised, paragraph by paragraph (paragraphs are separated by a blank line):

- `Q: ...` / `A: ...` (also `Follow-up:`, `Journalist:`, `Reporter:` for questions);
- an outlet's name, then the spokesperson's name: `Reuters: ...` / `Geng Shuang: ...`. A label counts as an
  outlet only in a transcript where some paragraph starts with a spokesperson's name, and only when it looks
  like a name (one to six capitalised words), so `First: ...` inside a Q/A transcript stays answer text.
- Chinese transcripts: `问：` / `答：` (`追问：` a follow-up), and a reporter's label, `路透社记者：` (an outlet's
  name then 记者, "reporter"), or `会后有记者问及：` ("after the briefing a reporter asked"), then the
  spokesperson's name, `赵立坚：`.

A question runs until its answer starts (unlabelled paragraphs after a question belong to it); an answer runs
until the next labelled paragraph. What cannot be paired is counted by reason, never guessed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from corpus.chunking import paragraph_spans

_LABEL = re.compile(r"^\s*([^\s:\uff1a][^:\uff1a\n]{0,48}?)\s*[:\uff1a]\s*")
QUESTION_LABELS = {"q", "question", "问"}
FOLLOW_UP_LABELS = {"follow-up", "follow up", "followup", "journalist", "reporter", "correspondent", "追问"}
ANSWER_LABELS = {"a", "answer", "答"}
REPORTER_ZH = "记者"  # a label ending so (路透社记者) or holding 记者问 (会后有记者问及) is a reporter's question
_CONNECTORS = {"of", "the", "and", "for", "de", "&", "du", "la", "news"}

UNANSWERED = "question without an answer"
ORPHAN = "answer without a question"
EMPTY = "empty question"


@dataclass(frozen=True)
class Turn:
    question: str  # the question's words, labels removed
    question_span: tuple[int, int]  # characters of the question paragraphs (labels included)
    answer_span: tuple[int, int]
    kind: str  # "question" or "follow-up"
    asker: str | None  # the outlet named, if any


@dataclass
class TurnScan:
    turns: list[Turn] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)  # reason -> count


def _norm(label: str) -> str:
    return " ".join(label.lower().split())


def _looks_like_name(label: str) -> bool:
    words = label.split()
    if not 1 <= len(words) <= 6 or not label[0].isupper() or any(c in label for c in ',."\u201c\u201d!?;()'):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in words)


def _classify(paragraph: str, spokespeople: set[str], named_style: bool) -> tuple[str | None, str | None, int]:
    """(role, label, offset of the words after the label): role is 'question', 'follow-up', 'answer' or None."""
    match = _LABEL.match(paragraph)
    if not match:
        return None, None, 0
    label = match.group(1).strip()
    norm = _norm(label)
    if norm in ANSWER_LABELS or norm in spokespeople:
        return "answer", label, match.end()
    if norm in QUESTION_LABELS:
        return "question", label, match.end()
    if norm in FOLLOW_UP_LABELS or norm.split()[0] in ("journalist", "reporter"):
        return "follow-up", label, match.end()
    if norm.endswith(REPORTER_ZH) or REPORTER_ZH + "问" in norm:
        return "question", label, match.end()
    if named_style and _looks_like_name(label):
        return "question", label, match.end()
    return None, None, 0


def _asker(label: str) -> str | None:
    """The outlet of a question's label: `Reuters`, or 路透社 from 路透社记者; None for an unnamed reporter."""
    if label.endswith(REPORTER_ZH):
        return label[: -len(REPORTER_ZH)].strip() or None
    return None if REPORTER_ZH + "问" in label else label


def find_turns(text: str, spokespeople=()) -> TurnScan:
    """The question/answer turns of `text`; `spokespeople` are names that label answers."""
    people = {_norm(p) for p in spokespeople if p}
    spans = paragraph_spans(text)
    named_style = any(_norm(_classify(text[s:e], people, False)[1] or "") in people for s, e in spans)
    scan = TurnScan()
    state = None  # None (no question yet), 'question', 'answer', 'orphan'
    question: list[tuple[int, int, int]] = []  # (start, end, words offset)
    answer: list[tuple[int, int]] = []
    kind, asker = "question", None

    def close() -> None:
        if state == "question":
            scan.dropped[UNANSWERED] += 1
        elif state == "answer":
            words = " ".join(" ".join(text[s + off : e].split()) for s, e, off in question).strip()
            if not words:
                scan.dropped[EMPTY] += 1
                return
            scan.turns.append(Turn(words, (question[0][0], question[-1][1]), (answer[0][0], answer[-1][1]), kind, asker))

    for start, end in spans:
        role, label, offset = _classify(text[start:end], people, named_style)
        if role in ("question", "follow-up"):
            close()
            state, question, answer = "question", [(start, end, offset)], []
            kind = role
            asker = _asker(label) if role == "question" and _norm(label) not in QUESTION_LABELS else None
        elif role == "answer":
            if state == "question":
                state, answer = "answer", [(start, end)]
            elif state is None and _norm(label) not in ANSWER_LABELS:
                pass  # the spokesperson's opening remarks, before any question: not a turn
            else:
                if state == "answer":
                    close()
                scan.dropped[ORPHAN] += 1
                state = "orphan"
        elif state == "question":
            question.append((start, end, 0))
        elif state == "answer":
            answer.append((start, end))
    close()
    return scan
