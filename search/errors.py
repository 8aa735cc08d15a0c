"""Named search errors; each message says what to do next."""
from corpus.errors import InvalidInput


class InvalidQuery(InvalidInput):
    """The query or one of its options is not usable."""
