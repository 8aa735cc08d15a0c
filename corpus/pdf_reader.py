"""Reading a PDF file as one document with pypdf (BSD-3-Clause): its text layer, rebuilt as running
text by `corpus.pdf_layout`, and its title from the document information when it looks like one.

Every problem is one `InputProblem` line: over the size limit (refused before parsing), not a PDF,
damaged or truncated, encrypted with a password, or no text layer (a scan).
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.documents import EXTRACTED, RawDocument
from corpus.errors import InputProblem
from corpus.file_input import document_id, gathered_log, read_limited, shown_path
from corpus.pdf_layout import rebuild_text

if TYPE_CHECKING:
    from corpus.read_options import ReadOptions

PDF_SUFFIXES = (".pdf",)
_HEADER_WINDOW = 1024  # "%PDF-" must start within the first KiB, as readers allow
_JUNK_TITLE = re.compile(r"untitled|microsoft\s+word\b.*|.*\.(?:docx?|pdf|rtf|odt|indd|tmp)|document\d*|\W*", re.I)
NO_TEXT = "no text layer (scanned?); run OCR on it first (e.g. ocrmypdf) and ingest the result"


class _PdfProblem(Exception):
    pass


def _pages_and_info(data: bytes) -> tuple[list[list[str]], dict, list[str]]:
    """(lines of each page, document information, notices). Raises _PdfProblem."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    notices: list[str] = []
    messages: list[str] = []
    with gathered_log("pypdf", messages):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise _PdfProblem(f"encrypted PDF that pypdf cannot decrypt here ({exc}); save a decrypted copy and ingest that") from exc
                if not opened:
                    raise _PdfProblem("encrypted PDF: it needs a password to open; save a decrypted copy (e.g. qpdf --decrypt) and ingest that")
                notices.append("encrypted PDF without an open password (owner restrictions only); read")
            pages = [(page.extract_text(extraction_mode="layout") or "").split("\n") for page in reader.pages]
            info = {}
            try:
                meta = reader.metadata or {}
                info = {k: str(meta.get(f"/{k}")) for k in ("Title", "Author", "CreationDate") if meta.get(f"/{k}")}
            except Exception:  # a damaged information dictionary costs only the title
                pass
        except _PdfProblem:
            raise
        except FileNotDecryptedError as exc:
            raise _PdfProblem("encrypted PDF: it needs a password to open; save a decrypted copy and ingest that") from exc
        except (PdfReadError, EOFError) as exc:
            raise _PdfProblem(f"PDF is damaged or truncated ({exc}); nothing read") from exc
        except Exception as exc:  # pypdf meets every kind of broken file; one line, never a traceback
            raise _PdfProblem(f"PDF is damaged and cannot be read ({type(exc).__name__}: {exc})") from exc
    if any("EOF marker" in m or "startxref" in m for m in messages):
        notices.append("PDF was damaged or truncated; the pages pypdf could recover were read")
    return pages, info, notices


def _title(info: dict) -> str | None:
    title = " ".join(info.get("Title", "").split())
    if len(title.split()) < 2 or _JUNK_TITLE.fullmatch(title):
        return None
    return title


def read_pdf(file: Path, root: Path, options: "ReadOptions") -> RawDocument | InputProblem:
    """One document from the text of the PDF `file`, or the problem that stops it."""
    origin = shown_path(file)
    data = read_limited(file, options.max_doc_bytes)
    if isinstance(data, InputProblem):
        return data
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        return InputProblem(origin, "not a PDF (no %PDF- header); skipped")
    try:
        pages, info, notices = _pages_and_info(data)
    except ImportError:
        return InputProblem(origin, "reading .pdf needs pypdf, a dependency of dipsearch; reinstall it (pip install -e .)")
    except _PdfProblem as exc:
        return InputProblem(origin, str(exc))
    text = rebuild_text(pages)
    if not text.strip():
        return InputProblem(origin, NO_TEXT)
    given, provenance, meta = {}, {}, {"format": "pdf", "pages": len(pages)}
    title = _title(info)
    if title:
        given["title"], provenance["title"] = title, EXTRACTED
    for key, name in (("Author", "pdf_author"), ("CreationDate", "pdf_created")):
        if info.get(key):
            meta[name] = info[key]  # who made the file and when: not the speaker nor the date of the statement
    return RawDocument(doc_id=document_id(file, root), text=text, origin=origin, given=given, meta=meta,
                       notices=notices, provenance=provenance)


def pdf_reader(file: Path, root: Path, options: "ReadOptions", folder_cache: dict | None = None) -> Iterator[RawDocument | InputProblem]:
    """`read_pdf` in the shape of the suffix -> reader registry (file, root, options, per-folder cache)."""
    yield read_pdf(file, root, options)
