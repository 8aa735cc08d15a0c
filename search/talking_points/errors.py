"""Named talking-point errors; each message says what to do next."""
from corpus.errors import InvalidInput, NotFound


class TalkingPointsError(InvalidInput):
    """Talking points cannot be computed or shown as asked."""


class PassageNotFound(NotFound):
    def __init__(self, passage_id):
        super().__init__(f"no passage with id {passage_id} in this index; passage ids are printed by "
                         "`dipsearch search` (after '#') and in its --json output (passage_id)")
