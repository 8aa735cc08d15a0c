"""Evaluation sets: `evalset pool|judge|import|from-qa|from-parallel|export|list|show|delete` and `eval`. Each command parses,
makes one library call (search.evaluation), renders."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from search.cli.app import DEFAULT_INDEX, ForceOpt, IndexOpt, JsonOpt, ModelOpt, app, edge, open_index, output_path, print_json, skipped_line
from search.cli.progress import progress_bar
from search.retrieval.modes import evaluation_order
from search.wording import plural

evalset_app = typer.Typer(help="Build retrieval evaluation sets: pool candidates, judge them, import, export, build from Q&A transcripts.",
                          epilog="Examples:  dipsearch evalset pool questions.txt --name ukraine -k 20   ·   dipsearch evalset judge ukraine   ·   "
                                 "dipsearch evalset import ukraine qrels.txt   ·   dipsearch evalset export ukraine --format trec   ·   "
                                 "dipsearch evalset list",
                          no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(evalset_app, name="evalset")
NameArg = Annotated[str, typer.Argument(help="The evaluation set's name.")]


def _modes(text: str) -> list[str]:
    return [m.strip() for m in text.split(",") if m.strip()]


@evalset_app.command("pool", epilog="Examples:  dipsearch evalset pool questions.txt --name ukraine -k 20   ·   dipsearch evalset pool q.jsonl --name s1 --modes lexical --json")
@edge
def pool_cmd(
    ctx: typer.Context,
    queries_file: Annotated[Path, typer.Argument(help="Queries: one per line, or JSONL with id, query.")],
    name: Annotated[str, typer.Option("--name", help="Set name (created, or extended if it exists: judgments are kept).")],
    index: IndexOpt = DEFAULT_INDEX,
    depth: Annotated[int, typer.Option("-k", "--depth", help="Pool the top K of each mode.")] = 10,
    modes: Annotated[str, typer.Option("--modes", help="Modes to pool, comma-separated.")] = ",".join(evaluation_order()),
    per_doc: Annotated[Optional[int], typer.Option("--per-doc", help="At most N passages per document in each mode's top K (default: no cap).")] = None,
    model: ModelOpt = None,
    as_json: JsonOpt = False,
):
    """Pool candidate passages for each query: the top K of every search mode, deduplicated, stored in the index."""
    from search.batch import read_queries

    queries = read_queries(queries_file)
    idx = open_index(ctx, index, model)
    with progress_bar(quiet=as_json) as bar:
        task = bar.add_task("queries pooled", total=len(queries))
        report = idx.evalsets.pool(name, queries, depth=depth, modes=_modes(modes), per_doc=per_doc,
                                   on_query=lambda done, total: bar.update(task, completed=done))
    if as_json:
        print_json(report.as_dict())
    else:
        typer.echo(f"set {report.name}: {report.queries_added} queries added ({report.queries_total} in all), {report.candidates_added} new candidates "
                   f"({report.candidates_total} in all) from the top {report.depth} of {', '.join(report.by_mode)}. "
                   f"Judge them with: dipsearch evalset judge {report.name}")


@evalset_app.command("judge", epilog="Example:  dipsearch evalset judge ukraine   (keys: 0 1 2 grade, s skip, u undo, q quit; run again to resume)")
@edge
def judge_cmd(
    ctx: typer.Context,
    name: NameArg,
    index: IndexOpt = DEFAULT_INDEX,
    revisit_skipped: Annotated[bool, typer.Option("--revisit-skipped", help="Bring back the candidates skipped before.")] = False,
    as_json: JsonOpt = False,
):
    """Judge the pool in the terminal, one candidate at a time.

    Keys: 0 not relevant, 1 partly, 2 relevant, s skip, u undo, q quit. Every key is saved at once; run
    again to resume where you left off.
    """
    from search.cli.evalset_view import show_candidate
    from search.cli.keys import key_reader

    idx = open_index(ctx, index)
    console = Console(highlight=False, stderr=as_json)
    summary = idx.evalsets.session(name, key_reader(sys.stdin), lambda cand, message: show_candidate(console, cand, message),
                                   revisit_skipped=revisit_skipped)
    if as_json:
        print_json({"name": name, **summary.as_dict()})
    else:
        state = "all candidates judged" if summary.finished else f"{summary.remaining} left"
        more = f"; {summary.skipped_total} skipped (see them again with --revisit-skipped)" if summary.skipped_total else ""
        typer.echo(f"{summary.judged} judged, {summary.skipped} skipped, {summary.undone} undone this session; {state}{more}.")


@evalset_app.command("import", epilog="Examples:  dipsearch evalset import ukraine qrels.txt   ·   dipsearch evalset import s1 judgments.csv --queries q.jsonl --json")
@edge
def import_cmd(
    ctx: typer.Context,
    name: NameArg,
    file: Annotated[Path, typer.Argument(help="Judgments: TREC qrels (qid 0 docid rel), JSONL or CSV/TSV with query_id, doc_id, relevance (and optional query).")],
    index: IndexOpt = DEFAULT_INDEX,
    fmt: Annotated[Optional[str], typer.Option("--format", help="trec, jsonl, csv or tsv (default: from the file name; else trec).")] = None,
    queries: Annotated[Optional[Path], typer.Option("--queries", help="Query texts for ids the set does not have yet (one per line, or JSONL id, query).")] = None,
    skip_unknown: Annotated[bool, typer.Option("--skip-unknown", help="Skip lines naming passages not in this index instead of refusing the file.")] = False,
    as_json: JsonOpt = False,
):
    """Import judgments made elsewhere. Passage ids: doc_id#ordinal, doc_id:start-end, or a passage id."""
    from search.batch import read_queries

    texts = read_queries(queries) if queries else None
    report = open_index(ctx, index).evalsets.import_judgments(name, file, fmt, texts, skip_unknown)
    if as_json:
        print_json(report.as_dict())
    else:
        skipped = f", {plural(len(report.unknown_passages), 'line')} skipped (passage not in the index)" if report.unknown_passages else ""
        typer.echo(f"set {report.name}: {report.judgments_added} judgments added, {report.judgments_replaced} replaced, "
                   f"{report.queries_added} queries added{skipped}.")


