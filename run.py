"""The command line as ``python run.py [COMMAND] ...``: an alias of ``hexi`` (model/cli.py)."""

import sys

from model.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="run.py"))
