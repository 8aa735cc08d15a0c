"""Progress bars for long commands: on stderr, only when it is a terminal and the output is not JSON."""
from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from search.cli.app import err_console


def progress_bar(quiet: bool = False) -> Progress:
    """A transient bar on stderr: description, bar, done/total, elapsed, remaining. Hidden when `quiet` (--json)
    or when stderr is not a terminal (logs, pipes, CI)."""
    err = err_console()
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True, disable=quiet or not err.is_terminal)
