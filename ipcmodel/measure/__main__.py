"""``python -m ipcmodel.measure [--quick] [--json PATH]``: the same as ``python -m ipcmodel measure``."""

import sys

from ipcmodel.__main__ import main

if __name__ == "__main__":
    sys.exit(main(["measure", *sys.argv[1:]]))
