"""Reported speech in news reports: who said each sentence, and for which actor. Rules, no model.

A report is cut into units: sentences, with a quotation that runs over several sentences kept whole and a short
attribution tail (`Zhang Yesui added.`) joined to the quotation before it. In each unit, with quoted words masked,
a cue verb (`said`, `told`, `stressed`, `pointed out`, `according to`, ...) is looked for with its source:

- before the cue: `..., Chinese Ambassador to the US Xie Feng said`; `Wang Yi on Monday called for ...`;
  `Zhang Yesui, spokesman of China's National People's Congress, said ...`; `Trump thanked Xi ... and said ...`
  (the sentence's subject); `he said`, `the diplomat pointed out`, `Beijing said`, `the Foreign Ministry said`;
- after it: `..., said Su Xiaohui, deputy director of ...`; `According to him, "..."`.

The source becomes a speaker: a name (the capitalised words after the titles), or, for a pronoun or a
description (`he`, `the envoy`, `the statement`, `the U.S. president-elect`), the speaker it refers back to.
Surnames (`Xie`, `Mr Zhang`) find the speaker named in full earlier, or an official of the actor table.
The actor comes from the source's own words (a nationality or country in its title, not the host in
`Ambassador to the US`), from the table of officials, or from the capital or country itself; an institution
with no nationality (`the Foreign Ministry`) takes the report's main actor; scholars and observers speak for none.

A unit mostly in quotation marks, or opening with one, is a quote, a reported one a statement; what has no source is the outlet's
narration (quoted titles and phrases inside it included), and a unit that opens with quotation marks and has
no source is a quote by an unknown speaker: never a guess.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from corpus.actors import ActorTable
from corpus.chunking import paragraph_spans
from corpus.documents import EXTRACTED, INFERRED, UNKNOWN
from corpus.roles import NARRATION, QUOTE, STATEMENT
from corpus.sentences import sentence_spans

CUES = ("pointed out", "called for", "called on", "calls for", "calls on", "expressed confidence", "expressed hope",
        "said", "says", "told", "tells", "added", "adds", "noted", "notes", "stressed", "stresses", "emphasized",
        "emphasised", "emphasizes", "underlined", "underscored", "stated", "declared", "announced", "urged", "urges",
        "warned", "warns", "insisted", "argued", "explained", "replied", "responded", "answered", "reiterated",
        "asserted", "affirmed", "claimed", "maintained", "remarked", "commented", "hoped", "hopes", "confirmed",
        "denied", "demanded", "expressed", "wrote", "tweeted", "vowed", "pledged", "promised", "acknowledged")
_CUE = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in CUES) + r")\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_ADVERBS = re.compile(r"(?:\s+(?:also|further|then|later|again|once again|repeatedly|has|have|had|would|will|"
                      r"on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|today|yesterday|earlier|"
                      r"in a (?:statement|speech|news release|interview)))+$")
_PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "any", "them": "any"}
_PERSON_NOUNS = {"diplomat", "envoy", "ambassador", "spokesperson", "spokesman", "spokeswoman", "minister",
                 "president", "president-elect", "premier", "leader", "official", "chancellor", "secretary",
                 "counterpart", "councilor", "senator"}
_DOC_NOUNS = {"statement", "release", "communique", "communiqué", "readout", "report", "document", "letter", "note"}
_INSTITUTIONS = {"ministry", "foreign ministry", "government", "embassy", "side", "administration", "cabinet",
                 "state department", "defense ministry", "defence ministry", "commerce ministry", "mission", "office"}
_GROUPS = {"observers", "analysts", "experts", "critics", "sources", "officials", "diplomats", "people", "residents",
           "witnesses", "scholars", "commentators", "media", "reports"}
_UNAFFILIATED = re.compile(r"\b(?:institute|university|academy|think tank|professor|scholar|researcher|analyst|"
                           r"expert|observer|fellow|commentator|journalist|editor|columnist)\b", re.I)
TITLES = {"president", "president-elect", "vice", "premier", "minister", "foreign", "state", "councilor", "councillor",
          "ambassador", "spokesperson", "spokesman", "spokeswoman", "secretary", "general", "chairman", "chair",
          "prime", "deputy", "director", "adviser", "advisor", "national", "security", "senator", "governor", "mr",
          "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr.", "king", "queen", "prince", "chancellor", "envoy", "special",
          "representative", "defense", "defence", "commerce", "trade", "counselor", "top", "diplomat", "leader",
          "chief", "executive", "commissioner", "high", "assistant", "under", "senior", "official", "spokesperson's",
          "ministry", "affairs", "department", "office", "embassy", "house", "white", "council", "federal", "counterpart",
          "his", "her", "its", "their", "sir", "madam", "lady", "first", "press", "information", "people's",
          "congress", "party", "committee", "central", "standing", "politburo", "member", "presidents", "ministers",
          "leaders", "officials", "spokespersons", "heads", "sides", "governments", "delegations"}
_CONNECT = {"of", "the", "to", "and", "for", "'s", "\u2019s", "at", "in", "on"}
_CAP_RUN = re.compile(r"((?:[A-Z][\w'\u2019.\-]*|of|the|to|and|for|at|in)(?:\s+(?:[A-Z][\w'\u2019.\-]*|of|the|to|and|for|at|in))*)\s*$")
_SUBJECT = re.compile(r"\s*((?:[A-Z][\w'\u2019.\-]*)(?:\s+(?:[A-Z][\w'\u2019.\-]*|of|the|to|and|for))*)(?=\s+[a-z])")
_DESCRIPTION = re.compile(r"\b([Tt]he\s+(?:[\w.\-'\u2019]+\s+){0,3}?[\w\-]+)\s*$")
_QUOTES = {"\u201c": "\u201d", "\u2018": "\u2019", '"': '"'}
_SUFFIXES = {"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"}
_NOT_SOURCES = {"as", "with", "it", "i", "we", "you", "this", "that", "these", "those", "there", "here", "which", "who",
                "what", "also", "both", "all", "some", "many", "each", "one", "our", "my", "if", "when", "while", "in",
                "background", "note", "summary", "update", "context", "highlights", "excerpt", "subject", "re", "question",
                "answer", "q", "a", "quote", "read", "watch", "see", "photo", "video", "source", "title", "theme"}
MAX_TAIL_WORDS = 7
WINDOW = 160  # characters before a cue searched for its source  # an attribution tail sentence: `Zhang Yesui added.`


@dataclass(frozen=True)
class ReportedSpan:
    start: int
    end: int
    role: str  # statement, quote or narration (corpus.roles)
    speaker: str | None
    speaker_status: str
    actor: str | None
    actor_status: str
    kind: str = "none"  # what the source was: name, pronoun, description, institution, group, actor, none


_QUOTE_MARKS = re.compile("[\u201c\u201d\u2018\u2019\"]")
_NON_SPACE = re.compile(r"\S")
_SPACES = re.compile(r"\s+")


def _mask(segment: str) -> tuple[str, int]:
    masked = _NON_SPACE.sub("\u2022", segment)
    return masked, len(_SPACES.sub("", segment))


def _mask_quotes(text: str) -> tuple[str, int]:
    """`text` with every quoted character replaced by '\u2022' (so cues inside quotes are not read), and how many
    characters were quoted. Straight double quotes alternate; an unclosed quotation runs to the end."""
    out, quoted, closer, last = [], 0, None, 0
    for m in _QUOTE_MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if closer is None:
            if ch in ("\u201c", '"') or (ch == "\u2018" and (i == 0 or not text[i - 1].isalnum())):
                out.append(text[last : i + 1])
                last, closer = i + 1, _QUOTES[ch]
        elif ch == closer and (ch != "\u2019" or i + 1 == len(text) or not text[i + 1].isalpha()):
            masked, n = _mask(text[last:i])
            out += [masked, ch]
            quoted += n
            last, closer = i + 1, None
    if closer is not None:
        masked, n = _mask(text[last:])
        out.append(masked)
        quoted += n
    else:
        out.append(text[last:])
    return "".join(out), quoted


def _open_quote(text: str) -> bool:
    return _mask_quotes(text + "\u2026")[0].endswith("\u2022")


def units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end], a multi-sentence quotation kept whole, attribution tails joined."""
    out: list[tuple[int, int]] = []
    pending = None
    for s, e in ((start + a, start + b) for a, b in sentence_spans(text[start:end])):
        s = pending[0] if pending else s
        if _open_quote(text[s:e]) and e < end:
            pending = (s, e)
            continue
        pending = None
        piece = text[s:e]
        if out and len(piece.split()) <= MAX_TAIL_WORDS and _CUE.search(piece) and '"' not in piece and "\u201c" not in piece:
            prev = text[out[-1][0] : out[-1][1]]
            masked, quoted = _mask_quotes(prev)
            if quoted and not _CUE.search(masked):
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    if pending:
        out.append(pending)
    return out


