"""Reading one key at a time: raw single keys on a terminal, else one non-blank character at a time from the
stream (so scripted input like "2\n1\nu\nq\n" drives the same loop)."""
from __future__ import annotations

import sys


def key_reader(stream=None):
    stream = stream or sys.stdin
    if _is_tty(stream):
        return lambda: _raw_key(stream)
    return lambda: _next_char(stream)


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _next_char(stream) -> str:
    while True:
        ch = stream.read(1)
        if not ch:
            return ""
        if not ch.isspace():
            return ch


def _raw_key(stream) -> str:
    import termios
    import tty

    fd = stream.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        return stream.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