@evalset_app.command("from-qa", epilog="Examples:  dipsearch evalset from-qa --name mfa-qa --index mfa   ·   dipsearch evalset from-qa --name small --sample 300 --seed 1 --json")
@edge
def from_qa_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Name of the new set.")],
    index: IndexOpt = DEFAULT_INDEX,
    spokesperson: Annotated[list[str], typer.Option("--spokesperson", help="A name that labels answers (the index's document speakers always do); repeatable.")] = [],
    source: Annotated[Optional[str], typer.Option("--source", help="Only documents whose source contains this.")] = None,
    sample: Annotated[Optional[int], typer.Option("--sample", help="Keep a random sample of this many turns.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of --sample.")] = 0,
    follow_ups: Annotated[bool, typer.Option("--follow-ups/--no-follow-ups", help="Keep follow-up questions (often need the previous turn to be understood).")] = True,
    replace: Annotated[bool, typer.Option("--replace", help="Rebuild the set if it exists.")] = False,
    as_json: JsonOpt = False,
):
    """Build a set from the press-conference transcripts in the index.

    Each journalist's question is a query; the passages of the spokesperson's answer are relevant (2, or 1
    when the passage is mostly other text); the question's own passages are excluded from every run. Turns
    are `Q:`/`A:` paragraphs, or an outlet's name then the spokesperson's. Prints how many turns were paired
    and how many dropped as unclear, by reason.
    """
    report = open_index(ctx, index).evalsets.from_qa(name, spokesperson, source, sample, seed, follow_ups, replace)
    if as_json:
        print_json(report.as_dict())
        return
    typer.echo(f"{plural(report.documents, 'document')} read, {report.documents_with_turns} with question/answer turns; "
               f"{plural(report.turns_paired, 'turn')} paired, {report.dropped_total} dropped as unclear:")
    for reason, n in report.dropped.items():
        typer.echo(f"  {n:>6}  {reason}")
    sampled = f" (a sample of {report.sampled_from})" if report.sampled_from else ""
    typer.echo(f"set {report.name}: {report.queries} queries{sampled} ({report.follow_ups} follow-ups), {report.qrels} judgments "
               f"({report.relevant} relevant, {report.partly} partly), {report.excluded} question passages excluded from runs.")


