"""Actors: the states and organisations a speaker speaks for, with their aliases.

The built-in table is `corpus/data/actors.json`: for each actor a canonical name, a code (ISO 3166-1 alpha-3 for
states) and aliases (official and short names, nationality adjectives, capitals and seats used by metonymy,
Chinese names); `people` maps well-known officials to their actor; `sources` maps a document's source to its
actor (a case-insensitive substring), or names the `meta` fields that hold it (UN speeches: `country_iso3`).

A user file of the same shape extends it (`load_actors(extra=path)`, e.g. `INDEX/actors.json`): its actors are
added, or merged into the built-in one of the same name (aliases added); its people and sources come first.

Matching: aliases are compared case-insensitively, except all-capital ones (`US`, `UK`, `PRC`, `EU`, `UN`,
`WHO`), which must be written so, lest "us" and "who" become actors.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import DipsearchError

BUILTIN = Path(__file__).with_name("data") / "actors.json"
_SPACE = re.compile(r"\s+")


class ActorTableError(DipsearchError):
    """An actors file that cannot be read or has the wrong shape; names the file and the field."""


class UnknownActorError(DipsearchError):
    """A said-by name that is no known actor; `known` lists the canonical names."""

    def __init__(self, names: list[str], known: list[str]):
        self.names, self.known = names, known
        super().__init__(f"unknown actor {', '.join(repr(n) for n in names)} in said_by; known actors: {', '.join(known)}")


@dataclass(frozen=True)
class Actor:
    name: str
    code: str
    kind: str  # "state" or "organisation"
    aliases: tuple[str, ...] = ()


def _key(text: str) -> str:
    text = text.replace("\u2019", "'").strip().strip(".,;:!?\"'").strip()
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    return _SPACE.sub(" ", text).lower()


def _is_caps(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


@dataclass
class ActorTable:
    actors: dict[str, Actor] = field(default_factory=dict)  # canonical name -> actor
    people: dict[str, str] = field(default_factory=dict)  # person -> canonical actor
    sources: list[dict] = field(default_factory=list)
    _folded: dict[str, str] = field(default_factory=dict)  # lower-cased alias -> actor
    _exact: dict[str, str] = field(default_factory=dict)  # all-capital alias as written -> actor

    def add(self, actor: Actor) -> None:
        old = self.actors.get(actor.name)
        if old:
            actor = Actor(old.name, old.code or actor.code, old.kind, tuple(dict.fromkeys(old.aliases + actor.aliases)))
        self.actors[actor.name] = actor
        for alias in (actor.name, *actor.aliases):
            if not alias:
                continue
            if _is_caps(alias):
                self._exact[alias.replace(".", "")] = actor.name
            else:
                self._folded.setdefault(_key(alias), actor.name)
        self._folded[_key(actor.name)] = actor.name

    def resolve(self, name: str | None, exact_caps: bool = True) -> str | None:
        """The canonical actor `name` denotes (a name, alias, adjective, capital), or None. With `exact_caps`
        false (a said-by list typed by a user) all-capital aliases match in any case."""
        if not name or not name.strip():
            return None
        bare = re.sub(r"^the\s+", "", name.strip().strip(",;:!?\"'").strip(), flags=re.I)
        dotless = bare.replace(".", "")
        if dotless in self._exact:
            return self._exact[dotless]
        if not exact_caps:
            for alias, actor in self._exact.items():
                if alias.lower() == dotless.lower():
                    return actor
        found = self._folded.get(_key(bare))
        if found:
            return found
        if bare.endswith(("'s", "\u2019s")):
            return self.resolve(bare[:-2], exact_caps)
        return None

    def person_actor(self, person: str | None) -> str | None:
        """The actor of a well-known official named in full (`people` in the table), or None."""
        return self.people.get(person.strip()) if person else None

    def names(self) -> list[str]:
        return sorted(self.actors)

    def for_source(self, source: str | None, meta: dict | None = None) -> str | None:
        """The actor of a document from its source (and, for rules that say so, its meta fields)."""
        if not source:
            return None
        lowered = source.lower()
        for rule in self.sources:
            if rule.get("contains", "").lower() in lowered:
                if "actor" in rule:
                    return self.resolve(rule["actor"]) or rule["actor"]
                for name in rule.get("meta", []):
                    value = (meta or {}).get(name)
                    actor = self.by_code(value) or self.resolve(value) if isinstance(value, str) else None
                    if actor:
                        return actor
                return None
        return None

    def by_code(self, code: str | None) -> str | None:
        if not code:
            return None
        for actor in self.actors.values():
            if actor.code == code.upper():
                return actor.name
        return None


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ActorTableError(f"actors file {path} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise ActorTableError(f"actors file {path}: expected an object with 'actors', 'people', 'sources'")
    return data


def _fill(table: ActorTable, data: dict, path: Path, first: bool) -> None:
    actors = data.get("actors", [])
    if not isinstance(actors, list):
        raise ActorTableError(f"actors file {path}: field 'actors' must be a list")
    for i, row in enumerate(actors):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"].strip():
            raise ActorTableError(f"actors file {path}: actors[{i}] needs a field 'name' (text)")
        aliases = row.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ActorTableError(f"actors file {path}: actors[{i}].aliases must be a list of text")
        table.add(Actor(row["name"].strip(), str(row.get("code", "")).upper(), row.get("kind", "state"), tuple(aliases)))
    people = data.get("people", {})
    sources = data.get("sources", [])
    if not isinstance(people, dict) or not isinstance(sources, list):
        raise ActorTableError(f"actors file {path}: 'people' must be an object and 'sources' a list")
    table.people = {**table.people, **people} if not first else {**people}
    table.sources = [*sources, *table.sources]


def load_actors(extra: str | Path | None = None) -> ActorTable:
    """The built-in table, extended by the user file `extra` when given (and present)."""
    table = ActorTable()
    _fill(table, _read(BUILTIN), BUILTIN, first=True)
    if extra is not None:
        path = Path(extra)
        if path.is_dir():
            path = path / "actors.json"
        if path.exists():
            _fill(table, _read(path), path, first=False)
        elif Path(extra).suffix == ".json":
            raise ActorTableError(f"actors file {path} does not exist")
    return table


def resolve_actor(name: str | None, table: ActorTable | None = None) -> str | None:
    """The canonical actor for `name` ("Beijing", "Chinese", "中方" -> "China"), or None."""
    return (table or load_actors()).resolve(name)


def actor_for_source(source: str | None, meta: dict | None = None, table: ActorTable | None = None) -> str | None:
    """The actor a document speaks for, from its source (e.g. fmprc -> China; a UN General Debate speech -> its
    meta country), or None."""
    return (table or load_actors()).for_source(source, meta)


def resolve_said_by(names, table: ActorTable | None = None) -> list[str]:
    """Canonical actors for a said-by list typed by a user (case-insensitive, aliases allowed, duplicates once);
    raises UnknownActorError naming every unknown entry and listing the known actors."""
    table = table or load_actors()
    out, unknown = [], []
    for name in names:
        actor = table.resolve(name, exact_caps=False)
        if actor is None:
            unknown.append(name)
        elif actor not in out:
            out.append(actor)
    if unknown:
        raise UnknownActorError(unknown, table.names())
    return out
