"""Shared test settings, and the groups that keep a parallel run (pytest-xdist) safe.

``make test`` runs ``pytest -n 4 --dist loadgroup`` (four workers on two cores: the browser and
Binder groups spend much of their time waiting on servers, kernels and pip), ``make test-fast`` ``-n auto``: tests are spread
over the workers one at a time, except each group below, whose tests run on one worker, in order
(:func:`xdist_group_of`):

* ``nbval-<notebook>``: nbval's cells of one notebook share one kernel and run in order;
* ``browser-lab-a``, ``browser-lab-b`` (test_lab.py, half of the notebooks each),
  ``browser-voila``, ``browser-notebook7``: one Chromium per worker for the whole group (the servers
  use free ports and their own temporary directories, so the groups may run side by side);
* ``env``: the Binder rehearsal and the wheel tests build the package from this checkout;
* ``exports``: the static HTML export is made once (a module fixture) for all its tests.

The groups are given to xdist by a scheduler of ours (``pytest_xdist_make_scheduler``), not by
``xdist_group`` marks: on pytest 9.2, pytest-xdist 3.8's loadgroup silently ignores the marks
(pytest-dev/pytest-xdist#1386), and the groups follow from the paths anyway.

Every kernel the tests start talks over Unix sockets, not TCP (``tests/kernels.py``): nbval's
through :func:`pytest_configure`, nbclient's through its ``config``, the servers' on their
command line.

Matplotlib uses Agg in this process only. ``MPLBACKEND`` is not exported: kernels the tests
start (nbval, nbclient) get ipykernel's inline backend, as a student's kernel does, so a
pyplot figure leaking out of an explorer shows up in their outputs.
"""

import matplotlib
import pytest

matplotlib.use("Agg")

try:
    from hypothesis import settings

    # One profile for every run: the properties are closed-form model functions, which 100
    # examples cover; CI's former 200 doubled their time without a new kind of input.
    settings.register_profile("default", max_examples=100, deadline=None)
    settings.load_profile("default")
except ImportError:  # pragma: no cover
    pass


#: Groups that take longest (mostly waiting on a server, a browser or pip): scheduled first.
LONG_GROUPS_FIRST = ("env", "browser-lab-a", "browser-lab-b", "browser-voila", "exports",
                     "tests/course/test_nbgrader.py", "browser-notebook7")


def _notebook_rank(nodeid: str) -> int:
    """Position of a parametrized notebook test's notebook among the notebooks (0 if none)."""
    import pathlib

    stem = nodeid.rsplit("[", 1)[-1].rstrip("]") if "[" in nodeid else ""
    stems = sorted(p.stem for p in (pathlib.Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
    return stems.index(stem) if stem in stems else 0


def xdist_group_of(nodeid: str) -> str | None:
    """The group of a test id (relative to the repository), or None for a test on its own."""
    path = nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        return "nbval-" + path.rsplit("/", 1)[-1].removesuffix(".ipynb")
    if path == "tests/browser/test_lab.py":
        # two JupyterLab servers, each with half of the notebooks (by the notebook's position)
        return "browser-lab-" + ("a" if _notebook_rank(nodeid) % 2 == 0 else "b")
    if path.startswith("tests/browser/"):
        return "browser-" + path.rsplit("/", 1)[-1].removesuffix(".py").removeprefix("test_")
    if path.startswith("tests/env/"):
        return "env"
    if path == "tests/notebooks/test_exports.py":
        return "exports"  # one `make html` export (a module fixture) for all its tests
    return None


#: Modules whose tests each build figures (a second or more): spread test by test over the
#: workers and run last, where units this short fill the end of the run evenly.
HEAVY_MODULES = ("tests/explorers/", "tests/model/test_history")


def xdist_scope_of(nodeid: str) -> str:
    """The unit of work a worker is given: the test's group; else the test itself in a module of
    :data:`HEAVY_MODULES`; else its whole module (thousands of millisecond tests sent one by one
    cost more in messages than they take to run, and a module's fixtures are then made once)."""
    path = nodeid.split("::", 1)[0]
    return xdist_group_of(nodeid) or (nodeid if path.startswith(HEAVY_MODULES) else path)


def pytest_configure(config):
    if config.pluginmanager.hasplugin("nbval"):
        from kernels import use_ipc_kernels_in_nbval

        use_ipc_kernels_in_nbval()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` with the groups of :func:`xdist_group_of`."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PathGroupScheduling(LoadScopeScheduling):
        """Like xdist's loadgroup (largest groups first); groups from the test's path."""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):  # an xdist_group mark, where xdist honours it
                return nodeid.split("@")[-1]
            return xdist_scope_of(nodeid)

        def _assign_work_unit(self, node) -> None:
            # the longest groups start first (xdist orders by test count, which would leave the
            # Binder rehearsal and the browser groups for the end of the run), then each
            # notebook's nbval cells (a unit of several seconds), then whole modules, and last the
            # figure-building tests one by one (units of a second or two), so that the run ends
            # on short units instead of a notebook or a browser group started late
            if not getattr(self, "_long_first", False):
                self._long_first = True
                for scope in [s for s in self.workqueue if s.startswith(HEAVY_MODULES) and "::" in s]:
                    self.workqueue.move_to_end(scope)
                for scope in reversed([s for s in self.workqueue if s.startswith("nbval-")]):
                    self.workqueue.move_to_end(scope, last=False)
                for scope in reversed(LONG_GROUPS_FIRST):
                    if scope in self.workqueue:
                        self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return PathGroupScheduling(config, log)
