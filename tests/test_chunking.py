"""Passages: paragraphs, fragments merged, long paragraphs split at sentences, offsets exact."""
from __future__ import annotations

import random

from corpus.chunking import ChunkOptions, chunk
from corpus.sentences import split_sentences
from tests.fakes import FakeEmbedder

count = FakeEmbedder().count_tokens  # words and punctuation marks


def test_paragraphs_become_passages_with_exact_offsets():
    text = "The first paragraph speaks of the river treaty at length.\n\nThe second paragraph speaks of the fisheries accord today."
    passages = chunk(text, count)
    assert [p.text for p in passages] == text.split("\n\n")
    assert [(p.ordinal, p.char_start, p.char_end) for p in passages] == [(0, 0, 57), (1, 59, 117)]
    assert [p.n_tokens for p in passages] == [11, 10]
    assert all(text[p.char_start:p.char_end] == p.text for p in passages)


def test_fragments_join_the_next_paragraph_and_a_trailing_one_the_previous():
    text = "Opening remarks\n\nThe spokesperson answered questions on the river treaty today.\n\nMore to follow"
    passages = chunk(text, count)
    assert len(passages) == 1 and passages[0].text == text


def test_short_full_sentence_is_not_a_fragment():
    text = "The talks failed today.\n\nBoth sides blamed each other for the collapse of the fisheries accord."
    assert [p.text for p in chunk(text, count)] == text.split("\n\n")


def test_chinese_paragraphs_are_passages_and_only_stubs_merge():
    # Chinese has no spaces between words: each paragraph used to count as one word, so every paragraph was a
    # "fragment" and a whole transcript merged into one run before splitting
    paras = ["问：奥斯特拉维亚对塞尔瓦河水量谈判有何回应？",
             "答：我们对瓦尔多利亚的决定表示遗憾，愿意在原定议程的基础上尽快恢复谈判。",
             "追问：是否？",
             "答：是的。"]
    text = "\n\n".join(paras)
    assert [p.text for p in chunk(text, count)] == [paras[0], paras[1], "追问：是否？\n\n答：是的。"]


def test_word_count_counts_cjk_by_characters_and_english_by_spaces():
    from corpus.cjk import word_count

    assert word_count("The talks failed today.") == 4
    assert word_count("我们对此表示遗憾。") == 4  # 8 characters, punctuation not counted
    assert word_count("答：是的。") == 2
    assert word_count("JLG第14次全会") == 2 + 2  # JLG and 14 as words, 4 CJK characters as 2


def test_long_paragraph_splits_at_sentence_boundaries_within_the_limit():
    sentences = [f"Sentence number {i} says the treaty must be honoured by both states." for i in range(12)]
    text = " ".join(sentences)
    passages = chunk(text, count, ChunkOptions(max_tokens=40))
    assert len(passages) > 1
    assert all(p.n_tokens <= 40 for p in passages)
    assert [s for p in passages for s in split_sentences(p.text)] == sentences  # every cut falls between sentences
    assert all(text[p.char_start:p.char_end] == p.text for p in passages)


def test_one_sentence_over_the_limit_is_cut_between_words():
    text = " ".join(f"w{i}" for i in range(100)) + "."
    passages = chunk(text, count, ChunkOptions(max_tokens=30))
    assert all(p.n_tokens <= 30 for p in passages)
    assert " ".join(p.text for p in passages) == text


def test_abbreviations_do_not_end_sentences():
    assert split_sentences("Mr. Zhang met the U.S. side. Talks went on. Dr. Li agreed.") == [
        "Mr. Zhang met the U.S. side.", "Talks went on.", "Dr. Li agreed."]
    assert split_sentences("\u53cc\u65b9\u4f1a\u8c08\u3002\u6c14\u6c1b\u53cb\u597d\u3002") == ["\u53cc\u65b9\u4f1a\u8c08\u3002", "\u6c14\u6c1b\u53cb\u597d\u3002"]


def test_random_texts_keep_every_invariant():
    rng = random.Random(7)
    vocab = "alpha beta treaty river water talks minister said the accord".split()
    for _ in range(150):
        paragraphs = []
        for _ in range(rng.randint(1, 6)):
            kind = rng.random()
            if kind < 0.2:
                paragraphs.append("Heading " + rng.choice(vocab))
            elif kind < 0.3:
                paragraphs.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(60, 200))))
            else:
                paragraphs.append(" ".join(" ".join(rng.choice(vocab) for _ in range(rng.randint(3, 40))).capitalize() + "."
                                           for _ in range(rng.randint(1, 12))))
        text = "\n\n".join(paragraphs)
        limit = rng.choice([20, 50, 100])
        passages = chunk(text, count, ChunkOptions(max_tokens=limit))
        assert [p.ordinal for p in passages] == list(range(len(passages)))
        covered = set()
        previous_end = -1
        for p in passages:
            assert p.text == text[p.char_start:p.char_end] and p.text == p.text.strip()
            assert p.n_tokens == count([p.text])[0] <= limit
            assert p.char_start > previous_end
            previous_end = p.char_end
            covered.update(range(p.char_start, p.char_end))
        assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)