@evalset_app.command("from-parallel", epilog="Examples:  dipsearch evalset from-parallel zh_transcripts.jsonl.gz --name zh-en --index en   ·   dipsearch evalset from-parallel --query-lang zh --name zh-en --index both")
@edge
def from_parallel_cmd(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Transcripts in the query language (files or folders), if the index does not hold them.")] = [],
    name: Annotated[str, typer.Option("--name", help="Name of the new set.")] = "",
    index: IndexOpt = DEFAULT_INDEX,
    query_lang: Annotated[Optional[str], typer.Option("--query-lang", help="Without PATHS: take the questions from the index's documents in this language (e.g. zh).")] = None,
    field: Annotated[list[str], typer.Option("--field", help="Map a record field of PATHS: FIELD=NAME.")] = [],
    spokesperson: Annotated[list[str], typer.Option("--spokesperson", help="A name that labels answers; repeatable.")] = [],
    any_source: Annotated[bool, typer.Option("--any-source", help="Match transcripts by date alone (default: same date and same source or web domain).")] = False,
    sample: Annotated[Optional[int], typer.Option("--sample", help="Keep a random sample of this many questions.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of --sample.")] = 0,
    replace: Annotated[bool, typer.Option("--replace", help="Rebuild the set if it exists.")] = False,
    as_json: JsonOpt = False,
):
    """Build a cross-lingual set from parallel transcripts.

    The questions of one language's transcripts are the queries; the answers in the index's transcript of the
    same date and source in the other language are relevant: the translated turn (2) where both transcripts
    have the same number of turns, else every answer of that transcript (1, "not aligned"). The questions of the
    searched transcripts are kept out of every run.
    """
    from corpus.readers import parse_field_map

    if not name:
        raise typer.BadParameter("give the new set a name", param_hint="--name")
    err = Console(stderr=True, highlight=False)
    report = open_index(ctx, index).evalsets.from_parallel(
        name, paths, query_lang=query_lang, field_map=parse_field_map(field), spokespeople=spokesperson, any_source=any_source,
        sample=sample, seed=seed, replace=replace, on_problem=lambda p: err.print(skipped_line(p), soft_wrap=True))
    if as_json:
        print_json(report.as_dict())
        return
    typer.echo(f"{report.query_transcripts} query transcripts, {report.matched_transcripts} with a same-date transcript among the "
               f"index's {report.target_transcripts}; questions dropped:")
    for reason, n in report.dropped.items():
        typer.echo(f"  {n:>6}  {reason}")
    sampled = f" (a sample of {report.sampled_from})" if report.sampled_from else ""
    typer.echo(f"set {report.name}: {report.queries} queries{sampled}, {report.aligned} aligned turn by turn, {report.whole_transcript} "
               f"judged against the whole same-date answer set (not aligned); {report.qrels} judgments; "
               f"{report.excluded_passages} question passages kept out of every run.")


@evalset_app.command("export", epilog="Examples:  dipsearch evalset export ukraine --format trec > qrels.txt   ·   dipsearch evalset export mfa-qa --format beir --output beir/mfa-qa")
@edge
def export_cmd(
    ctx: typer.Context,
    name: NameArg,
    fmt: Annotated[str, typer.Option("--format", help="trec (qid 0 doc_id#ordinal rel), jsonl, or beir (a folder).")] = "trec",
    output: Annotated[Optional[Path], typer.Option("--output", help="File (trec, jsonl) or folder (beir); trec and jsonl go to stdout without it.")] = None,
    corpus: Annotated[str, typer.Option("--corpus", help="beir: 'all' passages of the index or only the 'judged' ones.")] = "all",
    force: ForceOpt = False,
    index: IndexOpt = DEFAULT_INDEX,
    as_json: JsonOpt = False,
):
    """Export judgments as TREC qrels, JSONL or a BEIR folder.

    Passages are named by the stable id `doc_id#ordinal` (the document's id, then the passage's position in
    it, from 0), which survives re-ingesting unchanged documents; JSONL also carries char_start/char_end.
    Skipped candidates are not exported.
    """
    from search.evaluation.exporting import BEIR_FILES

    if output is not None:
        output = output_path(output, index, force, "--output", BEIR_FILES if fmt == "beir" else None)
    exported = open_index(ctx, index).evalsets.export(name, fmt, output, corpus)
    if fmt == "beir":
        report = exported
        if as_json:
            print_json(report.as_dict())
        else:
            typer.echo(f"wrote {report.folder}: corpus.jsonl ({plural(report.corpus, 'passage')}), queries.jsonl ({report.queries}), qrels/test.tsv ({report.qrels})")
        return
    lines = exported
    text = "".join(line + "\n" for line in lines)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        if as_json:
            print_json({"output": str(output), "format": fmt, "judgments": len(lines)})
        else:
            typer.echo(f"wrote {len(lines)} judgments to {output}", err=True)


