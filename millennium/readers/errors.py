"""The one error type readers raise for bad input: where it is and what was expected."""

from pathlib import Path


class InputError(ValueError):
    """Bad input at a place in a file, reported as `file:line:column: message`."""

    def __init__(self, path: Path | str, line: int | None, message: str, column: int | str | None = None):
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        where = str(self.path)
        if line is not None:
            where += f":{line}"
        if column is not None:
            where += f":{column}"
        super().__init__(f"{where}: {message}")
