"""`python -m installo.cli`: the `installo` command."""

import sys

from installo.cli import main

sys.exit(main())
