"""``python -m frontend.cli``: the same as the ``heard`` command."""

import sys

from frontend.cli import main

sys.exit(main())
