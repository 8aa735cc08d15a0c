"""Turns of a transcript: who speaks in each paragraph, in which role, and which question an answer answers.

A paragraph (paragraphs are separated by a blank line) opens a turn when it starts with a speaker label;
unlabelled paragraphs continue the turn before them. What counts as a label, in the styles of ../shared/corpus:

- role words followed by a colon: `Q:` / `A:` (also `Question`, `Answer`, `Follow-up`, `Journalist`, `Reporter`);
  the White House's `Q` without a colon (`Q  Thank you, Jen.`);
- Chinese `问：` / `答：` / `追问：`, a reporter's label (`路透社记者：`, an outlet then 记者 "reporter";
  `会后有记者问及：` "after the briefing a reporter asked"), and the spokesperson's name (`赵立坚：`, or reported,
  `耿爽表示，…`); an unlabelled paragraph after a question ending in `？` is the answer;
- a name from the document's speaker list (`Geng Shuang:`, the MFA spokesperson); then, in such a transcript only,
  an outlet's name (`Reuters:`): one to six capitalised words;
- ALL-CAPS names, in a transcript with at least two of them or one with an honorific (`MS. PSAKI:`,
  `THE PRESIDENT:`, `SECRETARY BLINKEN:`);
  `MODERATOR:` / `OPERATOR:` are procedural, `AUDIENCE MEMBER:` asks.

A label is short (at most 48 characters), ends at the first colon, and is not a clock time (`At 10:00`: a digit on both sides of the colon).
Words that open an argument are never labels: `First:`, `Second, ...:`, `Here I would like to stress three points:`
stay answer text (ordinals, adverbs and prepositions are refused as a first word; a lower-case word refuses a
title-case label).

`find_turns` pairs questions with answers for from-qa; `read_turns` gives every turn with its role and speaker.
What cannot be paired is counted by reason, never guessed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from corpus.chunking import paragraph_spans
from corpus.documents import EXTRACTED, INFERRED, UNKNOWN
from corpus.roles import ANSWER, PROCEDURAL, QUESTION, STATEMENT

_LABEL = re.compile(r"^\s*([^\s:\uff1a][^:\uff1a\n]{0,48}?)\s*[:\uff1a](?!(?<=\d[:\uff1a])\d)\s*")
_WH_Q = re.compile(r"^\s*Q(?:\s*[:.]\s*|\s+)(?=[A-Z\u2014\u2013(\"\u201c'-])")
QUESTION_LABELS = {"q", "question", "问"}
FOLLOW_UP_LABELS = {"follow-up", "follow up", "followup", "journalist", "reporter", "correspondent", "追问"}
ANSWER_LABELS = {"a", "answer", "答"}
PROCEDURAL_LABELS = {"moderator", "the moderator", "operator", "the operator", "aide", "staff", "announcer", "主持人"}
AUDIENCE_LABELS = {"audience member", "audience", "participant", "questioner", "press"}
REPORTER_ZH = "记者"  # a label ending so (路透社记者) or holding 记者问 (会后有记者问及) is a reporter's question
_CONNECTORS = {"of", "the", "and", "for", "de", "&", "du", "la", "news"}
# First words that open an argument or a clause, never a speaker's or an outlet's name.
_NOT_NAMES = {
    "first", "second", "third", "fourth", "fifth", "sixth", "firstly", "secondly", "thirdly", "finally", "lastly",
    "last", "next", "then", "here", "there", "today", "now", "also", "and", "but", "so", "or", "note", "meanwhile",
    "moreover", "besides", "however", "therefore", "again", "at", "on", "in", "as", "between", "from", "to", "by",
    "for", "with", "after", "before", "since", "until", "under", "during", "one", "two", "three", "our", "my", "we",
    "i", "it", "this", "that", "these", "those", "what", "why", "how", "who", "when", "where", "yes", "no", "if",
    "please", "remember", "example", "update", "background", "correction", "editor", "headline", "subject",
    "fact sheet", "end", "source", "sources", "photo", "video", "watch", "read", "related", "see",
}
_HONORIFIC = re.compile(r"^(?:MR|MS|MRS|DR)\.\s|^THE (?:PRESIDENT|VICE PRESIDENT|FIRST LADY|SECRETARY)\b|^SECRETARY\s")
_ZH_REPORTED = re.compile(r"^\s*([\u4e00-\u9fff\u00b7]{2,6}?)(?:表示|说|指出|强调|回答|介绍)[，,：:]")
_ZH_QUESTION_END = ("\uff1f", "?")


def _implicit_answer(question: str, paragraph: str) -> bool:
    """In a Chinese transcript, an unlabelled paragraph after a question that ends with its question mark is the
    answer (`追问：…？` then the spokesperson's reply with no `答：`)."""
    return question.rstrip().endswith(_ZH_QUESTION_END) and bool(re.search(r"[\u4e00-\u9fff]", paragraph[:20])) \
        and not paragraph.rstrip().endswith(_ZH_QUESTION_END)


_CAPS = re.compile(r"^[A-Z\u00c0-\u00de][A-Z\u00c0-\u00de.'\u2019\- ]*[A-Z\u00c0-\u00de.]$")
_LOGISTICS = re.compile(r"^\s*(?:END\b.*|\d{1,2}:\d{2}\s*[AP]\.?M\.?.*|#{2,}|\*{3,}|via teleconference|\(inaudible\)\.?)\s*$", re.I)
_PROCEDURAL_TEXT = re.compile(
    r"^\s*(?:(?:thank you|thanks)(?: (?:very|so) much)?(?:,? (?:everyone|everybody|all|sir|ma'am|guys))?"
    r"|(?:go ahead|next question|last question|one more|good (?:morning|afternoon|evening)(?:,? (?:everyone|everybody|all))?"
    r"|hi|hello|okay|ok|all right|alright|sure|yes|yeah|great|appreciate it)(?:,? \w+(?: \w+)?)?"
    r"|谢谢|谢谢大家|下一个问题|好|请)[\s.!,。！，]*(?:(?:thank you|thanks)[\s.!,]*)?$", re.I)

UNANSWERED = "question without an answer"
ORPHAN = "answer without a question"
EMPTY = "empty question"


@dataclass(frozen=True)
class Label:
    kind: str  # "question", "follow-up", "answer" (a role word), "speaker" (a named speaker) or "procedural"
    text: str  # the label as written
    end: int  # offset of the words after the label


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


@dataclass(frozen=True)
class TurnSpan:
    """One speaker's stretch of a transcript: characters start:end of the text (label included)."""

    start: int
    end: int
    role: str  # see corpus.roles
    speaker: str | None  # the person, or the outlet asking; None when unknown
    speaker_status: str  # extracted (named by the label), inferred (the document's speaker for `A:`), unknown
    label: str | None = None  # the label as written
    answers: int | None = None  # for an answer: the index (in the list) of the question it answers
    asks: bool = False  # opened by a question's label (a journalist or audience speaks), whatever the role


def _norm(label: str) -> str:
    return " ".join(label.lower().replace("\u2019", "'").split())


def _looks_like_name(label: str) -> bool:
    words = label.split()
    if not 1 <= len(words) <= 6 or not label[0].isupper() or any(c in label for c in ',."\u201c\u201d!?;()'):
        return False
    if words[0].lower() in _NOT_NAMES or _norm(label) in _NOT_NAMES:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in words)