@evalset_app.command("list", epilog="Example:  dipsearch evalset list --json")
@edge
def list_cmd(ctx: typer.Context, index: IndexOpt = DEFAULT_INDEX, as_json: JsonOpt = False):
    """The evaluation sets of an index, with counts."""
    data = open_index(ctx, index).evalsets.list()
    if as_json:
        print_json(data)
        return
    if not data:
        typer.echo("no evaluation sets yet; create one with `dipsearch evalset pool QUERIES --name NAME` or `evalset from-qa --name NAME`")
    for s in data:
        typer.echo(f"{s['name']:<20} {s['kind']:<9} {s['queries']:>6} queries {s['candidates']:>7} candidates {s['judged']:>7} judged "
                   f"({s['relevant']} relevant) {s['unjudged_candidates']:>6} to judge")


@evalset_app.command("delete", epilog="Example:  dipsearch evalset delete old-set")
@edge
def delete_cmd(ctx: typer.Context, name: NameArg, index: IndexOpt = DEFAULT_INDEX, as_json: JsonOpt = False):
    """Delete an evaluation set with its queries, candidates and judgments."""
    open_index(ctx, index).evalsets.delete(name)
    print_json({"deleted": name}) if as_json else typer.echo(f"deleted evaluation set {name}")


@app.command("eval", epilog="Examples:  dipsearch eval mfa-qa --index mfa   ·   dipsearch eval s1 --mode lexical --run other-system.trec --test fisher --json")
@edge
def eval_cmd(
    ctx: typer.Context,
    name: NameArg,
    index: IndexOpt = DEFAULT_INDEX,
    mode: Annotated[list[str], typer.Option("--mode", help=f"Modes to run (repeatable; default {', '.join(evaluation_order())}).")] = [],
    run: Annotated[list[Path], typer.Option("--run", help="Also score this TREC run file (another system or model, ids doc_id#ordinal); repeatable.")] = [],
    k: Annotated[int, typer.Option("-k", help="Passages per query in each run.")] = 100,
    per_doc: Annotated[Optional[int], typer.Option("--per-doc", help="At most N passages per document (default: no cap; search's default is 2).")] = None,
    test: Annotated[str, typer.Option("--test", help="Significance test: student (paired t) or fisher (randomisation).")] = "student",
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level.")] = 0.05,
    answers_only: Annotated[bool, typer.Option("--answers-only", help="Sets from from-qa: keep every journalist's question out of the runs, so only answers compete.")] = False,
    runs_dir: Annotated[Optional[Path], typer.Option("--runs-dir", help="Where to save runs as NAME.MODE.trec (default: INDEX/eval-runs).")] = None,
    model: ModelOpt = None,
    as_json: JsonOpt = False,
):
    """Score the search modes on an evaluation set, with significance tests.

    Runs each mode on every query, scores with ranx (nDCG@10, MRR@10, Recall@10/100, judged@10) and tests
    every difference between runs (paired). Runs are saved in TREC run format.
    """
    from search.cli.evalset_view import print_eval
    from search.evaluation.evaluate import EVAL_MODES

    idx = open_index(ctx, index, model)
    shown = mode or ([] if run else EVAL_MODES)
    with progress_bar(quiet=as_json) as bar:
        task = bar.add_task(escape(f"queries searched ({', '.join(shown)})") if shown else "scoring", total=None)
        report = idx.evalsets.evaluate(name, mode, k=k, per_doc=per_doc, stat_test=test, alpha=alpha, run_files=run, runs_dir=runs_dir,
                                       answers_only=answers_only, on_query=lambda done, total: bar.update(task, completed=done, total=total))
    if as_json:
        print_json(report.as_dict())
    else:
        print_eval(Console(highlight=False), report)
