"""Saved web pages and PDFs written by the tests, with the text each should give (issue 14).

PDFs are made with fpdf2 (a test-only dependency): several pages with a running header, a footer
with page numbers, paragraphs wrapped by the layout, one crossing a page break, and a word
hyphenated across two lines.
"""
from __future__ import annotations

from pathlib import Path

HEADER = "Ministry of Foreign Affairs of Arden - Press Statement"
WRAPPED = [
    ("The Foreign Minister of Arden said on Tuesday that the treaty on the northern river would guarantee fair shares "
     "of water for every farmer along its banks, from the mountain springs to the delta, in dry years as in wet ones."),
    ("Arden and Vell have met eleven times since the spring. Each round has narrowed the gap between the two delegations, "
     "and the ministers now speak of a text that both parliaments could ratify before the end of the year."),
]
# Written line by line: "neighbours" and "well-known" are cut at the end of a line.
HYPHEN_LINES = ["The negotiations with our neigh-", "bours in Vell follow a well-", "known path of patient work by both delegations."]
HYPHEN_TEXT = "The negotiations with our neighbours in Vell follow a well-known path of patient work by both delegations."
ALSO_SPELT = "Osland, a well-known mediator, has offered to host the final round."
STATIONS = ["Alder", "Birchwood", "Cedar Falls", "Dunmore", "Elmstead", "Fernhill", "Glenrock", "Hawthorn", "Ivybridge",
            "Juniper", "Kestrel Point", "Larchmont", "Maplecross", "Northgate", "Oakhaven", "Pinebrook", "Quarry End",
            "Rowan", "Sprucefield", "Thornbury", "Upton", "Vale"]
FILLER = [
    "The water commission of the two states will read the gauge at {s} again in the autumn and publish the figures.",
    "At {s} the river fell by a third last summer, and farmers there asked both governments for a fair rule on shares.",
    "Engineers from Arden and Vell inspected the weir near {s} together, which the ministry welcomes as a sign of trust.",
    "The villages around {s} will be consulted before any new canal is dug, as the draft treaty requires of both sides.",
    "A joint fund will pay for the repair of the old embankments at {s}, which the floods of the last decade weakened.",
]
PDF_TITLE = "Statement on the northern river treaty"


def filler_paragraph(i: int) -> str:
    return FILLER[i % len(FILLER)].format(s=STATIONS[i % len(STATIONS)])


def pdf_paragraphs(filler: int = 30) -> list[str]:
    """The paragraphs of `write_statement_pdf`, in order: what the reader must give back."""
    return [WRAPPED[0], HYPHEN_TEXT, ALSO_SPELT] + [filler_paragraph(i) for i in range(filler)] + [WRAPPED[1]]


def write_statement_pdf(path: Path, filler: int = 30, title: str | None = PDF_TITLE) -> Path:
    from fpdf import FPDF

    class Statement(FPDF):
        def header(self):
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Statement()
    if title:
        pdf.set_title(title)
    pdf.set_author("Press Office")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)

    def paragraph(text):
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)

    paragraph(WRAPPED[0])
    for line in HYPHEN_LINES:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    paragraph(ALSO_SPELT)
    for i in range(filler):
        paragraph(filler_paragraph(i))
    paragraph(WRAPPED[1])
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A page with only a picture (a grey box), as a scan without OCR is: no text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(180, 180, 180)
    pdf.rect(20, 20, 150, 200, style="F")
    pdf.output(str(path))
    return path


def write_encrypted_pdf(path: Path, user_password: str | None = "secret") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 6, "The envoys of Arden and Vell met in secret to discuss the river treaty and its annex.")
    pdf.set_encryption(owner_password="owner", user_password=user_password or "")
    pdf.output(str(path))
    return path


def write_truncated_pdf(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_huge_pdf(path: Path, size: int = 200 * 1024 * 1024) -> Path:
    """A file of `size` bytes that starts like a PDF: sparse, so it costs no disk."""
    with open(path, "wb") as f:
        f.write(b"%PDF-1.7\n")
        f.truncate(size)
    return path


# ------------------------------------------------------------------ web pages

ARTICLE = [
    "The Foreign Minister of Arden, Mira Lund, said on Wednesday that the treaty on the northern river would guarantee fair shares of water for every farmer along its banks.",
    "She told reporters in the capital that the negotiations with Vell had reached their final stage after many months of patient work by both delegations.",
    "\"We will not sign a treaty that leaves the southern valleys dry,\" the minister said, adding that Osland had been invited to observe the final round.",
]
NAV_AND_FOOTER = ("About the Ministry", "Contact us", "Share this", "Facebook", "Great news, finally", "broke every promise",
                  "All rights reserved", "Privacy policy", "Subscribe to our newsletter")


def statement_page(title="Minister Lund on the river treaty", date="2023-04-12", author="Mira Lund",
                   site="Ministry of Foreign Affairs of Arden", url="https://mfa.arden.example/statements/river-treaty",
                   paragraphs=ARTICLE) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{title}",
 "datePublished": "{date}T09:30:00+02:00", "author": {{"@type": "Person", "name": "{author}"}},
 "publisher": {{"@type": "Organization", "name": "{site}"}}}}</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/about">About the Ministry</a></li>
<li><a href="/contact">Contact us</a></li></ul></nav>
<header><div class="logo">{site}</div><form><input name="q"><button>Search</button></form></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By {author}, <time datetime="{date}">{date}</time></p>
{body}
<div class="share">Share this: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
</article>
<section id="comments" class="comments"><h3>2 comments</h3>
<div class="comment"><p>Great news, finally some water for us farmers in the valley of the south!</p></div>
<div class="comment"><p>I do not trust Vell on this at all, they broke every promise before and will again.</p></div></section>
</main>
<aside><p>Subscribe to our newsletter for the latest statements of the ministry.</p></aside>
<footer><p>Copyright 2023 {site}. All rights reserved.</p><p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
</body></html>
"""


def time_only_page(date="2021-06-03") -> str:
    """A page whose only metadata is a <time> element."""
    return (
        "<html><body><article><p>The envoy of Osland met the Vell delegation on Monday to discuss the fisheries accord "
        "in the shared bay and its quotas for the coming season.</p><p>Both sides agreed to meet again in June, the envoy "
        f"said after the talks ended late in the evening.</p><p>Published <time datetime=\"{date}\">3 June</time></p>"
        "</article></body></html>"
    )


NAV_ONLY_PAGE = ("<html><head><title>Statements</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a> "
                 "<a href='/about'>About the Ministry</a></nav><script>var page = 1;</script><footer><a href='/privacy'>Privacy policy</a>"
                 "</footer></body></html>")