_TITLE_WORDS = {
    "mr", "ms", "mrs", "dr", "the", "secretary", "acting", "administrator", "ambassador", "governor", "mayor", "senator",
    "representative", "rep", "sen", "gov", "chair", "chairman", "chairwoman", "director", "president", "prime", "vice",
    "senior", "administration", "surgeon", "general", "admiral", "advisor", "adviser", "assistant", "deputy", "chief",
    "commissioner", "speaker", "leader", "king", "queen", "chancellor", "nsc", "white", "aide", "participant", "audience",
    "moderator", "operator", "staff", "captain", "colonel", "lieutenant", "sergeant", "first", "official", "spokesperson",
    "minister", "foreign", "crown", "emir", "sheikh", "sultan", "his", "her", "pope", "justice", "attorney", "solicitor",
    "press", "congressman", "congresswoman", "councilmember", "lieutenant", "major", "officer", "special", "envoy",
}
_FUNCTION_WORDS = {"the", "of", "and", "to", "for", "on", "in", "a", "an", "our", "is", "are", "from", "with", "by", "at"}


def _is_caps(label: str, press: bool = True) -> bool:
    """An ALL-CAPS speaker label: two to six words opening with a title (`MS. PSAKI`, `THE PRESIDENT`,
    `SECRETARY BLINKEN`), or a role word (`MODERATOR`); in a press event (one with questions) also a short name
    without a title (`S. PSAKI`). A lone acronym (`AFP`, `CNN`) is an outlet, and a fact sheet's headings
    (`PROMISE MADE:`, `MAKING AMERICA SAFE AGAIN:`) are no speakers."""
    norm = _norm(label)
    if not _CAPS.match(label) or norm in _NOT_NAMES or norm.split()[0] in ("end", "fact", "note"):
        return False
    if norm in PROCEDURAL_LABELS | AUDIENCE_LABELS:
        return True
    words = norm.replace(".", "").split()
    if not 2 <= len(words) <= 6:
        return False
    if words[0] in _TITLE_WORDS and not (words[0] == "the" and words[1] not in _TITLE_WORDS):
        return True
    return press and len(words) <= 3 and not any(w.endswith("ing") or w in _FUNCTION_WORDS for w in words)


