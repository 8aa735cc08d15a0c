#!/usr/bin/env python
"""Take the screenshots in docs/ with headless Chromium against a served index.

    python docs/screenshots.py --index /tmp/web-mfa [--query "..."] [--out docs]

Serves the index on 127.0.0.1 at a free port (the model loaded once), opens the pages in Debian's
/usr/bin/chromium through Playwright, and writes small PNGs: web-search.png, web-document.png,
and, where those views exist, web-talking-point.png and web-judging.png.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--query", default="unilateral sanctions")
    ap.add_argument("--since", default="")
    ap.add_argument("--tp-query", default="")
    ap.add_argument("--eval-set", default="")
    ap.add_argument("--out", default=str(REPO / "docs"))
    args = ap.parse_args()

    from index.store import IndexStore
    from search.cli.app import Runtime
    from search.web.app import create_app
    from tests.web_server import chromium, serving

    store = IndexStore.open(args.index)
    app = create_app(store, lambda: Runtime().embedder(None, store), preload=True)
    out = Path(args.out)
    with serving(app) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 820})
        params = {"q": args.query, **({"since": args.since} if args.since else {})}
        page.goto(f"{base}/?{urlencode(params)}")
        page.screenshot(path=str(out / "web-search.png"))
        page.locator("a.doc-link").first.click()
        page.wait_for_load_state("load")
        page.screenshot(path=str(out / "web-document.png"))
        if "talking_points" in app.state.features:
            page.goto(f"{base}/talking-points?{urlencode({'q': args.tp_query} if args.tp_query else {})}")
            page.screenshot(path=str(out / "web-talking-point.png"))
        if "evaluation" in app.state.features and args.eval_set:
            page.goto(f"{base}/judge/{args.eval_set}")
            page.screenshot(path=str(out / "web-judging.png"))
    store.close()
    print("wrote", *sorted(p.name for p in out.glob("web-*.png")))


if __name__ == "__main__":
    main()
