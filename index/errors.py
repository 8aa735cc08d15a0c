"""Named index errors; each message says what to do next."""
from corpus.errors import Conflict, InvalidInput, NotFound, Unavailable


class IndexNotFound(NotFound):
    def __init__(self, path):
        super().__init__("no dipsearch index at {path}; create one with `dipsearch ingest PATH --index {path}` or point {index} / "
                         "DIPSEARCH_INDEX at an existing one", fields=("index",), path=path)


class IndexLocationError(InvalidInput):
    """The index folder cannot be created or used (a file is in the way, no permission)."""


class IndexFormatError(Unavailable):
    """The index was written by a newer dipsearch, or its files are damaged."""


class ModelMismatch(Conflict):
    """The index was built with another model than the one asked for."""


class ModelError(Unavailable):
    """The embedding model cannot be loaded or fails its checksum."""


class DocumentNotFound(NotFound):
    """The message ends with where to find the ids, field `listing`: each front end says it its own way."""

    LISTING = "Index.documents() lists them"  # the library's words; the CLI and the web have their own

    def __init__(self, doc_id):
        super().__init__("no document with id {doc_id} in this index; {listing}", fields=("listing",), doc_id=repr(doc_id))

    def hints(self):
        """`listing` is said in these words unless a front end's names give it (the CLI: its command, the web: its page)."""
        return {"listing": self.LISTING}


class IndexBusy(Unavailable):
    """Another process is writing to this index (the writer lock is held)."""

    def __init__(self, holder: dict | None, who: str):
        self.holder = holder
        super().__init__(f"{who} is writing to this index; try again when it has finished")


class IndexDamaged(IndexFormatError):
    """The index's files are damaged; the message says what can be done (repair, or move aside and ingest)."""
