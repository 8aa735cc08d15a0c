"""How a query names who speaks: "What did China say about Ukraine?" is read as said by China, about Ukraine.

Pure: no store, no model. Forms read (ACTOR is any actor name or alias of corpus.actors, or a known
official; several joined by "and" or commas):

- what did/does/has/have ACTOR say/said/think/state (about|on|regarding) TOPIC
- how did/does/has ACTOR respond/react (to) TOPIC, how does ACTOR view/see TOPIC
- ACTOR's position/view/stance/statement(s)/remarks/comments/response/reaction/attitude/policy (on|about|of|towards) TOPIC,
  and the same without 's ("US position on Taiwan"), and "the position of ACTOR on TOPIC"
- statements/remarks by ACTOR (on|about) TOPIC
- ACTOR may be a group of the actor's own: "Chinese officials", "the Russian government", "US diplomats"
- Chinese: ACTOR 对/就/关于 TOPIC (问题) (的) 立场/看法/态度/表态/回应/评论; ACTOR 如何/怎么 看待/评价/回应 TOPIC

Only the ACTOR slot is read as an actor: "What did the US say about China?" is said by the United States, about
China. Anything else, or an ACTOR slot that is no known actor, is read literally (no said-by).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.actors import ActorTable, load_actors, resolve_said_by

__all__ = ["Reading", "read_query", "resolve_said_by"]  # resolve_said_by: for an explicit said-by list

_NOUNS = r"(?:position|positions|view|views|stance|stand|statement|statements|remarks|comments|response|reaction|attitude|policy|line|message|take)"
_PREP = r"(?:about|on|regarding|concerning|of|towards|toward|over|to)"
_A = r"(?P<actor>[^?]{1,60}?)"
_T = r"(?P<topic>[^?]+?)"
_END = r"\s*[?.!]*\s*$"
_EN = [
    re.compile(r"^\s*what\s+(?:did|does|do|has|have|had|is|was)\s+" + _A + r"\s+(?:say|said|saying|think|thought|state|stated|tell|told|"
               r"announce|announced|declare|declared)\s+(?:publicly\s+)?(?:about|on|regarding|concerning|of|over|to)\s+" + _T + _END, re.I),
    re.compile(r"^\s*how\s+(?:did|does|do|has|have)\s+" + _A + r"\s+(?:respond(?:ed)?|react(?:ed)?|reply|replied)\s+(?:to\s+)?" + _T + _END, re.I),
    re.compile(r"^\s*how\s+(?:did|does|do)\s+" + _A + r"\s+(?:view|see|assess|describe|characteri[sz]e)\s+" + _T + _END, re.I),
    re.compile(r"^\s*(?:what\s+(?:is|are|was|were)\s+)?" + _A + r"(?:'s|\u2019s|')\s+(?:official\s+)?" + _NOUNS + r"\s+" + _PREP + r"\s+" + _T + _END, re.I),
    re.compile(r"^\s*(?:what\s+(?:is|are|was|were)\s+)?(?:the\s+)?(?:position|view|stance|statements?|remarks|response|reaction)\s+of\s+" + _A +
               r"\s+" + _PREP + r"\s+" + _T + _END, re.I),
    re.compile(r"^\s*(?:statements?|remarks|comments)\s+(?:by|from)\s+" + _A + r"\s+" + _PREP + r"\s+" + _T + _END, re.I),
    re.compile(r"^\s*(?:what\s+(?:is|are|was|were)\s+)?(?:the\s+)?" + _A + r"\s+(?:official\s+)?" + _NOUNS + r"\s+" + _PREP + r"\s+" + _T + _END, re.I),
]
_ZH = [
    re.compile(r"^\s*(?P<actor>[^对就关于如何怎么]{1,12}?)(?:对于|对|就|关于)(?P<topic>.+?)(?:问题)?(?:的)?(?:立场|看法|态度|表态|回应|评论|观点|表示)(?:是什么|如何|怎样)?[？?。]*\s*$"),
    re.compile(r"^\s*(?P<actor>[^如何怎么]{1,12}?)(?:如何|怎么|怎样)(?:看待|评价|回应|看)(?P<topic>.+?)[？?。]*\s*$"),
]


# "Chinese officials", "the Russian government", "US diplomats": the actor is the adjective's
_GROUP_TAIL = re.compile(r"\s+(?:officials?|government|leaders?|leadership|side|authorities|diplomats?|delegation|"
                         r"spokespersons?|spokesm[ae]n|foreign ministry|ministry|administration|embassy)$", re.I)


@dataclass(frozen=True)
class Reading:
    literal_query: str  # the query as typed
    topic: str  # what the query is about: the words to search for
    said_by: list[str] = field(default_factory=list)  # canonical actors; empty when the query names none
    speakers: list[str] = field(default_factory=list)  # officials named in the actor slot ("What did Wang Yi say ...")
    actor_words: str | None = None  # the words read as the actor

    def describe(self) -> str:
        """`read as: said by China · about: Ukraine` (or `read as: about: ...` with no actor)."""
        parts = []
        if self.speakers:
            parts.append("spoken by " + ", ".join(self.speakers))
        if self.said_by:
            parts.append("said by " + ", ".join(self.said_by))
        parts.append("about: " + self.topic)
        return "read as: " + " \u00b7 ".join(parts)

    def as_dict(self) -> dict:
        return {"literal_query": self.literal_query, "said_by": list(self.said_by), "speakers": list(self.speakers),
                "topic": self.topic, "actor_words": self.actor_words, "description": self.describe()}


def _actors(words: str, table: ActorTable) -> tuple[list[str], list[str]] | None:
    """The actors (and officials) the ACTOR slot names, every part known; None otherwise."""
    parts = [p for p in re.split(r"\s*(?:,|\band\b|\bor\b|&|和|与|及)\s*", words.strip()) if p.strip()]
    actors, speakers = [], []
    for part in parts:
        part = part.strip()
        actor = table.resolve(part) or table.resolve(_GROUP_TAIL.sub("", part))
        if actor is None:
            person = table.person_actor(re.sub(r"^(?:president|foreign minister|minister|premier|spokesperson)\s+", "", part, flags=re.I))
            if person is None:
                return None
            speakers.append(re.sub(r"^(?:president|foreign minister|minister|premier|spokesperson)\s+", "", part, flags=re.I))
            actor = person
        if actor not in actors:
            actors.append(actor)
    return (actors, speakers) if actors else None


def read_query(query: str, table: ActorTable | None = None, literal: bool = False) -> Reading:
    """How `query` is read: said-by actors plus the topic, or (no actor named, or `literal`) the query itself."""
    text = " ".join(query.split())
    if literal or not text:
        return Reading(query, text)
    table = table or load_actors()
    for pattern in _EN + _ZH:
        match = pattern.match(text)
        if not match:
            continue
        found = _actors(match["actor"], table)
        topic = match["topic"].strip().strip("?？.。").strip()
        topic = re.sub(r"^(?:the\s+)?(?:issue|question|matter)\s+of\s+", "", topic, flags=re.I)
        if found and topic:
            return Reading(query, topic, found[0], found[1], match["actor"].strip())
    return Reading(query, text)
