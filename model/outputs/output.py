"""Results folders: only ever into a folder this tool owns, replaced whole and atomically.

Every folder the tool writes (a run, a sweep, a comparison, a target curve, a report) carries a
stamp file, MARKER. A folder is replaced or written into only if it carries the stamp, is empty
or does not exist; anything else at the path (a user's folder, a file, a folder holding the
working directory) is refused before any work starts, and so is a results name that is not one
plain path component.

A run is written into ``.NAME.tmp-*`` beside its folder and swapped in whole: by an atomic
exchange of the two names where the system has one (Linux renameat2), otherwise by renaming the
old folder to ``.NAME.old-*`` and the new one in. Debris names end in ``-PID@HOST``; a later
write of the same folder restores ``.NAME.old-*`` if a crash left no folder at the name, and
removes the debris of processes that are gone. Swaps beside one folder are serialised by a lock
on the parent folder, held for the renames only.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from ..errors import InputError, ResourceError

MARKER = ".hexi-run"
_STAMP = "hexi-power"
MIN_FREE_BYTES = 1 << 20  # below this a run cannot even write its summary
NAME = re.compile(r"(?!\.)[\w.-]{1,64}")  # \w: letters of any script, so 酒泉_2019 is a name
_DEBRIS = re.compile(r"\.(?P<name>.+)\.(?P<kind>tmp|old)-(?:\w+-)?(?P<pid>\d+)@(?P<host>[^/]+)")


def folder_name(name, file, key) -> str:
    """``name`` if it is one safe path component (it becomes results/<name>/), else InputError."""
    if isinstance(name, str) and NAME.fullmatch(name) and name.strip("."):
        return name
    what = f"{name!r}" if key else f"the file name {name!r} (no name: is set)"
    raise InputError(file, key or "name", f"expected a folder name of letters, digits, _ . - (at most 64, "
                     f"not starting with '.'), got {what}")


def owned(folder: Path) -> bool:
    """Whether ``folder`` carries the stamp this tool writes."""
    stamp = Path(folder) / MARKER
    try:
        return (stamp.is_file() and not stamp.is_symlink()
                and stamp.read_text(encoding="utf-8").startswith(_STAMP))
    except (OSError, UnicodeDecodeError):
        return False


def _stamp(folder: Path, kind: str):
    (folder / MARKER).write_text(f"{_STAMP} {__version__} {kind}: written by this tool, which replaces "
                                 "only folders that carry this file\n", encoding="utf-8")


def check(target) -> Path:
    """Refuse (InputError) a path the tool may not replace; return it."""
    target = Path(target)
    here = Path.cwd().resolve()

    def refuse(why):
        raise InputError(target, None, f"{why}; choose another --out (or a different name)")

    if target.is_symlink():
        refuse("is a symbolic link, not a results folder")
    if here == target.resolve() or here.is_relative_to(target.resolve()):
        refuse(f"holds the working directory, {here}")
    if target.exists() and not target.is_dir():
        refuse("is a file, not a results folder")
    try:
        foreign = target.is_dir() and not owned(target) and any(target.iterdir())
    except OSError as e:
        refuse(f"cannot be read ({e.strerror})")
    if foreign:
        refuse(f"exists and was not written by this tool (it has no {MARKER} stamp; an older version "
               "of the tool wrote none either); nothing was changed")
    return target


def prepare(target, create=False) -> Path:
    """Before a long solve: refuse what may not be replaced (exit 2), recover what a crash left,
    and make sure the folder can be written (ResourceError, exit 1). Writes nothing that stays,
    unless ``create``: then the folders above ``target`` are made."""
    target = Path(target)
    parent = _parent(target, create)
    try:
        if parent == target.absolute().parent:
            with _locked(parent, wait=False) as held:
                if held:  # else another writer is swapping here, and the swap at the end tidies anyway
                    _tidy(parent, target.name)
    except OSError as e:
        raise _cannot_write(target, e) from None
    check(target)
    try:
        probe = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", suffix=f"-{_tag()}", dir=parent))
        (probe / MARKER).write_bytes(b"")
        shutil.rmtree(probe)
        free = shutil.disk_usage(parent).free
    except OSError as e:
        raise _cannot_write(target, e) from None
    if free < MIN_FREE_BYTES:
        raise _cannot_write(target, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    return target


def claim(folder, kind: str) -> Path:
    """A folder the tool keeps and adds to (a sweep, a comparison): checked, created, stamped,
    and cleared of what dead processes left in it."""
    folder = prepare(folder, create=True)
    try:
        folder.mkdir(exist_ok=True)
        if not owned(folder):
            _stamp(folder, kind)
    except OSError as e:
        raise _cannot_write(folder, e) from None
    return folder


def clean(folder):
    """Remove what dead processes left in ``folder`` (``.*.tmp-*`` files and folders)."""
    folder = Path(folder)
    try:
        with _locked(folder):
            _tidy(folder, None)
    except OSError as e:
        raise _cannot_write(folder, e) from None


@contextmanager
def atomic_dir(target, kind="run"):
    """Yield a temporary folder beside ``target``; on success it replaces ``target`` whole."""
    target = prepare(target, create=True)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", suffix=f"-{_tag()}", dir=target.parent))
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; results are for sharing
        _stamp(tmp, kind)
    except OSError as e:
        raise _cannot_write(target, e) from None
    try:
        yield tmp
        with _locked(target.parent):
            _tidy(target.parent, target.name)
            check(target)  # again: something may have appeared at the name during the solve
            old = _swap(tmp, target)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _cannot_write(target, e) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_file(path, mode="w", **kwargs):
    """Yield a handle to a temporary file beside ``path``; on success it replaces ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", suffix=f"-{_tag()}", dir=path.parent)
    os.close(fd)
    try:
        with open(tmp, mode, **kwargs) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------ the swap and its debris
