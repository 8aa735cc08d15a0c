"""`invoke`: one dipsearch command in-process through typer's CliRunner, failing the test on an uncaught error or a
traceback in the output (what a user must never see)."""
from __future__ import annotations

from typer.testing import CliRunner


def invoke(runtime, *args, input=None, env=None):
    from search.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args], obj=runtime, input=input, env=env)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result
