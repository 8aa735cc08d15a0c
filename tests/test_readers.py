"""Reading inputs: formats, sidecars, field mapping, and one clear problem per bad input."""
from __future__ import annotations

import gzip
import json
import os

import pytest

from corpus.documents import RawDocument
from corpus.errors import FieldMappingError, InputProblem
from corpus.readers import ReadOptions, decode_bytes, parse_field_map, read_inputs

BODY = "The ministry of Arden said the river treaty will be honoured by both sides."


def _read(*paths, **options):
    items = list(read_inputs([str(p) for p in paths], ReadOptions(**options)))
    docs = {i.doc_id: i for i in items if isinstance(i, RawDocument)}
    problems = {i.origin: i.reason for i in items if isinstance(i, InputProblem)}
    return docs, problems


def test_folder_is_read_recursively_in_name_order_with_relative_ids(tmp_path):
    (tmp_path / "b.txt").write_text(BODY)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "a.md").write_text("# Note\n\n" + BODY)
    (tmp_path / ".hidden.txt").write_text(BODY)
    items = list(read_inputs([tmp_path]))
    assert [i.doc_id for i in items] == ["b", "sub/deeper/a"]
    assert items[1].origin == str(tmp_path / "sub" / "deeper" / "a.md")
    assert items[0].text == BODY