@dataclass
class _Source:
    text: str  # the source's words as written
    appositive: str = ""  # `deputy director of ...` after the name


def _source_before(masked: str) -> _Source | None:
    """The source of the first cue in `masked` that has one before it."""
    for cue in _CUE.finditer(masked):
        left = masked[max(0, cue.start() - WINDOW) : cue.start()].rstrip()  # a source sits just before its cue
        left = _ADVERBS.sub("", left)
        if re.match(r"\s+by\b", masked[cue.end() :]) or re.search(r"\b(?:as|[Aa]s|was|were|been|is|are)$", left):
            continue  # `announced by ...`, `As noted in ...`, `was said`: no source before the cue
        if re.search(r"\b(?:and|but)$", left):  # `Trump thanked Xi ... and said`: the sentence's subject
            subject = _SUBJECT.match(masked) or re.match(r"\s*(he|she|they)\b", masked, re.I)
            if subject:
                return _Source(subject.group(1).strip())
            continue
        pronoun = re.search(r"(?:^|[\s,\u201d\u2019\"])(he|she|they|He|She|They)$", left)
        if pronoun:
            return _Source(pronoun.group(1).lower())
        if left.endswith(","):
            parts = left[:-1].rsplit(",", 2)
            appositive = parts[-1].strip()
            if len(parts) >= 2 and any(w in TITLES for w in appositive.lower().split()) \
                    and (appositive[:1].islower() or appositive.lower().split()[-1] in TITLES):
                run = _CAP_RUN.search(parts[-2])
                if run:
                    return _Source(run.group(1).strip(), parts[-1].strip())
            continue
        group = re.search(r"\b([A-Za-z.\-]+\s+)?(" + "|".join(_GROUPS) + r")$", left)
        if group and (group.group(1) is None or group.group(1).strip()[:1].isupper() or group.group(1).strip().lower() in ("some", "many", "the")):
            return _Source(left[group.start():].strip())
        description = _DESCRIPTION.search(left)
        if description and description.group(1).split()[-1].lower().strip(".") in _PERSON_NOUNS | _DOC_NOUNS | {w.split()[-1] for w in _INSTITUTIONS}:
            return _Source(description.group(1))
        run = _CAP_RUN.search(left)
        if run and run.group(1).strip()[:1].isupper():
            return _Source(run.group(1).strip())
    return None


