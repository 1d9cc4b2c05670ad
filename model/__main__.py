"""``python -m model ...``: the ``hexi`` command line."""

import sys

from .cli import main

sys.exit(main(prog="python -m model"))
