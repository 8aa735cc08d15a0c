"""Question/answer turns in transcripts: both styles, and exact counts of what is dropped as unclear."""
from __future__ import annotations

from corpus.turns import EMPTY, ORPHAN, UNANSWERED, find_turns
from tests.evalset_fixtures import NAMED_STYLE, QA_STYLE, SHORT_ANSWER, SPOKESPERSON, STATEMENT, ZH_SPOKESPERSON, ZH_STYLE, text


def _para(paragraphs, i):
    body = text(paragraphs)
    start = body.index(paragraphs[i])
    return start, start + len(paragraphs[i])


def test_qa_style_pairs_questions_with_multi_paragraph_answers_and_counts_drops():
    body = text(QA_STYLE)
    scan = find_turns(body, [SPOKESPERSON])
    assert [t.question for t in scan.turns] == [
        "The Selva basin commission met yesterday without Valdoria. Why did Ostravia walk out of the river talks?",
        "Will the water quotas for the dry season be cut this year?",
        "The Northern Trade League plans new tariffs on Ostravian steel. How will Ostravia respond?",
    ]
    assert [t.kind for t in scan.turns] == ["question", "follow-up", "question"]
    first = scan.turns[0]
    assert first.question_span == _para(QA_STYLE, 1)
    assert first.answer_span == (_para(QA_STYLE, 2)[0], _para(QA_STYLE, 3)[1])  # the unlabelled paragraph belongs to the answer
    # "First: ..." inside a Q/A transcript is answer text, not an outlet asking
    assert scan.turns[2].answer_span == (_para(QA_STYLE, 8)[0], _para(QA_STYLE, 9)[1])
    assert dict(scan.dropped) == {UNANSWERED: 2, ORPHAN: 1}


def test_named_style_outlet_then_spokesperson():
    scan = find_turns(text(NAMED_STYLE), [SPOKESPERSON])
    assert [(t.asker, t.question) for t in scan.turns] == [
        ("Harbor Daily", "The Valdorian navy held drills near the Tarn strait this week. What is your comment?"),
        ("Selva Broadcasting Corporation", "Can you share details of the new visa rules for Valdorian students?"),
    ]
    assert scan.turns[1].answer_span == (_para(NAMED_STYLE, 4)[0], _para(NAMED_STYLE, 5)[1])
    # opening remarks before any question are not a turn and not a drop; a second answer after an answer is
    assert dict(scan.dropped) == {ORPHAN: 1}


def test_without_the_spokesperson_name_outlets_are_not_recognised():
    scan = find_turns(text(NAMED_STYLE), [])
    assert scan.turns == [] and sum(scan.dropped.values()) == 0


def test_statements_and_empty_questions():
    assert find_turns(text(STATEMENT), [SPOKESPERSON]).turns == []
    scan = find_turns("Q:\n\nA: An answer to nothing at all, said the spokesperson today.", [])
    assert scan.turns == [] and dict(scan.dropped) == {EMPTY: 1}


def test_label_without_space_and_short_answer():
    scan = find_turns("Q:Can you confirm the visit of the envoy?\n\nA: Yes.", [])
    assert [(t.question, t.kind) for t in scan.turns] == [("Can you confirm the visit of the envoy?", "question")]
    assert len(find_turns(text(SHORT_ANSWER), []).turns) == 2


def test_chinese_labels_reporters_and_spokesperson():
    body = text(ZH_STYLE)
    scan = find_turns(body, [ZH_SPOKESPERSON])
    assert [(t.kind, t.asker, t.question) for t in scan.turns] == [
        ("question", None, "瓦尔多利亚昨天宣布暂停塞尔瓦河水量谈判。奥斯特拉维亚对此有何回应？"),
        ("follow-up", None, "今年旱季的配额会减少吗？"),
        ("question", "港湾日报", "奥斯特拉维亚外长下周是否将访问马伦内？"),
        ("question", None, "奥斯特拉维亚是否会对北方贸易联盟的钢铁关税采取反制措施？"),
    ]
    assert scan.turns[0].answer_span == (_para(ZH_STYLE, 2)[0], _para(ZH_STYLE, 3)[1])
    assert scan.turns[3].answer_span == _para(ZH_STYLE, 9)
    assert sum(scan.dropped.values()) == 0  # the opening remarks are neither a turn nor a drop
