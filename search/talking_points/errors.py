"""Named talking-point errors; each message says what to do next."""
from corpus.errors import InvalidInput, NotFound


class TalkingPointsError(InvalidInput):
    """Talking points cannot be computed or shown as asked."""


class PassageNotFound(NotFound):
    LISTING = "search results carry them (passage_id)"  # the library's words; the CLI and the web have their own

    def __init__(self, passage_id):
        super().__init__("no passage with id {passage_id} in this index; {passage_listing}", fields=("passage_listing",),
                         passage_id=passage_id)

    def hints(self):
        """`passage_listing` is said in these words unless a front end's names give it (the CLI, the web: its search results)."""
        return {"passage_listing": self.LISTING}
