#!/usr/bin/env python
"""Django's command-line utility for coopnet (the same as the `coopnet` console command)."""
import sys

from coopnet.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
