"""The one error type users see: what is wrong, where, and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

SHOWN = 5  # how many offending names an error message lists


class InputError(ValueError):
    """Bad input from the user: a file, config value or table that cannot be used as is.

    The message names the file (or config key), the location inside it when known
    (line, column, field, dataset), what is wrong, and the fix.
    """

    def __init__(
        self,
        source: str | PathLike[str],
        problem: str,
        fix: str,
        where: str | None = None,
    ) -> None:
        self.source = str(source)
        self.where = where
        self.problem = problem
        self.fix = fix
        location = f"{self.source} ({where})" if where else self.source
        super().__init__(f"{location}: {problem}. Fix: {fix}")


def few(names: Sequence[str], shown: int = SHOWN) -> str:
    """The first `shown` of `names`, comma-separated, then how many more (for messages)."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
