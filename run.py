"""Command line of the Hexi clean-power model: python run.py [SCENARIO.yaml] [--mode ...] [--out DIR]."""

import sys

from model.cli import main

if __name__ == "__main__":
    sys.exit(main())
