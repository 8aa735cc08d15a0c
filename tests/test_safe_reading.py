"""Reading only regular files, with a bound: a named pipe or a device is refused at once (a FIFO hung
ingest forever, a link to /dev/zero ran it out of memory), and strings that cannot be stored are named."""
from __future__ import annotations

import os

import pytest

from corpus.textfile import (FileTooLarge, NotRegularFile, TextFileProblem, invalid_character, printable, read_regular_file,
                             read_text_file)
from search.batch import read_queries
from search.errors import InvalidQuery


def test_fifo_and_devices_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(NotRegularFile, match=r"^not a regular file \(a named pipe\)$"):
        read_regular_file(tmp_path / "pipe.txt", 100)
    with pytest.raises(NotRegularFile, match=r"^not a regular file \(a character device\)$"):
        read_regular_file(tmp_path / "zero.txt", 100)
    with pytest.raises(TextFileProblem, match=r"^not a regular file \(a named pipe\)$"):
        read_text_file(tmp_path / "pipe.txt")
    with pytest.raises(InvalidQuery, match=r"cannot read queries from .*zero.txt \(not a regular file \(a character device\)\)"):
        read_queries(tmp_path / "zero.txt")


def test_reads_at_most_the_bound(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLarge) as refused:
        read_regular_file(path, 100)
    assert refused.value.size == 101
    assert read_regular_file(path, 101) == b"x" * 101


def test_invalid_characters_are_named_and_printable():
    assert invalid_character("Vältava 台湾 \U0001F600") is None
    assert invalid_character("ab\udcff") == "byte 0xff that is not UTF-8 at character 3"
    assert invalid_character("\ud800x") == "a lone surrogate U+D800 at character 1"
    assert printable("caf\udce9.txt") == "caf\\xe9.txt"
    assert printable("a\ud800") == "a\\ud800"
    assert printable("plain") == "plain"
