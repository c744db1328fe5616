"""``python -m ssm_emulator``: the same as the ``ssm-emulator`` console script."""

import sys

from .cli import main

sys.exit(main())
