"""Named index errors; each message says what to do next."""
from corpus.errors import Conflict, InvalidInput, NotFound, Unavailable


class IndexNotFound(NotFound):
    def __init__(self, path):
        super().__init__(f"no dipsearch index at {path}; create one with `dipsearch ingest PATH --index {path}` or point --index / DIPSEARCH_INDEX at an existing one")


class IndexLocationError(InvalidInput):
    """The index folder cannot be created or used (a file is in the way, no permission)."""


class IndexFormatError(Unavailable):
    """The index was written by a newer dipsearch, or its files are damaged."""


class ModelMismatch(Conflict):
    """The index was built with another model than the one asked for."""


class ModelError(Unavailable):
    """The embedding model cannot be loaded or fails its checksum."""


class DocumentNotFound(NotFound):
    def __init__(self, doc_id):
        super().__init__(f"no document with id {doc_id!r} in this index; list ids with `dipsearch documents` or check --index")
