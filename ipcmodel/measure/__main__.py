"""``python -m ipcmodel.measure [--quick] [--json PATH]``."""

import sys

from ipcmodel.measure.cli import main

if __name__ == "__main__":
    sys.exit(main())
