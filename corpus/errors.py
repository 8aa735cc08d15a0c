"""Named exceptions shared by every layer. Each message says what to do next."""


class DipsearchError(Exception):
    """Base class: anything the front ends turn into one clear message."""


class InputProblem(DipsearchError):
    """One input (a file, or a line of a file) could not be read; the rest of the batch goes on."""

    def __init__(self, origin: str, reason: str):
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {reason}")


class FieldMappingError(DipsearchError):
    """A --field option is not of the form NAME=COLUMN."""


class FieldError(DipsearchError):
    """A value given for a named field (e.g. max_doc_mb) is not usable. Front ends word it with their own
    name for the field (`worded('--max-doc-mb')`); the plain message names the field."""

    def __init__(self, field: str, value, problem: str):
        self.field, self.value, self.problem = field, value, problem
        super().__init__(self.worded(field))

    def worded(self, name: str) -> str:
        return f"{name} {self.value}: {self.problem}"
