"""read_turns: every turn of a transcript with its role, speaker, provenance and the question an answer answers."""
from __future__ import annotations

from corpus.roles import ANSWER, PROCEDURAL, QUESTION, STATEMENT
from corpus.turns import find_turns, read_label, read_turns, LabelStyle, speaker_name
from tests.evalset_fixtures import NAMED_STYLE, QA_STYLE, SPOKESPERSON, text


def _table(body, turns):
    return [(t.role, t.speaker, t.speaker_status, t.answers, body[t.start : t.end].split("\n")[0][:30]) for t in turns]


WHITE_HOUSE = [
    "Via Teleconference",
    "2:05 P.M. EDT",
    "MODERATOR: Thanks, everyone, for joining this call on the Selva river accord. Our first speaker is Ms. Arden.",
    "MS. ARDEN: Good afternoon. The President will travel to Marenne next week to sign the Selva river accord.",
    "The accord sets the water quotas for the dry season in the whole basin.",
    "Q Thank you. Will the accord be sent to Congress for ratification before the summer recess?",
    "MS. ARDEN: It will be sent to Congress in May, as the law requires for any treaty on water.",
    "SECRETARY HOLM: Let me add that the Senate leaders have already been briefed on the text.",
    "Q Thanks.",
    "MODERATOR: Our next question comes from the line of Harbor Daily.",
    "AUDIENCE MEMBER: What about the fishing crews detained in the strait since March?",
    "THE PRESIDENT: We are working for their release, and I raised it with the Valdorian leader myself.",
    "END 2:31 P.M. EDT",
]


def test_white_house_caps_labels_bare_q_moderator_and_time_stamps():
    body = text(WHITE_HOUSE)
    assert _table(body, read_turns(body)) == [
        (PROCEDURAL, None, "unknown", None, "Via Teleconference"),
        (PROCEDURAL, None, "unknown", None, "2:05 P.M. EDT"),
        (PROCEDURAL, "Moderator", "extracted", None, "MODERATOR: Thanks, everyone, f"),
        (STATEMENT, "Ms. Arden", "extracted", None, "MS. ARDEN: Good afternoon. The"),
        (QUESTION, None, "unknown", None, "Q Thank you. Will the accord b"),
        (ANSWER, "Ms. Arden", "extracted", 4, "MS. ARDEN: It will be sent to "),
        (ANSWER, "Secretary Holm", "extracted", 4, "SECRETARY HOLM: Let me add tha"),
        (PROCEDURAL, None, "unknown", None, "Q Thanks."),
        (PROCEDURAL, "Moderator", "extracted", None, "MODERATOR: Our next question c"),
        (QUESTION, None, "unknown", None, "AUDIENCE MEMBER: What about th"),
        (ANSWER, "The President", "extracted", 9, "THE PRESIDENT: We are working "),
        (PROCEDURAL, None, "unknown", None, "END 2:31 P.M. EDT"),
    ]
    # the unlabelled paragraph after MS. ARDEN's first label is hers
    statement = read_turns(body)[3]
    assert body[statement.start : statement.end].endswith("in the whole basin.")


def test_qa_style_answers_are_the_documents_speaker_and_link_their_question():
    body = text(QA_STYLE)
    turns = read_turns(body, doc_speaker=SPOKESPERSON)
    assert [(t.role, t.speaker, t.speaker_status, t.answers) for t in turns] == [
        (STATEMENT, SPOKESPERSON, "inferred", None),  # the announcement before any question
        (QUESTION, None, "unknown", None),
        (ANSWER, SPOKESPERSON, "inferred", 1),
        (QUESTION, None, "unknown", None),  # Follow-up:
        (ANSWER, SPOKESPERSON, "inferred", 3),
        (QUESTION, None, "unknown", None),
        (QUESTION, None, "unknown", None),
        (ANSWER, SPOKESPERSON, "inferred", 6),
        (ANSWER, SPOKESPERSON, "inferred", 6),
        (QUESTION, None, "unknown", None),
    ]
    # "First: tariffs hurt ..." is not a label: it stays inside the answer before it
    assert body[turns[7].start : turns[7].end].endswith("producers here in Ostravia.")


def test_named_style_outlet_asks_and_a_lying_first_label_stays_answer_text():
    paragraphs = NAMED_STYLE[:3] + ["First: the drills took place in international waters, as we were told.",
                                    "At 10:00 this morning the two navies also exchanged messages by radio."]
    body = text(paragraphs)
    turns = read_turns(body, [SPOKESPERSON])
    assert [(t.role, t.speaker, t.speaker_status, t.label) for t in turns] == [
        (STATEMENT, SPOKESPERSON, "extracted", SPOKESPERSON),
        (QUESTION, "Harbor Daily", "extracted", "Harbor Daily"),
        (ANSWER, SPOKESPERSON, "extracted", SPOKESPERSON),
    ]
    assert turns[2].end == len(body)  # both unlabelled paragraphs belong to the answer
    style = LabelStyle(frozenset({"jana velt"}), named=True)
    for line in ("First: a point.", "Second, and more important: a point.", "At 10:00 the talks began.",
                 "Here I would like to stress three points: one.", "Our position is very clear: no."):
        assert read_label(line, style) is None, line
    assert read_label("Reuters: A question?", style).kind == "question"