def _source_after(masked: str) -> _Source | None:
    m = re.search(r"\b(?:said|says|added|noted|stressed|told|wrote)\s+((?:[A-Z][\w'\u2019.\-]*\s*){1,4})(?:,\s*([^,.]+(?:,[^,.]+)?))?[.]?\s*$", masked)
    if m and not m.group(1).strip().lower().startswith(("the ", "he", "she")):
        return _Source(m.group(1).strip(), (m.group(2) or "").strip())
    according = _ACCORDING.search(masked)
    if according:
        rest = masked[according.end():]
        pronoun = re.match(r"(him|her|them)\b", rest)
        if pronoun:
            return _Source(pronoun.group(1))
        run = re.match(r"((?:the\s+)?(?:[A-Z][\w'\u2019.\-]*|of|the|to|and|for)(?:\s+(?:[A-Z][\w'\u2019.\-]*|of|the|to|and|for|spokesperson|spokesman|ministry|statement))*)", rest)
        if run:
            return _Source(run.group(1).strip())
    return None


def _coordinated(words: str, table: ActorTable) -> bool:
    """Two or more sources joined by `and`, each ending in a name or an actor (not `State Councilor and Foreign
    Minister Wang Yi`, whose first part ends in a title)."""
    parts = re.split(r"\s+and\s+|\s*&\s*", words)
    complete = 0
    for part in parts:
        last = part.strip().split()[-1].strip(",.") if part.strip() else ""
        if last[:1].isupper() and (last.lower() not in TITLES or table.resolve(part.strip())):
            complete += 1
    return complete >= 2


