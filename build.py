#!/usr/bin/env python3
"""Command-line entry: check proposals, build the site and the PDF. See README.md."""

import sys

from callguide.cli import main

if __name__ == "__main__":
    sys.exit(main())