def test_single_file_gets_its_stem_as_id(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text(BODY)
    docs, problems = _read(path)
    assert list(docs) == ["statement"] and problems == {}


def test_jsonl_fields_and_meta(tmp_path):
    record = {"id": "s1", "title": "River talks", "text": BODY, "date": "2020-05-01", "source": "Arden MFA",
              "speaker": "Mira Tal", "url": "https://example.org/s1", "lang": "en", "meta": {"session": 3}, "extra": "x"}
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n\n")
    docs, problems = _read(tmp_path / "r.jsonl")
    assert problems == {}
    doc = docs["s1"]
    assert doc.given == {"title": "River talks", "date": "2020-05-01", "source": "Arden MFA", "speaker": "Mira Tal",
                         "url": "https://example.org/s1", "lang": "en"}
    assert doc.meta == {"session": 3, "extra": "x"}
    assert doc.origin == f"{tmp_path / 'r.jsonl'}:1"


def test_jsonl_gz_and_missing_id_gets_line_based_id(tmp_path):
    with gzip.open(tmp_path / "press.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"text": BODY}) + "\n")
        f.write(json.dumps({"text": "Second statement of the Vell ministry on fisheries."}) + "\n")
    docs, problems = _read(tmp_path / "press.jsonl.gz")
    assert sorted(docs) == ["press-1", "press-2"] and problems == {}


def test_field_mapping_with_nested_names(tmp_path):
    record = {"uid": "m1", "body": BODY, "info": {"published": "2019-03-02"}, "outlet": "Vell Times"}
    (tmp_path / "m.jsonl").write_text(json.dumps(record) + "\n")
    mapping = parse_field_map(["id=uid", "text=body", "date=info.published", "source=outlet"])
    docs, problems = _read(tmp_path / "m.jsonl", field_map=mapping)
    assert problems == {}
    assert docs["m1"].text == BODY
    assert docs["m1"].given == {"date": "2019-03-02", "source": "Vell Times"}


@pytest.mark.parametrize("pair", ["text", "body=text", "text=", "colour=hue"])
def test_bad_field_mapping_is_a_named_error(pair):
    with pytest.raises(FieldMappingError, match="field_map text=body"):
        parse_field_map([pair])


def test_csv_rows(tmp_path):
    (tmp_path / "t.csv").write_text('id,text,date,speaker\nc1,"' + BODY + '",2021-03-04,Ana Ruiz\nc2,"Fisheries, again.",,\n')
    docs, problems = _read(tmp_path / "t.csv")
    assert problems == {}
    assert docs["c1"].given == {"date": "2021-03-04", "speaker": "Ana Ruiz"}
    assert docs["c2"].text == "Fisheries, again." and docs["c2"].given == {}
    assert docs["c2"].origin.endswith("t.csv:3")


def test_sidecar_overrides_folder_table_and_gives_id(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.txt").write_text("Another statement entirely about the fisheries accord.")
    (tmp_path / "metadata.csv").write_text("file,title,source,date\na.txt,Table title,Table source,2020-01-01\nb.txt,B title,,\n")
    (tmp_path / "a.txt.meta.json").write_text(json.dumps({"id": "custom-a", "title": "Sidecar title", "topic": "water"}))
    docs, problems = _read(tmp_path)
    assert problems == {}
    assert set(docs) == {"custom-a", "b"}  # sidecars and the table are not documents themselves
    assert docs["custom-a"].given == {"title": "Sidecar title", "source": "Table source", "date": "2020-01-01"}
    assert docs["custom-a"].meta == {"topic": "water"}
    assert docs["b"].given == {"title": "B title"}


def test_broken_sidecar_is_a_notice_not_a_failure(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "a.txt.meta.json").write_text("[1, 2")
    docs, problems = _read(tmp_path)
    assert problems == {}
    assert docs["a"].notices and docs["a"].notices[0].startswith("sidecar a.txt.meta.json ignored")


def test_latin1_and_bom_text_are_decoded(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 talks in Gen\xe8ve resumed on Monday.".encode("latin-1"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BODY.encode())
    (tmp_path / "utf16.txt").write_bytes(BODY.encode("utf-16"))
    docs, problems = _read(tmp_path)
    assert problems == {}
    assert docs["latin"].text == "Caf\u00e9 talks in Gen\u00e8ve resumed on Monday."
    assert docs["latin"].notices == ["not valid UTF-8; read as Windows-1252/latin-1"]
    assert docs["bom"].text == BODY and docs["bom"].notices == []
    assert docs["utf16"].text == BODY


def test_decode_refuses_binary():
    with pytest.raises(ValueError, match="binary file"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_every_bad_input_gets_one_problem_and_the_rest_goes_in(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")  # .pdf is read since issue 14; .docx is not
    (tmp_path / "big.txt").write_bytes(b"word " * 230_000)  # about 1.1 MB, over a 1 MB limit
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"id": "ok", "text": BODY + " Again."}) + "\n{not json\n" + json.dumps({"id": "nt", "title": "t"}) + "\n"
        + json.dumps({"id": "blank", "text": "  "}) + "\n[1, 2]\n"
    )
    (tmp_path / "void.jsonl").write_text("\n\n")
    docs, problems = _read(tmp_path, tmp_path / "missing.txt", max_doc_bytes=1024 * 1024)
    assert set(docs) == {"good", "ok"}
    lines = str(tmp_path / "lines.jsonl")
    assert problems == {
        str(tmp_path / "empty.txt"): "empty file",
        str(tmp_path / "image.txt"): "binary file (contains NUL bytes); only text is indexed",
        str(tmp_path / "notes.docx"): "unsupported file type '.docx'; dipsearch reads .txt .md .jsonl .jsonl.gz .csv .html .htm .pdf",
        str(tmp_path / "big.txt"): "1.1 MB is over the 1 MB document limit; split it or raise max_doc_mb",
        str(tmp_path / "dangling.txt"): "cannot read (No such file or directory)",
        f"{lines}:2": "malformed JSON (Expecting property name enclosed in double quotes at column 2); line skipped",
        f"{lines}:3": "no 'text' field; map the text with field_map text=NAME",
        f"{lines}:4": "field 'text' is empty or not text",
        f"{lines}:5": "expected a JSON object, found list",
        str(tmp_path / "void.jsonl"): "empty file",
        str(tmp_path / "missing.txt"): "no such file or folder",
    }


def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(BODY)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod 000 does not block reading (the dangling-symlink case covers this)")
        docs, problems = _read(path)
        assert docs == {} and problems == {str(path): "cannot read (Permission denied)"}
    finally:
        path.chmod(0o644)


def test_truncated_gzip_keeps_the_lines_before(tmp_path):
    data = gzip.compress("".join(json.dumps({"id": f"d{i}", "text": f"Statement number {i} on the fisheries accord."}) + "\n" for i in range(200)).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = list(read_inputs([tmp_path / "cut.jsonl.gz"]))
    assert isinstance(items[0], RawDocument) and items[0].doc_id == "d0"
    assert isinstance(items[-1], InputProblem) and "file is damaged or truncated" in items[-1].reason
    assert all(isinstance(i, RawDocument) for i in items[:-1])


def test_csv_without_text_column_is_one_problem_for_the_file(tmp_path):
    (tmp_path / "t.csv").write_text("id,body\n1,First statement here.\n2,Second statement here.\n")
    docs, problems = _read(tmp_path / "t.csv")
    assert docs == {}
    assert problems == {str(tmp_path / "t.csv"): "no 'text' column (columns: id, body); map the text with field_map text=NAME"}
    docs, problems = _read(tmp_path / "t.csv", field_map={"text": "body"})
    assert sorted(docs) == ["1", "2"] and problems == {}


def test_an_index_folder_is_never_read_as_documents(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    index = tmp_path / "dipsearch-index"
    index.mkdir()
    for name in ("dipsearch.sqlite", "dipsearch.sqlite-wal", "manifest.json", "vectors-3.faiss"):
        (index / name).write_text("x")
    docs, problems = _read(tmp_path)
    assert list(docs) == ["a"] and problems == {}
    docs, problems = _read(index)
    assert docs == {} and problems == {str(index): "is a dipsearch index folder, not documents; give the folder of your documents"}


def test_the_reader_registry_names_every_format_once(tmp_path):
    from corpus.readers import READERS, formats, read_inputs

    assert formats() == ".txt .md .jsonl .jsonl.gz .csv .html .htm .pdf" == " ".join(READERS)
    (tmp_path / "a.JSONL.GZ").write_bytes(__import__("gzip").compress(b'{"id": "g1", "text": "Grain talks resume."}\n'))
    (tmp_path / "b.gz").write_bytes(b"x")
    items = list(read_inputs([tmp_path]))
    assert [getattr(i, "doc_id", None) for i in items] == ["g1", None]
    assert items[1].reason == f"unsupported file type '.gz'; dipsearch reads {formats()}"


def test_ingest_help_lists_the_registered_formats():
    from typer.testing import CliRunner

    from corpus.readers import formats
    from search.cli import app

    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and f"({formats()})" in " ".join(result.output.split())
