"""Where the bundled example project is: the repository, or the copy an installed package carries.

A wheel installs scenarios/ and data/weather/ under ``<prefix>/share/hexi/`` (pyproject's
data-files), keeping the layout whose relative profile paths the scenarios use.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .errors import InputError

DEFAULT_SCENARIO = Path("scenarios/gansu_2019.yaml")
_PARTS = ("scenarios", "data/weather")


def bundled_root() -> Path | None:
    """The folder holding scenarios/ and data/weather/: the source tree, else the installed copy."""
    for root in (Path(__file__).resolve().parent.parent, Path(sys.prefix) / "share" / "hexi"):
        if (root / DEFAULT_SCENARIO).is_file():
            return root
    return None


def default_scenario() -> Path:
    """The default scenario of the folder the tool runs in, else the bundled one."""
    if DEFAULT_SCENARIO.is_file():
        return DEFAULT_SCENARIO
    root = bundled_root()
    if root is None:
        raise InputError(DEFAULT_SCENARIO, None, "file not found, and no bundled copy is installed; "
                         "name a scenario file")
    return root / DEFAULT_SCENARIO


def bundled(path: Path) -> Path:
    """``path`` in the folder the tool runs in, else the bundled copy of it."""
    path = Path(path)
    if path.is_file():
        return path
    root = bundled_root()
    if root is None or not (root / path).is_file():
        raise InputError(path, None, "file not found, and no bundled copy is installed")
    return root / path


def init(folder) -> Path:
    """Copy the bundled scenarios and weather years into ``folder`` (new or empty)."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(folder, None, "exists and is not an empty folder; name a new one")
    root = bundled_root()
    if root is None:
        raise InputError("init", None, "no bundled example project is installed")
    for part in _PARTS:
        shutil.copytree(root / part, folder / part, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return folder
