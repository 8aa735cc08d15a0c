"""Template environment and the small pure helpers the templates use.

Document text is untrusted. Autoescape is on for every template and nothing here marks text safe:
highlighting cuts the text into (segment, marked) pairs and the template escapes each segment,
wrapping marked ones in <mark>.
"""
from __future__ import annotations

from search.wording import plural

from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

from index.passage_view import date_label

HERE = Path(__file__).resolve().parent


def segments(text: str, spans) -> list[tuple[str, bool]]:
    """Cut `text` at the [start, end) `spans` into (piece, is_highlight) pairs, in order."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def doc_path(doc_id: str) -> str:
    """The document page's path for any id: every character but letters, digits and -._~ percent-encoded, so
    '/', '?', '#' stay in the id. '.' and '..' would be taken as path steps by browsers, so they go in ?id=."""
    if doc_id in (".", ".."):
        return "/doc/?" + urlencode({"id": doc_id})
    return "/doc/" + quote(doc_id, safe="")


def query_url(path: str, params: dict, **changes) -> str:
    """`path` with `params` (lists repeat, empty values dropped) updated by `changes`."""
    merged = {**params, **changes}
    pairs = []
    path, _, fixed = path.partition("?")  # a path may carry its own query (doc_path of '..')
    if fixed:
        pairs.extend(parse_qsl(fixed, keep_blank_values=True))
    for key, value in merged.items():
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if v not in (None, "", False):
                pairs.append((key, "1" if v is True else str(v)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def timeline_points(dates, monthly_up_to: int = 36) -> list[tuple[str, int]]:
    """Uses over time from ISO dates (None skipped): monthly bins for spans up to `monthly_up_to` months,
    else yearly; empty bins between the first and last use are kept (as 0) so gaps show."""
    known = sorted(d for d in dates if d)
    if not known:
        return []
    first, last = known[0] + "-01"[: max(0, 7 - len(known[0]))], known[-1] + "-12"[: max(0, 7 - len(known[-1]))]  # a year-only date spans its year
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    counts: dict[str, int] = {}
    if months <= monthly_up_to and all(len(d) >= 7 for d in known):  # year-only dates (issue 14): yearly bins
        y, m = int(first[:4]), int(first[5:7])
        for _ in range(months):
            counts[f"{y:04d}-{m:02d}"] = 0
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        for d in known:
            counts[d[:7]] += 1
    else:
        for y in range(int(first[:4]), int(last[:4]) + 1):
            counts[f"{y:04d}"] = 0
        for d in known:
            counts[d[:4]] += 1
    return list(counts.items())


def timeline(points: list[tuple[str, int]], width: int = 820, height: int = 76) -> dict:
    """Geometry of a small bar chart of uses over time: [(label, count)] in time order -> bars, axis labels,
    and a count over each bar when there are few enough bars to read them."""
    if not points:
        return {"width": width, "height": height, "bars": [], "labels": [], "base": height - 18, "max": 0}
    top, base, head = max(c for _, c in points) or 1, height - 18, 14
    step = width / len(points)
    bar_w = max(1.0, round(min(step * 0.8, 36), 1))
    show_counts = len(points) <= 40
    bars = []
    for i, (label, count) in enumerate(points):
        h = round((base - head) * count / top, 1)
        center = round(i * step + step / 2, 1)
        bars.append({"x": round(center - bar_w / 2, 1), "y": round(base - h, 1), "w": bar_w, "h": h, "cx": center,
                     "label": label, "count": count, "show_count": show_counts and count > 0})
    every = max(1, -(-len(points) // 8))
    labels = [{"x": b["cx"], "text": b["label"], "anchor": "start" if b["cx"] < 30 else "end" if b["cx"] > width - 30 else "middle",
               } for i, b in enumerate(bars) if i % every == 0]
    for label in labels:  # keep edge labels inside the chart
        label["x"] = 0 if label["anchor"] == "start" else width if label["anchor"] == "end" else label["x"]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "base": base, "max": top}


def form_mode(request, form: dict) -> str:
    """The mode the search form shows: the one asked for, else the default, or lexical on a server without a model."""
    return form.get("mode") or default_mode_of(request.app.state.index)


def default_mode_of(index) -> str:
    """The search mode a page uses when none is asked for: the default, or lexical where the server has no model."""
    from search.retrieval.modes import DEFAULT_MODE

    return DEFAULT_MODE if getattr(index, "has_model", True) else "lexical"


def templates():
    from fastapi.templating import Jinja2Templates
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # noqa: F401

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    from search.retrieval.modes import DEFAULT_MODE, MODES

    env.globals.update(segments=segments, date_label=date_label, query_url=query_url, doc_path=doc_path, modes=MODES,
                       default_mode=DEFAULT_MODE, plural=plural, form_mode=form_mode)
    return Jinja2Templates(env=env)
