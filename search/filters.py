"""Metadata filters on documents and on who speaks in a passage: parsed and validated here, turned into SQL by the
store (index/filter_sql.py). `said_by` takes actor names or aliases (Beijing, the US), resolved to canonical actors;
`roles` the attribution roles; `speakers` match whole name tokens of the passage's speaker."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from corpus.actors import UnknownActorError, resolve_said_by
from corpus.roles import ROLES
from search.errors import InvalidQuery

MIXED = "mixed"  # index.attribute_existing: a passage stored before attribution that runs across two turns
FILTER_ROLES = (*ROLES, MIXED)

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_bound(value: str | None, end: bool, name: str) -> str | None:
    """'2019' / '2019-05' / '2019-05-11' -> an ISO day; a bare year or month covers all of it. `name` is the
    field (since, until) that errors are about."""
    if value is None or not value.strip():
        return None
    m = _DATE.fullmatch(value.strip())
    if not m:
        raise InvalidQuery("{%s} {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. {%s} 2019-05)" % (name, name), fields=(name,), value=value)
    year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), m[3]
    if not 1 <= month <= 12:
        raise InvalidQuery("{%s} {value!r}: month must be 1-12" % name, fields=(name,), value=value)
    last = calendar.monthrange(year, month)[1]
    day = int(day) if day else (last if end else 1)
    if not 1 <= day <= last:
        raise InvalidQuery("{%s} {value!r}: day must be 1-{last}" % name, fields=(name,), value=value, last=last)
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # ISO day, inclusive
    until: str | None = None  # ISO day, inclusive
    sources: tuple[str, ...] = ()  # case-insensitive substrings, any of
    speakers: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    include_undated: bool = False  # with a date bound, keep documents whose date is unknown
    said_by: tuple[str, ...] = ()  # canonical actors, any of (the passage's actor)
    roles: tuple[str, ...] = ()  # attribution roles, any of (the passage's role)
    exclude_roles: tuple[str, ...] = ()  # roles left out (talking points leave questions out); unattributed passages stay
    include_imprecise: bool = False  # a year or month date that only overlaps since..until counts as inside

    @classmethod
    def build(cls, since=None, until=None, sources=(), speakers=(), langs=(), include_undated=False, said_by=(), roles=(),
              actors=None, include_imprecise=False) -> "Filters":
        """`actors`: the actor table said_by names are resolved with (default: the built-in one)."""
        lo, hi = parse_bound(since, False, "since"), parse_bound(until, True, "until")
        if lo and hi and lo > hi:
            raise InvalidQuery("{since} {lo} is after {until} {hi}; swap them", fields=("since", "until"), lo=since, hi=until)
        clean = lambda values: tuple(v.strip() for v in values or () if v and v.strip())
        return cls(lo, hi, clean(sources), clean(speakers), tuple(v.lower() for v in clean(langs)), include_undated,
                   resolve_actors(clean(said_by), actors), parse_roles(clean(roles)), include_imprecise=bool(include_imprecise))

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources or self.speakers or self.langs or self.said_by or self.roles
                    or self.exclude_roles)

    def without_questions(self) -> "Filters":
        """These filters leaving journalists' questions out, unless a role was asked for."""
        from dataclasses import replace

        return self if self.roles else replace(self, exclude_roles=("question",))

    def with_said_by(self, actors) -> "Filters":
        """These filters with `actors` (canonical) added to said_by."""
        from dataclasses import replace

        return replace(self, said_by=tuple(dict.fromkeys((*self.said_by, *actors))))

    def as_dict(self) -> dict:
        return {"since": self.since, "until": self.until, "source": list(self.sources), "speaker": list(self.speakers),
                "lang": list(self.langs), "include_undated": self.include_undated,
                "include_imprecise": self.include_imprecise, "said_by": list(self.said_by),
                "role": list(self.roles)}


def resolve_actors(names: tuple[str, ...], table=None) -> tuple[str, ...]:
    """Canonical actors for said_by names (case-insensitive, aliases: Beijing -> China); an unknown one is refused."""
    if not names:
        return ()
    try:
        return tuple(resolve_said_by(names, table))
    except UnknownActorError as exc:
        # the names asked go in as a value, never into the template: a name may hold braces
        raise InvalidQuery("{said_by} {names}: no such actor; known actors: {known}", fields=("said_by",),
                           names=", ".join(repr(n) for n in exc.names), known=", ".join(exc.known)) from None


def parse_roles(values: tuple[str, ...]) -> tuple[str, ...]:
    roles = tuple(dict.fromkeys(v.lower() for v in values))
    bad = [r for r in roles if r not in FILTER_ROLES]
    if bad:
        raise InvalidQuery("{role} {bad} is not a role; use {roles}", fields=("role",), bad=", ".join(repr(b) for b in bad),
                           roles=", ".join(FILTER_ROLES))
    return roles
