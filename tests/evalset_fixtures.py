"""Press-conference transcripts of our own writing (invented states), for the evaluation-set tests."""
from __future__ import annotations

from tests.builders import build, raw

SPOKESPERSON = "Jana Velt"
SOURCE = "Ostravian Ministry of Foreign Affairs"

QA_STYLE = [  # Q:/A: style; 3 turns, 2 questions without an answer, 1 answer without a question
    "Foreign Minister Tomas Rell will visit Marenne from March 10 to 12 for talks on the fisheries accord.",
    "Q: The Selva basin commission met yesterday without Valdoria. Why did Ostravia walk out of the river talks?",
    "A: Ostravia did not walk out of anything. Our delegation left because the agenda had been changed without notice.",
    "We remain ready to return to the table once the original agenda on water quotas is restored.",
    "Follow-up: Will the water quotas for the dry season be cut this year?",
    "A: The dry season quotas will stay at the level agreed in the 2029 memorandum for farmers downstream.",
    "Q: Is there any news about the detained fishing crew from Marenne?",
    "Q: The Northern Trade League plans new tariffs on Ostravian steel. How will Ostravia respond?",
    "A: We firmly oppose these tariffs on steel and will take the measures needed to protect our industry.",
    "First: tariffs hurt consumers in the League as much as producers here in Ostravia.",
    "A: We also call on the League to return to the negotiating table in Tarn City soon.",
    "Q: Has the date for the border commission meeting been set by both sides yet?",
]

NAMED_STYLE = [  # outlet, then spokesperson; 2 turns, 1 answer without a question
    "Jana Velt: Good afternoon. I have two announcements to make before taking your questions today.",
    "Harbor Daily: The Valdorian navy held drills near the Tarn strait this week. What is your comment?",
    "Jana Velt: We have noted the drills and urge all sides to avoid steps that raise tension in the strait.",
    "Selva Broadcasting Corporation: Can you share details of the new visa rules for Valdorian students?",
    "Jana Velt: The new visa rules take effect in May and will shorten the waiting time for students to ten days.",
    "Our embassy in Valdoria will publish the full list of documents required on its website next week.",
    "Jana Velt: Let me add one more point about the maritime drills mentioned earlier in this press conference.",
]

SHORT_ANSWER = [  # "A: No." is too short to be a passage of its own: it is merged into the next question
    "Q: Will the Foreign Minister attend the summit in Tarn City next month?",
    "A: No.",
    "Q: What is the position of Ostravia on the new shipping lanes through the strait?",
    "A: Ostravia supports freedom of navigation and the shipping lanes agreed by the Basin Council.",
]

STATEMENT = [
    "The Ministry of Foreign Affairs of Ostravia welcomes the opening of the new bridge over the Selva river.",
    "The bridge will carry trade between Ostravia and Valdoria and cut travel times for farmers in the basin.",
]


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def docs():
    common = {"source": SOURCE, "speaker": SPOKESPERSON, "lang": "en"}
    return [
        raw("ost-0304", text(QA_STYLE), title="Press conference, March 4", date="2031-03-04", **common),
        raw("ost-0305", text(NAMED_STYLE), title="Press conference, March 5", date="2031-03-05", **common),
        raw("ost-0306", text(SHORT_ANSWER), title="Press conference, March 6", date="2031-03-06", **common),
        raw("ost-bridge", text(STATEMENT), title="Statement on the Selva bridge", date="2031-03-07", source=SOURCE, lang="en"),
    ]


def build_index(folder, embedder):
    store, _ = build(folder, docs(), embedder)
    store.save()
    return store

ZH_SPOKESPERSON = "韦尔塔"
ZH_STYLE = [  # Chinese labels: 问/答, 追问, an outlet's reporter, an unnamed reporter after the briefing; 4 turns
    "韦尔塔：下午好。今天我先通报一条消息，然后回答大家的提问。",
    "问：瓦尔多利亚昨天宣布暂停塞尔瓦河水量谈判。奥斯特拉维亚对此有何回应？",
    "答：我们对瓦尔多利亚的决定表示遗憾。塞尔瓦河水量分配关系到两岸农民的生计。",
    "我们愿意在原定议程的基础上尽快恢复谈判。",
    "追问：今年旱季的配额会减少吗？",
    "答：旱季配额将维持在备忘录商定的水平。",
    "港湾日报记者：奥斯特拉维亚外长下周是否将访问马伦内？",
    "韦尔塔：关于外长出访的消息，我们会适时发布。",
    "会后有记者问及：奥斯特拉维亚是否会对北方贸易联盟的钢铁关税采取反制措施？",
    "韦尔塔：我们坚决反对这些关税，将采取必要措施维护本国产业的正当权益。",
]