def _swap(tmp: Path, target: Path) -> Path | None:
    """Put ``tmp`` at ``target``; return where the old folder now is (to remove), if any."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return None
    if _exchange(tmp, target):
        return tmp
    old = target.with_name(f".{target.name}.old-{_tag()}")
    os.rename(target, old)  # a crash here leaves no folder at the name: _tidy puts old back
    try:
        os.rename(tmp, target)
    except OSError:
        os.rename(old, target)
        raise
    return old


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names atomically (Linux 3.15+); False where the system or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _tidy(parent: Path, name: str | None):
    """Debris of dead processes beside ``parent/name`` (or all of it in ``parent``): restore a
    folder a crash left only as ``.NAME.old-*``, remove the rest. Call with the lock held."""
    prefix = f".{name}." if name else "."
    try:  # a sweep's points/ may hold thousands of entries: filter cheaply before matching
        with os.scandir(parent) as it:
            names = sorted(e.name for e in it if e.name.startswith(prefix))
    except OSError:
        return
    for m in filter(None, map(_DEBRIS.fullmatch, names)):
        if (name is not None and m["name"] != name) or not _dead(int(m["pid"]), m["host"]):
            continue
        entry, target = parent / m.string, parent / m["name"]
        if m["kind"] == "old" and not os.path.lexists(target) and owned(entry):
            os.rename(entry, target)
        elif entry.is_dir() and not entry.is_symlink():
            if owned(entry) or not any(entry.iterdir()):  # never remove what the tool did not write
                shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _dead(pid: int, host: str) -> bool:
    if host != socket.gethostname() or pid == os.getpid():
        return False  # another machine's process (a Dask worker on a shared disk) is not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _tag() -> str:
    return f"{os.getpid()}@{socket.gethostname()}"


@contextmanager
def _locked(folder: Path, wait=True):
    """An exclusive lock on ``folder`` itself (no lock file to leave behind); yields whether it
    is held: False only if ``wait`` is False and another process holds it."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        except OSError:  # network file systems may refuse locks on folders: carry on unserialised
            pass
        yield True
    finally:
        os.close(fd)


def _parent(target: Path, create: bool) -> Path:
    """The folder ``target`` goes in, made if ``create``; else its nearest existing ancestor."""
    parent = target.absolute().parent
    existing = next(p for p in (parent, *parent.parents) if p.exists())
    if not existing.is_dir():
        raise InputError(target, None, f"{existing} is a file, not a folder")
    if not create:
        return existing
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _cannot_write(target, e) from None
    return parent


def _cannot_write(target: Path, e: OSError) -> ResourceError:
    reason = e.strerror or str(e)
    return ResourceError(target, f"cannot write the results: {reason}; earlier results, if any, are as "
                         "they were")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
