"""The one error type users see: what is wrong, where, and how to fix it."""

from __future__ import annotations

from os import PathLike


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