@dataclass(frozen=True)
class LabelStyle:
    """What kinds of label a document uses, found in a first pass: they decide what a bare name may mean."""

    people: frozenset  # normalised names that label a speaker (the document's and the index's speakers)
    named: bool = False  # some paragraph starts with one of `people`: outlets' names label questions
    caps: bool = False  # two paragraphs start with an ALL-CAPS label, or one with an honorific (MS. X:)
    press: bool = False  # some paragraph is a question (`Q`, `Q:`): a press event


def read_label(paragraph: str, style: LabelStyle) -> Label | None:
    """The speaker label that opens `paragraph`, or None (see the module's rules)."""
    match = _LABEL.match(paragraph)
    reported = _ZH_REPORTED.match(paragraph)
    if reported and _norm(reported.group(1)) in style.people:
        return Label("speaker", reported.group(1), 0)  # 耿爽表示，…: the spokesperson's answer, reported after the briefing
    if not match:
        q = _WH_Q.match(paragraph)
        return Label("question", "Q", q.end()) if q else None
    label = match.group(1).strip()
    norm = _norm(label)
    if norm in ANSWER_LABELS:
        return Label("answer", label, match.end())
    if norm in style.people:
        return Label("speaker", label, match.end())
    if norm in QUESTION_LABELS:
        return Label("question", label, match.end())
    if norm in FOLLOW_UP_LABELS or norm.split()[0] in ("journalist", "reporter"):
        return Label("follow-up", label, match.end())
    if norm.endswith(REPORTER_ZH) or REPORTER_ZH + "问" in norm:
        return Label("question", label, match.end())
    if style.caps and _is_caps(label, style.press):
        if norm in PROCEDURAL_LABELS:
            return Label("procedural", label, match.end())
        if norm in AUDIENCE_LABELS:
            return Label("question", label, match.end())
        return Label("speaker", label, match.end())
    if style.named and _looks_like_name(label):
        return Label("question", label, match.end())
    q = _WH_Q.match(paragraph)  # `Q And then, on Israel: why ...`: a bare Q whose question has a colon in it
    return Label("question", "Q", q.end()) if q else None


def label_style(text: str, spans, spokespeople=()) -> LabelStyle:
    people = frozenset(_norm(p) for p in spokespeople if p)
    bare = LabelStyle(people)
    labels = [_LABEL.match(text[s:e]) for s, e in spans]
    named = any(m and _norm(m.group(1)) in people for m in labels)
    press = any((m and _norm(m.group(1)) in QUESTION_LABELS) or _WH_Q.match(text[s:e]) for m, (s, e) in zip(labels, spans))
    caps_labels = [m.group(1).strip() for m in labels if m and _is_caps(m.group(1).strip(), press)]
    caps = len(caps_labels) >= 2 or any(_HONORIFIC.match(label) for label in caps_labels)
    return LabelStyle(people, named, caps, press) if (named or caps) else bare


def _asker(label: str) -> str | None:
    """The outlet of a question's label: `Reuters`, or 路透社 from 路透社记者; None for an unnamed reporter."""
    if _norm(label) in QUESTION_LABELS | FOLLOW_UP_LABELS | AUDIENCE_LABELS:
        return None
    if label.endswith(REPORTER_ZH):
        return label[: -len(REPORTER_ZH)].strip().strip("《》") or None
    return None if REPORTER_ZH + "问" in label else label


def speaker_name(label: str) -> str:
    """`MS. PSAKI` -> `Ms. Psaki`, `THE PRESIDENT` -> `The President`; other labels as written."""
    if not _CAPS.match(label):
        return label
    return " ".join(w[:1] + w[1:].lower() if not re.match(r"^(?:[A-Z]\.)+$", w) else w for w in label.split())


