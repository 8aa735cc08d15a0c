"""A folder that cannot be listed is reported as skipped (exit 3), never passed over in silence.

Root can list a chmod 000 folder, so the real case runs the CLI as the unprivileged user `nobody` through
`setpriv` when the tests run as root (and in-process when they do not); the table in
test_bad_input_table.py covers the same path everywhere by making os.scandir refuse the folder."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD = "The river treaty binds Arden and Vell to share the water of the northern river."
CLI = ("import sys; sys.path.insert(0, sys.argv[1]); from tests.fakes import FakeEmbedder; from search.cli import app; "
       "from search.cli.app import Runtime; e = FakeEmbedder(); "
       "app(args=sys.argv[2:], obj=Runtime(load_embedder=lambda model=None: e), prog_name='dipsearch')")


def test_unreadable_folder_as_an_unprivileged_user():
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: chmod 000 cannot be tested for real (the table's injected case covers it)")
    work = Path(tempfile.mkdtemp(prefix="dipsearch-unreadable-", dir="/tmp"))
    try:
        work.chmod(0o777)
        docs = work / "docs"
        (docs / "locked").mkdir(parents=True)
        (docs / "good.txt").write_text(GOOD)
        (docs / "locked" / "inside.txt").write_text(GOOD.replace("river", "lake"))
        for path in (docs, docs / "good.txt", docs / "locked" / "inside.txt"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (docs / "locked").chmod(0)
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HOME": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
        run = subprocess.run([*prefix, sys.executable, "-c", CLI, str(ROOT), "ingest", str(docs), "--index", str(work / "idx")],
                             capture_output=True, text=True, timeout=120, env=env, cwd=work)
        assert "Traceback" not in run.stderr, run.stderr
        assert run.returncode == 3, (run.stdout, run.stderr)
        assert f"skipped {docs / 'locked'}: cannot read folder (Permission denied); the files in it were skipped" in run.stderr.splitlines()
        assert run.stdout.startswith("1 added, 0 changed, 0 metadata-only, 0 unchanged, 0 duplicates stored once, 1 skipped;")
    finally:
        (work / "docs" / "locked").chmod(0o755)
        shutil.rmtree(work, ignore_errors=True)


def test_walker_reports_every_unlistable_folder_in_order(tmp_path, monkeypatch):
    from corpus.errors import InputProblem
    from corpus.readers import iter_files

    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "doc.txt").write_text(GOOD)
    real = os.scandir
    refused = {tmp_path / "a", tmp_path / "c"}

    def scandir(path="."):
        if Path(path) in refused:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = [(i.origin, i.reason) if isinstance(i, InputProblem) else str(i[0].relative_to(tmp_path)) for i in iter_files([tmp_path])]
    reason = "cannot read folder (Permission denied); the files in it were skipped"
    assert items == [(str(tmp_path / "a"), reason), "b/doc.txt", (str(tmp_path / "c"), reason)]
