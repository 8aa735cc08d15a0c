"""Named evaluation errors; each message says what to do next."""
from corpus.errors import InvalidInput, NotFound


class EvalSetError(InvalidInput):
    """An evaluation set is missing, already exists, or cannot do what was asked."""


class EvalSetNotFound(NotFound, EvalSetError):
    def __init__(self, name: str, known: list[str]):
        listing = f"; sets in this index: {', '.join(known)}" if known else "; this index has none yet"
        super().__init__(
            f"no evaluation set named {name!r}{listing}. Create one with `dipsearch evalset pool QUERIES --name {name}` "
            f"or `dipsearch evalset from-qa --name {name}`"
        )


class JudgmentFileError(EvalSetError):
    """A judgments or run file is malformed; the message names the file and line."""
