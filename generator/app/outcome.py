"""What a command says when it is done, and the one refusal every command may end with.

The commands' library functions return an Outcome (the text for the console and the exit status) and raise Refused
for a problem the user can fix; generator.cli prints the one and turns the other into its error line.
"""

from __future__ import annotations

from dataclasses import dataclass


class Refused(Exception):
    """The command stopped without doing its job: one Chinese sentence saying why and what to do (exit status 1)."""


@dataclass(frozen=True)
class Outcome:
    """What a finished command prints: text on stdout, then a note on stderr; and the exit status."""

    text: str
    note: str | None = None
    code: int = 0
