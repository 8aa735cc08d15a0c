"""Named exceptions shared by every layer. Each message says what to do next.

Every error belongs to one category, which carries what a front end needs: the HTTP status and the
exit status. Messages about an option name the library's **field** (`since`, `k`, `per_doc`), never a
command-line flag: a message built with `fields=` keeps a template, and each front end words it with
its own names for the fields (`worded`): the CLI with its flags (`--since`), the web with its form's
labels (*From*). `str(error)` names the fields themselves.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping


class DipsearchError(Exception):
    """Base class: anything the front ends turn into one clear message."""

    status = 400  # HTTP status of a response carrying this error
    exit_code = 1  # exit status of a command ending with it

    def __init__(self, message: str = "", *, fields: Iterable[str] = (), **values):
        """`message` is plain text, or with `fields` a template: `{since}` stands for the field's name in
        the front end's words, and `values` fill the other placeholders (user input never becomes a template)."""
        self.template = message
        self.fields = tuple(fields)
        self.values = values
        super().__init__(self.worded())

    def __reduce__(self):
        """Pickled (to and from Ray's workers, or any other process) with its template, fields and values, whatever
        its subclass's constructor takes: a front end words an error from a worker as it words its own."""
        return _rebuild, (type(self), self.args, self.__dict__)

    @property
    def field(self) -> str | None:
        """The (first) field the message is about, if any."""
        return self.fields[0] if self.fields else None

    def hints(self) -> Mapping[str, str]:
        """Fields that stand for a whole hint (where to list ids, how to make a set) and the words each takes unless
        a front end's mapping names it (the web: its pages); the CLI's own words. None for most errors."""
        return {}

    def worded(self, names: Mapping[str, str] | Callable[[str], str] | None = None) -> str:
        """The message with each field called by `names` (a mapping or a function; unnamed fields keep their own
        name, unnamed hints their own words)."""
        if not self.fields and not self.values:
            return self.template
        hints, given = self.hints(), names if isinstance(names, Mapping) else {}

        def name_of(f: str) -> str:
            if f in hints and f not in given:
                return hints[f]
            return names(f) if callable(names) else given.get(f, f)

        return self.template.format_map({**self.values, **{f: name_of(f) for f in self.fields}})


def _rebuild(cls: type, args: tuple, state: dict) -> DipsearchError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class NotFound(DipsearchError):
    """What was asked for (an index, a document, a passage, an evaluation set) does not exist."""

    status = 404


class InvalidInput(DipsearchError):
    """The input or one of its options is not usable."""

    status = 400


class Conflict(DipsearchError):
    """The request contradicts the index's state (another model's vectors, a name already taken)."""

    status = 409


class Unavailable(DipsearchError):
    """Something needed is missing or broken here (a model that will not load, a damaged index, an optional package)."""

    status = 503


class InputProblem(InvalidInput):
    """One input (a file, or a line of a file) could not be read; the rest of the batch goes on.

    `reason` is plain text, or with `fields` a template like DipsearchError's ("raise {max_doc_mb}"): `reason`
    names the fields themselves, `worded_reason(names)` in a front end's words."""

    def __init__(self, origin: str, reason: str, *, fields: Iterable[str] = (), **values):
        self.origin = origin
        self._reason = DipsearchError(reason, fields=fields, **values) if fields else None
        self.reason = self._reason.worded() if self._reason else reason
        if fields:
            super().__init__("{origin}: " + reason, fields=fields, origin=origin, **values)
        else:
            super().__init__(f"{origin}: {reason}")

    def worded_reason(self, names: Mapping[str, str] | Callable[[str], str] | None = None) -> str:
        """The reason with each field called by `names`, as `worded` does for the whole message."""
        return self._reason.worded(names) if self._reason else self.reason


class WordedText(str):
    """A note (not an error) whose text names fields: as a str it is the library's wording (the fields' own
    names); `worded(names)` words it as a front end does an error's message."""

    def __new__(cls, template: str, *, fields: Iterable[str] = (), **values):
        wording = DipsearchError(template, fields=fields, **values)
        text = super().__new__(cls, wording.worded())
        text._wording = wording
        return text

    def worded(self, names: Mapping[str, str] | Callable[[str], str] | None = None) -> str:
        return self._wording.worded(names)


class FieldMappingError(InvalidInput):
    """A field mapping (field_map) is not of the form NAME=COLUMN."""


class FieldError(InvalidInput):
    """A value given for a named field (e.g. max_doc_mb) is not usable: "max_doc_mb nan: the limit must be ...".
    Front ends word the field with their own name for it (the CLI: its flag)."""

    def __init__(self, field: str, value, problem: str):
        self.value, self.problem = value, problem
        super().__init__("{%s} {value}: {problem}" % field, fields=(field,), value=value, problem=problem)
