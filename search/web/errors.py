"""How the web words library errors: the HTTP status from the error's category, and field names as the
user sees them: the JSON API by its parameter names (the library's fields), the pages by the form's labels."""
from __future__ import annotations

from corpus.errors import DipsearchError

# Fields a web user cannot set: the server was started with them, so both the pages and the JSON API name the
# option of `dipsearch serve` that sets them (an ONNX model that cannot run says "use dipsearch serve --backend torch").
SERVER_OPTIONS = {"backend": "dipsearch serve --backend", "model": "dipsearch serve --model", "index": "dipsearch serve --index"}

# The labels of the search and talking-point forms (templates/search.html, talking_points.html).
LABELS = {"q": "Query", "query": "Query", "mode": "Mode", "since": "From", "until": "To", "include_undated": "keep undated",
          "include_imprecise": "keep imprecise dates",
          "k": "Show", "source": "Source", "speaker": "Speaker", "said_by": "Said by", "role": "Role", "literal": "as typed", "fold": "fold repeats",
          "min_docs": "In at least",
          "listing": "the Documents page (/documents) lists them",
          "passage_listing": "search results link to passages by their ids", "set_making": "The Judge page (/judge) lists the sets.",
          **SERVER_OPTIONS}


def status_for(exc: DipsearchError) -> int:
    """NotFound 404, InvalidInput 400, Conflict 409, Unavailable 503 (carried by the error's category)."""
    return getattr(exc, "status", 400)


# The JSON API names fields as its parameters (the library's names); its words for the hint fields:
API_HINTS = {"listing": "list ids with `dipsearch documents` or on the Documents page (/documents)", "passage_listing": "search results carry them (passage_id)",
             **SERVER_OPTIONS}


def api_message(exc: DipsearchError) -> str:
    return exc.worded(API_HINTS)


def page_message(exc: DipsearchError) -> str:
    return exc.worded(LABELS)
