"""Named errors of formulas and trends; messages name fields, each front end words them."""
from corpus.errors import InvalidInput


class FormulasError(InvalidInput):
    """Formulas or a trend cannot be computed or shown as asked."""


class EmptyIndex(FormulasError):
    def __init__(self):
        super().__init__("this index holds no documents yet; ingest some first (e.g. dipsearch ingest statements/)")
