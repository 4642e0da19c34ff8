"""Course tooling for instructors (the ``.[course]`` extra): nbgrader assignments.

:mod:`ipcmodel.course.assignments` writes an nbgrader *source* assignment per notebook with
exercises (``python -m ipcmodel.course``). Importing this package imports nothing else, and
neither nbgrader nor nbformat: the notebooks do not need them.
"""

__all__: list[str] = []
