"""Documents of our own writing for the web tests (invented states), and an index built from them."""
from __future__ import annotations

from corpus.documents import RawDocument

HOSTILE_ID = "hostile-1"
HOSTILE_TEXT = (
    'Harbour statement <script>window.__pwned=1</script> on tariff quotas.\n\n'
    'Spokesperson Orla Venn: <img src=x onerror="window.__pwned=1"> we reject the tariff quotas '
    'and <b>bold</b> claims about the harbour.'
)

FORMULA = "Dialogue and consultation remain the only viable path toward lasting harmony across the Selva basin."

DOCS = [
    ("valdoria-2021-03", "Valdoria rejects grain sanctions", "2021-03-14", "Valdorian Ministry of Foreign Affairs", "Ilse Marren",
     "The ministry rejects the grain sanctions imposed by the Northern Trade League. Sanctions on grain hurt farmers on both sides of the river.\n\n"
     "The river commission will meet again in April to discuss water quotas and the new dam."),
    ("ostravia-2022-06", "Ostravia on the river dam", "2022-06-02", "Ostravian Ministry of Foreign Affairs", "Jana Velt",
     "The dam on the Selva river is a domestic project. It poses no threat to any neighbour and will be completed as planned.\n\n"
     "Ostravia welcomes dialogue with Valdoria on fisheries in the Gulf of Tarn."),
    ("ostravia-2023-09", "Ostravia urges talks on fisheries", "2023-09-20", "Ostravian Ministry of Foreign Affairs", "Jana Velt",
     "Fisheries talks with Marenne should resume. Fishing boats deserve safe harbours and fair quotas.\n\n"
     "We oppose unilateral grain sanctions of any kind."),
    ("marenne-2024-01", "Marenne signs fisheries accord", "2024-01-11", "Marenne Foreign Office", "Teo Brask",
     "Marenne and Valdoria signed the Gulf of Tarn fisheries accord today. The accord sets quotas for herring and cod."),
    ("undated-note", "Note on river navigation", None, "Valdorian Ministry of Foreign Affairs", None,
     "Navigation on the Selva river remains open to merchant ships of every flag."),
    ("korvath-wire", None, None, None, None,
     "KORVATH, March 3 /KNA/ -- The Korvath delegation said the 2022 river water treaty must be honoured. "
     "Water quotas agreed in 2022 remain binding on every party to the treaty."),
    ("formula-2019", "Briefing of 5 May 2019", "2019-05-05", "Valdorian Ministry of Foreign Affairs", "Ilse Marren",
     f"Asked about the border incident, the spokesperson said: {FORMULA} Both sides should show restraint."),
    ("formula-2020", "Briefing of 9 October 2020", "2020-10-09", "Marenne Foreign Office", "Teo Brask",
     f"On the summit, the office repeated that {FORMULA[0].lower() + FORMULA[1:]} Preparations continue."),
    ("formula-2023", "Briefing of 1 March 2023", "2023-03-01", "Ostravian Ministry of Foreign Affairs", "Jana Velt",
     f"Our position is consistent. {FORMULA} The envoy will travel next week."),
    (HOSTILE_ID, "Harbour <script>alert(1)</script> statement", "2024-02-02", "Harbour Authority <i>Press</i>", "Orla Venn", HOSTILE_TEXT),
]


def raw_documents() -> list[RawDocument]:
    out = []
    for doc_id, title, date, source, speaker, text in DOCS:
        given = {k: v for k, v in (("title", title), ("source", source)) if v}
        given["lang"] = "en"
        if date:
            given["date"] = date
        if speaker:
            given["speaker"] = speaker
        out.append(RawDocument(doc_id=doc_id, text=text, origin=f"web_corpus:{doc_id}", given=given))
    return out


def build_index(folder, embedder, talking_points: bool = False):
    from index.ingest import ingest
    from index.store import IndexStore

    store = IndexStore.open(folder, create=True)
    ingest(store, raw_documents(), embedder)
    if talking_points:
        from search.talking_points import refresh_talking_points

        refresh_talking_points(store, embedder)
    return store
