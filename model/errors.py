"""Errors a planner sees as one line, never as a traceback."""

from contextlib import contextmanager


def one_line(text: str) -> str:
    """``text`` with line breaks and other unprintable characters (a key typed as \\x1e) escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class InputError(Exception):
    """Bad scenario or data: names the file, the key and what was expected (exit code 2)."""

    def __init__(self, file, key, message):
        self.file, self.key, self.message = str(file), key, message
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(one_line(where + message))


class InputErrors(InputError):
    """Every input error found in one pass. A run shows the first and the count, in one line;
    ``validate`` lists them all (:attr:`errors`)."""

    def __init__(self, errors):
        self.errors = [one for e in errors for one in getattr(e, "errors", [e])]
        first, more = self.errors[0], len(self.errors) - 1
        tail = f" (and {more} more: `hexi validate` lists every error)" if more else ""
        super().__init__(first.file, first.key, first.message + tail)


class Collector:
    """Go on checking past an input error, then raise them all together."""

    def __init__(self):
        self.errors = []

    @contextmanager
    def check(self):
        try:
            yield
        except InputError as e:
            self.errors.append(e)

    def raise_any(self):
        if self.errors:
            raise InputErrors(self.errors)


class SolveError(Exception):
    """The solver did not return an optimal solution; the text says what and where (exit code 1)."""


class ResourceError(Exception):
    """The machine cannot do what was asked: a results folder that cannot be written (read-only,
    disk full) or a Dask scheduler that cannot be reached. One line, exit code 1."""

    def __init__(self, where, message):
        super().__init__(one_line(f"{where}: {message}"))