def _source_with_colon(masked: str) -> _Source | None:
    """`Rep. Lois Frankel: "..."` (a press release's list of quotes): the words before a colon that opens a quotation."""
    m = re.match(r"\s*(?:[-\u2022*]\s*)?((?:[A-Z][\w'\u2019.\-]*)(?:\s+(?:[A-Z][\w'\u2019.\-]*|of|the|and|for)){0,7})\s*:\s*[\u201c\"]", masked)
    return _Source(m.group(1).strip()) if m else None


class _Resolver:
    """Turns sources into (speaker, actor) with what they refer back to, in reading order."""

    def __init__(self, table: ActorTable, home_actor: str | None, text: str = ""):
        self.table, self.home = table, home_actor
        # officials of the table named in full somewhere in the report: their surnames alone may refer to them
        self.mentioned = {p: a for p, a in table.people.items() if " " in p and p in text}
        self.people: list[tuple[str, str | None]] = []  # persons named so far, last last
        self.bodies: list[tuple[str, str | None]] = []  # institutions and documents named so far

    def _actor_in(self, words: str) -> str | None:
        if _UNAFFILIATED.search(words):
            return None
        tokens = re.findall(r"[\w.\-'\u2019]+", words)
        for i in range(len(tokens)):
            if i and tokens[i - 1].lower() in ("to", "with", "in", "at", "toward", "towards", "against"):
                continue
            if i > 1 and tokens[i - 1].lower() == "the" and tokens[i - 2].lower() in ("to", "with", "in", "at"):
                continue
            for n in (4, 3, 2, 1):
                actor = self.table.resolve(" ".join(tokens[i : i + n])) if i + n <= len(tokens) else None
                if actor:
                    return actor
        return None

    def _name(self, words: str) -> str | None:
        """The person's name at the end of a source (`Chinese Ambassador to the US Xie Feng` -> `Xie Feng`); None for
        no name, a part of an institution's name (`Department of Energy`) or a word that names nobody (`As`, `We`)."""
        tokens = [t for t in words.replace("\u2019s", "").replace("'s", "").split() if t.strip(",.") not in _SUFFIXES]
        name: list[str] = []
        for i in range(len(tokens) - 1, -1, -1):
            bare = tokens[i].strip(",.")
            if not bare[:1].isupper() or bare.lower() in TITLES or bare.lower() in _CONNECT or self.table.resolve(bare):
                if name and bare.lower() in ("of", "for", "on", "at", "in"):
                    return None
                break
            name.insert(0, bare)
        name = [w for w in name if not re.fullmatch(r"[A-Z]\.?", w)] or name  # `Donald J. Trump` -> `Donald Trump`
        if not name or name[0].lower() in _NOT_SOURCES:
            return None
        return " ".join(name)

    def _known_person(self, surname: str, titled: bool) -> tuple[str, str | None] | None:
        """A speaker named before whose name holds `surname`; else an official of the table named in full in the
        report, or, after a title (`President Trump`, `Mr. Sullivan`), any official of the table with that surname."""
        for person, actor in reversed(self.people):
            if surname in person.split() or person == surname:
                return person, actor
        pool = self.table.people if titled else self.mentioned
        hits = {p: a for p, a in pool.items() if surname in p.split()}
        return next(iter(hits.items())) if len(hits) == 1 else None

    def resolve(self, source: _Source) -> tuple[str | None, str, str | None, str]:
        """(speaker, speaker_status, actor, kind)."""
        words = source.text.strip().strip(",")
        lower = words.lower()
        if lower in _PRONOUNS:
            if _PRONOUNS[lower] == "any" and self.bodies:
                return self.bodies[-1][0], INFERRED, self.bodies[-1][1], "pronoun"
            return (*self.people[-1][:1], INFERRED, self.people[-1][1], "pronoun") if self.people else (None, UNKNOWN, None, "pronoun")
        if lower.split()[-1] in _GROUPS:
            return words, EXTRACTED, self._actor_in(words), "group"
        if _coordinated(words, self.table):
            return None, UNKNOWN, None, "none"  # `Kenya and the United States announced`: more than one source
        whole = self.table.resolve(words)
        if whole:
            return words, EXTRACTED, whole, "actor"
        head = lower.split()[-1].strip(".")
        if lower.startswith("the ") and head in _DOC_NOUNS:
            return (*self.bodies[-1][:1], INFERRED, self.bodies[-1][1], "description") if self.bodies \
                else (words, EXTRACTED, self._actor_in(words) or self.home, "institution")
        if lower.startswith("the ") and head in _PERSON_NOUNS:
            actor = self._actor_in(words)
            for person, person_actor in reversed(self.people):
                if actor is None or person_actor == actor:
                    return person, INFERRED, person_actor, "description"
            return words, EXTRACTED, actor, "description"
        if any(lower.endswith(i) for i in _INSTITUTIONS) or lower.split()[-1] in {"ministry", "government", "embassy"}:
            actor = self._actor_in(words) or self.home
            self.bodies.append((words, actor))
            return words, EXTRACTED, actor, "institution"
        name = self._name(words)
        if not name:
            return None, UNKNOWN, None, "none"
        descriptor = words[: words.rfind(name)] + " " + source.appositive if name in words else source.appositive
        actor = self.table.person_actor(name) or self._actor_in(descriptor)
        titled = any(w.strip(",.").lower() in TITLES for w in words[: words.rfind(name.split()[0])].split()[-2:]) if name in words else False
        known = None if " " in name and actor else self._known_person(name.split()[-1] if len(name.split()) == 1 else name, titled)
        if known and (len(name.split()) == 1 or known[0] == name):
            name, actor = known[0], actor or known[1]
        self.people.append((name, actor))
        return name, EXTRACTED, actor, "name"


