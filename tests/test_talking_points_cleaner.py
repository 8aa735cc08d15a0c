"""Cleaner sentence clusters (issue 13 item 4): questions left out; the representative is always a member."""
from __future__ import annotations

from search.requests import build_filters
from search.talking_points import find_talking_points
from tests.builders import build, raw

TEMPLATE = "Velmar warmly congratulates {} on the successful holding of its general election and wishes its people prosperity."
OTHER = "The ministers also discussed fisheries, the northern railway and a new harbour for the coast."


def test_the_representative_is_a_member_even_when_filters_leave_the_centre_out(tmp_path, fake_embedder):
    docs = [raw("r1", TEMPLATE.format("Ostravia") + " " + OTHER, date="2018-03-01"),
            raw("r2", TEMPLATE.format("Ostravia") + " Tea was served.", date="2018-04-01"),
            raw("s1", TEMPLATE.format("Kestria") + " Rain fell all day.", date="2019-02-01"),
            raw("s2", TEMPLATE.format("Lunaria") + " The band played.", date="2019-03-01"),
            raw("s3", TEMPLATE.format("Pallas") + " Snow closed the pass.", date="2019-04-01")]
    store, _ = build(tmp_path / "idx", docs, fake_embedder)
    everything = find_talking_points(store, fake_embedder)
    assert "Ostravia" in everything[0].representative  # the centre: used in two documents
    later = find_talking_points(store, fake_embedder, build_filters(since="2019"))
    assert later, "the three 2019 members still form a talking point"
    members = {m.sentence for m in later[0].members}
    assert later[0].representative in members
    assert "Ostravia" not in later[0].representative
    store.close()


def test_journalists_questions_are_not_talking_points(tmp_path, fake_embedder):
    question = "Q: Will Velmar reopen the northern border crossing for grain trucks before the harvest season begins?"
    docs = [raw(f"p{i}", f"Opening remarks about the weather number {i}.\n\n{question}\n\nA: We will announce it in due course {i}.",
                date=f"2019-0{i}-01", speaker="Aldo Venn") for i in (1, 2, 3)]
    store, _ = build(tmp_path / "idx", docs, fake_embedder)
    found = find_talking_points(store, fake_embedder)
    assert not any("border crossing" in c.representative for c in found)
    store.close()
