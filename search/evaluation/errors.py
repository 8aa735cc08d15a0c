"""Named evaluation errors; each message says what to do next."""
from corpus.errors import InvalidInput, NotFound


class EvalSetError(InvalidInput):
    """An evaluation set is missing, already exists, or cannot do what was asked."""


class EvalSetNotFound(NotFound, EvalSetError):
    def __init__(self, name: str, known: list[str]):
        listing = f"; sets in this index: {', '.join(known)}" if known else "; this index has none yet"
        self.making = (f"Create one with `dipsearch evalset pool QUERIES --name {name}` "
                       f"or `dipsearch evalset from-qa --name {name}`")
        super().__init__("no evaluation set named {name}{listing}. {set_making}", fields=("set_making",), name=repr(name),
                         listing=listing)

    def hints(self):
        """`set_making` is said in the CLI's words unless a front end's names give it (the web: its Judge page)."""
        return {"set_making": self.making}


class JudgmentFileError(EvalSetError):
    """A judgments or run file is malformed; the message names the file and line."""
