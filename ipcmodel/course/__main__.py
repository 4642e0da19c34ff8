"""``python -m ipcmodel.course``: write the nbgrader source assignments (see
:mod:`ipcmodel.course.assignments`)."""

import sys

from ipcmodel.course.assignments import main

if __name__ == "__main__":
    sys.exit(main())
