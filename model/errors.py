"""Errors a planner sees as one line, never as a traceback."""


def one_line(text: str) -> str:
    """``text`` with line breaks and other unprintable characters (a key typed as \\x1e) escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class InputError(Exception):
    """Bad scenario or data: names the file, the key and what was expected (exit code 2)."""

    def __init__(self, file, key, message):
        self.file, self.key, self.message = str(file), key, message
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(one_line(where + message))


class SolveError(Exception):
    """The solver did not return an optimal solution; the text says what and where (exit code 1)."""


class ResourceError(Exception):
    """The machine cannot do what was asked: a results folder that cannot be written (read-only,
    disk full) or a Dask scheduler that cannot be reached. One line, exit code 1."""

    def __init__(self, where, message):
        super().__init__(one_line(f"{where}: {message}"))