def _home_actor(sources: list[tuple[str | None, str | None, str]]) -> str | None:
    counts = Counter(actor for _, actor, kind in sources if actor and kind in ("name", "actor"))
    return counts.most_common(1)[0][0] if counts else None


def _read(text: str, table: ActorTable, home: str | None) -> list[ReportedSpan]:
    resolver = _Resolver(table, home, text)
    out: list[ReportedSpan] = []
    for ps, pe in paragraph_spans(text):
        previous: ReportedSpan | None = None
        for s, e in units(text, ps, pe):
            masked, quoted = _mask_quotes(text[s:e])
            source = _source_before(masked) or _source_after(masked) or _source_with_colon(masked)
            share = quoted / max(1, len(_SPACES.sub("", masked)))
            opens_quote = masked.lstrip()[:1] in "\u201c\"\u2018"
            role = QUOTE if share >= 0.5 or (opens_quote and quoted) else STATEMENT
            if source is not None:
                speaker, status, actor, kind = resolver.resolve(source)
                if speaker is not None:
                    span = ReportedSpan(s, e, role, speaker, status, actor, INFERRED if actor else UNKNOWN, kind)
                    out.append(span)
                    previous = span
                    continue
            if quoted and previous is not None and previous.role in (QUOTE, STATEMENT) and masked.lstrip()[:1] in "\u201c\"":
                out.append(replace(previous, start=s, end=e, role=QUOTE, speaker_status=INFERRED))  # the quotation goes on
                continue
            out.append(ReportedSpan(s, e, QUOTE if share >= 0.5 and opens_quote else NARRATION, None, UNKNOWN, None, UNKNOWN))
            previous = None
    return out


def read_reported_speech(text: str, table: ActorTable, home_actor: str | None = None) -> list[ReportedSpan]:
    """Every sentence unit of `text` with its speaker and actor, in order. `home_actor` is the report's own actor
    when known (from its source); else the actor most of its named speakers speak for."""
    spans = _read(text, table, home_actor)
    if home_actor is None and any(s.actor is None and s.kind in ("institution", "description") for s in spans):
        home = _home_actor([(s.speaker, s.actor, s.kind) for s in spans])
        if home:
            spans = _read(text, table, home)
    return spans
