"""Named search errors; each message says what to do next."""
from corpus.errors import DipsearchError


class InvalidQuery(DipsearchError):
    """The query or one of its options is not usable."""
