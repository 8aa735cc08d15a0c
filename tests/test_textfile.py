"""User-given text files (queries, judgments, runs): refused with the reason when missing, a folder, huge, binary or not UTF-8."""
from __future__ import annotations

import re

import pytest

from corpus.textfile import TextFileProblem, read_text_file
from search.batch import read_queries
from search.errors import InvalidQuery
from search.evaluation.errors import JudgmentFileError
from search.evaluation.qrels_io import read_judgments, read_run


def test_reads_utf8_and_drops_a_byte_order_mark(tmp_path):
    path = tmp_path / "q.txt"
    path.write_bytes("\ufeffriver treaty — Vältava\n".encode("utf-8"))
    assert read_text_file(path) == "river treaty — Vältava\n"


@pytest.mark.parametrize("content, reason", [
    (b"steel\x00tariffs\n", "binary data (NUL bytes)"),
    (b"caf\xe9 talks\n", "not UTF-8: byte 0xe9 at offset 3"),
])
def test_refuses_binary_and_non_utf8(tmp_path, content, reason):
    path = tmp_path / "q.txt"
    path.write_bytes(content)
    with pytest.raises(TextFileProblem, match=f"^{re.escape(reason)}$"):
        read_text_file(path)


def test_refuses_missing_folders_and_oversized_files(tmp_path):
    with pytest.raises(TextFileProblem, match="^No such file or directory$"):
        read_text_file(tmp_path / "absent.txt")
    with pytest.raises(TextFileProblem, match="^it is a folder$"):
        read_text_file(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (3 * 2**20))
    with pytest.raises(TextFileProblem, match=r"^3 MiB, over the 2 MiB limit$"):
        read_text_file(big, max_bytes=2 * 2**20)


def test_each_reader_names_the_file_and_what_to_give(tmp_path):
    path = tmp_path / "in.txt"
    path.write_bytes(b"q1 0 doc#1 1\x00\n")
    with pytest.raises(InvalidQuery, match=r"cannot read queries from .*in.txt \(binary data \(NUL bytes\)\); give a UTF-8 text or JSONL file"):
        read_queries(path)
    with pytest.raises(JudgmentFileError, match=r"cannot read .*in.txt \(binary data \(NUL bytes\)\); give a UTF-8 trec file"):
        read_judgments(path)
    with pytest.raises(JudgmentFileError, match=r"cannot read run .*in.txt \(binary data \(NUL bytes\)\); give a UTF-8 TREC run file"):
        read_run(path)
