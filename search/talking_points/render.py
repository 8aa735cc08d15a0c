"""Terminal views of talking points and similar passages."""
from __future__ import annotations

from rich.console import Console
from rich.text import Text

from search.render import highlighted, passage_header, passage_meta
from search.wording import plural


def print_clusters(console: Console, clusters, members_shown: int = 5, filtered: bool = False) -> None:
    if not clusters:
        console.print("No talking points found.")
        if filtered:
            console.print("Filters or --query are on; try widening them, or lower --min-docs.")
        return
    for c in clusters:
        head = Text()
        head.append(f"{c.rank:>2}. ", style="bold")
        head.append(c.representative, style="bold cyan")
        console.print(head, highlight=False)
        span = f"{c.first_seen} \u2192 {c.last_seen}" if c.first_seen else "dates unknown"
        console.print(Text(f"    {plural(c.n_documents, 'document')} \u00b7 {plural(c.n_sources, 'source')} \u00b7 {plural(c.n_wordings, 'wording')} \u00b7 {span} \u00b7 #{c.cluster_id}", style="magenta"), highlight=False)
        seen_docs = []
        for m in c.members:
            if m.doc_id in seen_docs:
                continue
            seen_docs.append(m.doc_id)
            if len(seen_docs) > members_shown:
                break
            line = Text("      ")
            line.append(m.date or "undated", style="magenta" if m.date else "dim")
            line.append(f" {m.source or 'source unknown'}", style="green")
            if m.speaker:
                line.append(f" \u00b7 {m.speaker}")
            line.append(f" \u00b7 {m.doc_id} #{m.passage_id}: ", style="dim")
            line.append(m.sentence)
            console.print(line, highlight=False)
        rest = c.n_documents - min(members_shown, c.n_documents)
        if rest > 0:
            console.print(Text(f"      \u2026 and {rest} more {'document' if rest == 1 else 'documents'} (--json or --csv for all)", style="dim"), highlight=False)
        console.print()


def print_similar(console: Console, hits) -> None:
    if not hits:
        console.print("No similar passages.")
        return
    for h in hits:
        tag = f"cosine {h.cosine:.3f} \u00b7 words shared {h.word_overlap:.0%} \u00b7 5-grams shared {h.ngram_containment:.0%}"
        console.print(passage_header(h.rank, h.title, h.doc_id, tag), highlight=False)
        status = "given" if h.date else "unknown"
        console.print(passage_meta(h.source, h.date, status, h.speaker, h.doc_id, h.passage_id), highlight=False)
        body = highlighted(h.text, h.highlights)
        body.pad_left(4)
        console.print(body, highlight=False)
        console.print()
