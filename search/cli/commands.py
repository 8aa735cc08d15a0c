"""Import every command module so its commands register on the app."""
from search.cli import core  # noqa: F401
