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