def find_turns(text: str, spokespeople=()) -> TurnScan:
    """The question/answer turns of `text`; `spokespeople` are names that label answers."""
    spans = paragraph_spans(text)
    style = label_style(text, spans, spokespeople)
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
        label = read_label(text[start:end], style)
        role = label.kind if label else None
        if role in ("question", "follow-up"):
            close()
            state, question, answer = "question", [(start, end, label.end)], []
            kind = role
            asker = _asker(label.text) if role == "question" else None
        elif role in ("answer", "speaker"):
            if state == "question":
                state, answer = "answer", [(start, end)]
            elif state == "answer" and role == "speaker" and style.caps:
                answer.append((start, end))  # a second official answering the same question
            elif state is None and role == "speaker":
                pass  # the spokesperson's opening remarks, before any question: not a turn
            else:
                if state == "answer":
                    close()
                scan.dropped[ORPHAN] += 1
                state = "orphan"
        elif role == "procedural":
            close()
            state = None
        elif state == "question" and _implicit_answer(text[question[-1][0] : question[-1][1]], text[start:end]):
            state, answer = "answer", [(start, end)]
        elif state == "question":
            question.append((start, end, 0))
        elif state == "answer" and not _LOGISTICS.match(text[start:end]):
            answer.append((start, end))
    close()
    return scan


def is_procedural(words: str) -> bool:
    """Greetings, thanks, "Go ahead", time stamps, `END 3:15 P.M.`: words that carry no statement."""
    return bool(_LOGISTICS.match(words) or _PROCEDURAL_TEXT.match(words))


def _is_heading(words: str) -> bool:
    """A short line without a sentence end at the top of a transcript: a place, a time, `Via Teleconference`."""
    return len(words.split()) <= 8 and not words.rstrip().endswith((".", "?", "!", "\u3002", "\uff1f", ":"))


def read_turns(text: str, spokespeople=(), doc_speaker: str | None = None) -> list[TurnSpan]:
    """Every turn of `text`, in order, covering each paragraph once. A text with no labels is one statement by
    `doc_speaker` (unknown when None). Paragraphs before the first label are the document speaker's statement,
    or procedural when they are time stamps and places."""
    spans = paragraph_spans(text)
    if not spans:
        return []
    style = label_style(text, spans, [*spokespeople, doc_speaker] if doc_speaker else spokespeople)
    labels = [read_label(text[s:e], style) for s, e in spans]
    doc_status = INFERRED if doc_speaker else UNKNOWN
    if not any(labels):
        return [TurnSpan(spans[0][0], spans[-1][1], STATEMENT, doc_speaker, doc_status)]
    turns: list[TurnSpan] = []
    open_question: int | None = None  # the question the next answer answers
    current: TurnSpan | None = None
    speaking: TurnSpan | None = None  # the turn an unlabelled paragraph after a time stamp continues

    def push(turn: TurnSpan) -> None:
        nonlocal current, speaking
        if current is not None:
            turns.append(current)
        current = turn
        speaking = turn if turn is not None and turn.role != PROCEDURAL else speaking

    for (start, end), label in zip(spans, labels):
        words = text[start + (label.end if label else 0) : end]
        if label is None:
            if _LOGISTICS.match(words) or (not turns and current is None and _is_heading(words)):
                push(TurnSpan(start, end, PROCEDURAL, None, UNKNOWN))
                turns.append(current)
                current = None
            elif current is None:
                last = speaking
                push(replace(last, start=start, end=end)
                     if last else TurnSpan(start, end, STATEMENT, doc_speaker, doc_status))
            elif current.role == QUESTION and _implicit_answer(text[current.start : current.end], words):
                push(TurnSpan(start, end, ANSWER, doc_speaker, doc_status, None, open_question))
            else:
                current = replace(current, end=end)
            continue
        if label.kind in ("question", "follow-up"):
            asker = _asker(label.text)
            role = PROCEDURAL if is_procedural(words) else QUESTION
            push(TurnSpan(start, end, role, asker, EXTRACTED if asker else UNKNOWN, label.text, asks=True))
            if role == QUESTION:
                open_question = len(turns)
            continue
        if label.kind == "procedural":
            open_question = None
            push(TurnSpan(start, end, PROCEDURAL, speaker_name(label.text), EXTRACTED, label.text))
            continue
        if label.kind == "answer":
            speaker, status = doc_speaker, doc_status
        else:
            speaker, status = speaker_name(label.text), EXTRACTED
        if is_procedural(words):
            push(TurnSpan(start, end, PROCEDURAL, speaker, status, label.text))
        elif open_question is not None:
            push(TurnSpan(start, end, ANSWER, speaker, status, label.text, open_question))
        else:
            push(TurnSpan(start, end, STATEMENT, speaker, status, label.text))
    push(None)
    return turns