def test_a_transcript_with_no_labels_is_one_statement():
    body = text(["The ministry welcomes the bridge over the Selva.", "It will cut travel times in the basin."])
    assert [(t.start, t.end, t.role, t.speaker, t.speaker_status) for t in read_turns(body, doc_speaker="Jana Velt")] == [
        (0, len(body), STATEMENT, "Jana Velt", "inferred")]
    assert [(t.role, t.speaker, t.speaker_status) for t in read_turns(body)] == [(STATEMENT, None, "unknown")]
    assert read_turns("") == []


def test_chinese_labels():
    body = text(["问：瓦尔多利亚昨天宣布暂停谈判。你有何评论？", "答：我们对此表示遗憾。", "港湾日报记者：外长下周是否访问马伦内？",
                 "林雅：目前没有可以发布的消息。", "会后有记者问及：配额会减少吗？", "林雅：不会。"])
    turns = read_turns(body, ["林雅"], doc_speaker="林雅")
    assert [(t.role, t.speaker, t.answers) for t in turns] == [
        (QUESTION, None, None), (ANSWER, "林雅", 0), (QUESTION, "港湾日报", None), (ANSWER, "林雅", 2),
        (QUESTION, None, None), (ANSWER, "林雅", 4)]


def test_white_house_style_pairs_for_from_qa_too():
    scan = find_turns(text(WHITE_HOUSE))
    assert [t.question for t in scan.turns] == [
        "Thank you. Will the accord be sent to Congress for ratification before the summer recess?",
        "What about the fishing crews detained in the strait since March?"]
    first = scan.turns[0]
    assert text(WHITE_HOUSE)[first.answer_span[0] : first.answer_span[1]].endswith("already been briefed on the text.")


def test_speaker_names_from_caps_labels():
    assert speaker_name("MS. PSAKI") == "Ms. Psaki"
    assert speaker_name("THE PRESIDENT") == "The President"
    assert speaker_name("Geng Shuang") == "Geng Shuang"


def test_fact_sheet_headings_in_capitals_are_not_speakers():
    body = text(["The President signed an order on the Selva river today.",
                 "PROMISE MADE: The President said he would restore the water quotas.",
                 "PROTECTING OUR FARMERS: The order keeps the dry season quotas for farmers downstream.",
                 "MAKING THE BASIN SAFE AGAIN: The order funds new levees."])
    assert [(t.role, t.speaker, t.label) for t in read_turns(body, doc_speaker="President Ostby")] == [
        (STATEMENT, "President Ostby", None)]
    # the same short title-less name is a speaker in a press event
    press = text(["Q Will the levees be built this year?", "S. ARDEN: Yes, the funds are in the order.",
                  "S. ARDEN: And the work starts in May."])
    assert [(t.role, t.speaker) for t in read_turns(press)] == [(QUESTION, None), (ANSWER, "S. Arden"), (ANSWER, "S. Arden")]


def test_chinese_reported_answers_and_follow_ups_answered_without_a_label():
    body = text(["会后有记者问及：瓦尔多利亚是否会重返谈判？", "林雅表示，我们欢迎瓦尔多利亚重返谈判桌。",
                 "追问：谈判何时恢复？", "目前还没有确定的日期。我们会及时发布消息。", "问：配额会减少吗？", "答：不会。"])
    turns = read_turns(body, ["林雅"], doc_speaker="林雅")
    assert [(t.role, t.speaker, t.answers) for t in turns] == [
        (QUESTION, None, None), (ANSWER, "林雅", 0), (QUESTION, None, None), (ANSWER, "林雅", 2), (QUESTION, None, None),
        (ANSWER, "林雅", 4)]
    scan = find_turns(body, ["林雅"])
    assert [(t.kind, t.question) for t in scan.turns] == [
        ("question", "瓦尔多利亚是否会重返谈判？"), ("follow-up", "谈判何时恢复？"), ("question", "配额会减少吗？")]
    assert sum(scan.dropped.values()) == 0


def test_a_bare_q_whose_question_holds_a_colon_is_still_a_question():
    text = ("MS. PSAKI: We will see.\n\nQ And then just on Israel, but different topic: why has no ambassador been named?\n\n"
            "MS. PSAKI: Sure.")
    turns = read_turns(text, [], "Jen Psaki")
    assert [(t.role, t.speaker) for t in turns][:2] == [("statement", "Ms. Psaki"), ("question", None)]
    assert text[turns[1].start:turns[1].end].startswith("Q And then just on Israel")
