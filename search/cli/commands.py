"""Import every command module so its commands register on the app."""
from search.cli import core  # noqa: F401
from search.cli import serve  # noqa: F401
from search.cli import talking  # noqa: F401
from search.cli import attribute, reindex  # noqa: F401
from search.cli import evalset  # noqa: F401
from search.cli import maintenance  # noqa: F401
from search.cli import browse  # noqa: F401
from search.cli import models  # noqa: F401
