"""`dipsearch check` and `dipsearch repair`: verify an index, and rebuild what the database can rebuild."""
from __future__ import annotations

import typer

from search.cli.app import EXIT_ERROR, DEFAULT_INDEX, IndexOpt, JsonOpt, NoWaitOpt, app, edge, print_json, say_waiting


def _print_findings(findings) -> None:
    for f in findings:
        typer.echo(f"- {f.part}: {f.problem}\n  what to do: {f.action}")


@app.command(epilog="Examples:  dipsearch check --index mfa   ·   dipsearch check --json")
@edge
def check(index: IndexOpt = DEFAULT_INDEX, as_json: JsonOpt = False):
    """Verify the database, the vector file and the manifest; report each problem with what to do.

    Reads only (works on a read-only index). Exit status: 0 healthy, 1 problems found.
    """
    from search.api import Index

    report = Index.check(index)
    if as_json:
        print_json(report.as_dict())
    elif report.ok:
        typer.echo(f"{index}: ok ({report.passages} passages, generation {report.generation}; database, full-text index, vectors and manifest agree).")
    else:
        typer.echo(f"{index}: {len(report.findings)} problem{'s' if len(report.findings) != 1 else ''}"
                   f"{'; `dipsearch repair` fixes all of them' if report.repairable else ''}:")
        _print_findings(report.findings)
    if not report.ok:
        raise typer.Exit(EXIT_ERROR)


@app.command(epilog="Examples:  dipsearch repair --index mfa")
@edge
def repair(index: IndexOpt = DEFAULT_INDEX, no_wait: NoWaitOpt = False, as_json: JsonOpt = False):
    """Rebuild what can be rebuilt from the database (the authority): its indexes, the full-text
    index, the vector file (from the stored vectors, no model needed) and the manifest.

    Says plainly when the database itself is damaged and nothing can be saved (exit 1).
    """
    from search.api import Index

    report = Index.repair(index, wait_for_writer=not no_wait, on_wait=say_waiting)
    if as_json:
        print_json(report.as_dict())
    else:
        if not report.actions:
            typer.echo(f"{index}: nothing to repair.")
        for action in report.actions:
            typer.echo(f"{index}: {action}.")
        if report.after and not report.after.ok:
            typer.echo("still wrong after repair:")
            _print_findings(report.after.findings)
    if report.after and not report.after.ok:
        raise typer.Exit(EXIT_ERROR)
