"""nbgrader source assignments from the notebooks' exercises (issue 13; the ``.[course]`` extra).

:func:`write_course` writes, for every notebook with an exercise set (00–07 and 02b), an nbgrader
*source* assignment ``<course>/source/<stem>/<stem>_exercises.ipynb``, and a
``nbgrader_config.py`` template in ``<course>`` (kept if it exists). Each notebook holds:

* the exercise questions of the notebook's set for one seed (the whole class gets the same
  variant; 0 = the paper's examples, as the notebook shows them);
* per exercise an answer cell, an nbgrader solution cell: ``answer_N = None`` and, between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``, the worked solution as comments and the
  answer, both taken from the answer key (:func:`ipcmodel.answers.answer_key`, computed by the
  same code as the check), never typed in;
* per exercise an autograder test cell (``grade``, ``locked``, points: :data:`POINTS_BY_STEP`)
  that calls the notebook's own check,
  ``for_notebook(NN, seed=S)[id].check(answer_N)``, prints its feedback and asserts it is
  correct: an exact answer passes, a wrong or missing one fails;
* per written question (:mod:`ipcmodel.exercises.written`) its prompt and a manually graded
  Markdown answer cell (``grade`` + ``solution``, the rubric's points) with the model answer
  and the rubric in the solution region.

Notebook 06's exercises are about the student's own machine; its assignment uses the bundled
example run (:func:`ipcmodel.measure.load_example`), whose numbers are in each question, like
``python -m ipcmodel answers``.

Needs ``nbformat`` (installed with nbgrader: ``pip install -e ".[course]"``); nbgrader itself is
needed only to release and grade (``nbgrader generate_assignment``, ``nbgrader autograde``).
The output does not depend on the time or the machine: generating twice gives the same files.

Usage::

    python -m ipcmodel.course [--out build/course] [--notebook NN ...] [--seed S] [--force-config]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ASSIGNMENTS",
    "POINTS_BY_STEP",
    "CONFIG_TEMPLATE",
    "AssignmentSummary",
    "assignment_notebook",
    "key_fingerprint",
    "write_course",
    "add_arguments",
    "run",
    "main",
]

#: Notebook number -> the teaching notebook's stem, which names its assignment
#: (the stems of ``tools/build_notebooks.py``; ``tests/course`` checks they agree).
ASSIGNMENTS = {
    "00": "00_overview",
    "01": "01_ipc_vs_the_rest",
    "02": "02_caches",
    "02b": "02b_cache_lab",
    "03": "03_marshalling",
    "04": "04_firewalls",
    "05": "05_conclusions",
    "06": "06_your_machine",
    "07": "07_thirty_years_later",
}

#: Points of an autograded exercise by its step (:data:`ipcmodel.exercises.core.STEPS`): a
#: look-up checks reading, the others need a step the notebook has not printed.
POINTS_BY_STEP = {"look-up": 1, "apply": 2, "invert": 2, "combine": 2, "": 1}

#: The nbgrader_config.py written into the course directory (once; an edited one is kept).
CONFIG_TEMPLATE = '''\
"""nbgrader configuration for the ipcmodel assignments (written by `python -m ipcmodel.course`).

Run nbgrader in this directory (the course root): the generated source assignments are in
source/<assignment>/. Release, collect and grade as usual, for example:

    nbgrader generate_assignment 00_overview      # release/00_overview/: solutions removed
    nbgrader autograde 00_overview                # grades submitted/<student>/00_overview/
    nbgrader formgrader / nbgrader export         # manual grading of the written questions, CSV

The autograder runs the notebooks in a kernel that must compute the same answers as the ipcmodel
that generated them (each notebook's setup cell prints a warning if it does not).
"""

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "ipcmodel"  # change to your course's id (used by the exchange)

# An answer cell keeps `answer_N = None` above the removed solution; students replace None.
c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE: replace None above with your answer"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Seconds a cell may run when autograding (the checks take milliseconds; a cold first import
# of the package on a busy grading machine can take several seconds).
c.Execute.timeout = 120
'''



@dataclass(frozen=True)
class AssignmentSummary:
    """What :func:`write_course` wrote for one notebook."""

    notebook: str
    assignment: str
    path: Path
    exercises: int
    autograded_points: int
    written: int
    written_points: int


def _nbformat():
    try:
        import nbformat
        from nbformat import v4
    except ImportError as exc:  # pragma: no cover - nbformat comes with jupyter and nbgrader
        raise ImportError("writing nbgrader assignments needs nbformat: "
                          "pip install -e \".[course]\" (it brings nbgrader and nbformat)") from exc
    return nbformat, v4


def _safe_id(text: str) -> str:
    """A cell id / grade id: letters, digits, - and _ only (nbformat's cell-id rule)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]


def _cell(v4, kind: str, source: str, cell_id: str, *, grade: bool = False,
          solution: bool = False, locked: bool = False, points: int | None = None):
    cell = (v4.new_code_cell if kind == "code" else v4.new_markdown_cell)(source)
    cell_id = _safe_id(cell_id)
    cell.id = cell_id
    meta = {"grade": grade, "grade_id": cell_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata = {"nbgrader": meta}
    return cell


def _md(text: str) -> str:
    return html.escape(text, quote=False)


def _unit_hint(unit: str) -> str:
    if unit == "%":
        return 'your answer in %: a number such as 5, or text such as "5%"'
    if unit == "share":
        return 'a fraction between 0 and 1 such as 0.5, or text such as "50%"'
    if unit in ("×", "times"):
        return "how many times: a plain number"
    if unit == "µs":
        return 'your answer in µs: a number, or text with its unit such as "1 ms"'
    return f"your answer in {unit}" if unit else "your answer, a plain number"


def _answer_in(unit: str) -> str:
    return f"in {unit}" if unit else "as a plain number"


def _check_call(number: str, seed: int, ex_id: str, var: str) -> str:
    if number == "06":
        return (f"from ipcmodel.exercises import for_notebook\n"
                f"from ipcmodel.measure import load_example\n\n"
                f"feedback = for_notebook({number!r}, seed={seed}, run=load_example())"
                f"[{ex_id!r}].check({var})\n")
    return (f"from ipcmodel.exercises import for_notebook\n\n"
            f"feedback = for_notebook({number!r}, seed={seed})[{ex_id!r}].check({var})\n")


def _header(number: str, stem: str, title: str, seed: int, auto_points: int,
            written_points: int, version: str) -> str:
    lines = [f"# {_md(title)}: exercises", "",
             f"Work through the notebook `notebooks/{stem}.ipynb` first: these are the exercises "
             "of its *Exercises* section" + (", the same variants it shows." if seed == 0 else
                                             f", variant {seed} (`exercise_set(seed={seed})`): "
                                             "other inputs than the notebook shows, so a look-up "
                                             "needs its calculation redone."), ""]
    if number == "06":
        lines += ["These exercises use the bundled example probe run "
                  "(`ipcmodel.measure.load_example()`), not your machine: every number you need "
                  "is in the question.", ""]
    lines += ["- Write each answer in the cell under its question, in place of `None` in "
              "`answer_N = None`: a number in the unit asked for, or text with its unit such as "
              '`"0.9 ms"` (it is converted).',
              "- Run the check cell under it: it prints the notebook's feedback. Those cells are "
              "the autograder's tests; do not edit them.",
              f"- Autograded: {auto_points} points ({POINTS_BY_STEP['look-up']} for a look-up, "
              f"{POINTS_BY_STEP['apply']} for an exercise that needs a step the notebook has not "
              "printed)."
              + (f" Written questions: {written_points} points, graded by hand."
                 if written_points else ""),
              "",
              f"*Generated by `python -m ipcmodel.course` from ipcmodel {version} (seed {seed}); "
              "regenerate rather than edit.*"]
    return "\n".join(lines)


def key_fingerprint(number: str, seed: int = 0) -> str:
    """A short hash of the answer key of notebook ``number`` for ``seed`` (each exercise's id
    and answer to 12 significant digits).

    The setup cell of an assignment compares it with the one it was generated with, so a kernel
    whose ipcmodel (or data) gives other answers says so before the tests run.
    """
    from ipcmodel.answers import answer_key

    (key,) = answer_key(number, seed)
    items = [[e["id"], f"{e['answer']:.12g}"] for e in key.get("exercises", [])]
    return hashlib.sha256(json.dumps(items).encode("utf-8")).hexdigest()[:16]


def _setup(number: str, seed: int, version: str) -> str:
    return ("# Setup (do not edit): the exercises and their checks come from the ipcmodel package.\n"
            "import ipcmodel\n"
            "from ipcmodel.course.assignments import key_fingerprint\n\n"
            f"GENERATED_WITH = ({version!r}, {key_fingerprint(number, seed)!r})\n"
            f"if key_fingerprint({number!r}, seed={seed}) != GENERATED_WITH[1]:\n"
            "    print(f\"Warning: this kernel's ipcmodel {ipcmodel.__version__} computes other \"\n"
            "          f\"answers than ipcmodel {GENERATED_WITH[0]}, which generated this \"\n"
            "          \"assignment: the tests below check against this kernel's answers.\")\n")


def _answer_cell(i: int, e: dict) -> str:
    var = f"answer_{i}"
    solution = "\n".join(("# " + line).rstrip() for line in e["solution"].splitlines())
    return (f"# Exercise {i} ({e['id']}): {_unit_hint(e['unit'])}\n"
            f"{var} = None\n"
            "### BEGIN SOLUTION\n"
            f"{solution}\n"
            f"{var} = {float(e['answer'])!r}  # {e['unit'] or 'a plain number'}\n"
            "### END SOLUTION\n")


def _test_cell(number: str, seed: int, i: int, e: dict) -> str:
    return (f"# Autograder test of exercise {i} ({e['id']}; do not edit): the notebook's own check\n"
            + _check_call(number, seed, e["id"], f"answer_{i}")
            + "print(repr(feedback))\n"
            + f'assert feedback.correct, f"answer_{i}: {{feedback.message}}"\n')


def _written_answer(q) -> str:
    rubric = "\n".join(f"- {p} point{'s' if p != 1 else ''}: {_md(c)}" for p, c in q.rubric)
    return ("*Your answer:*\n\n"
            "### BEGIN SOLUTION\n"
            f"**Model answer.** {_md(q.model_answer)}\n\n"
            f"**Rubric** ({q.points} points):\n\n{rubric}\n"
            "### END SOLUTION")


def assignment_notebook(number: str, seed: int = 0):
    """The nbgrader source notebook of notebook ``number`` (``"00"`` … ``"07"``, ``"02b"``).

    Parameters
    ----------
    number : str
        A notebook with exercises, a key of :data:`ASSIGNMENTS`.
    seed : int
        The variant for the whole class (>= 0; 0 = the paper's examples, as in the notebook).

    Returns
    -------
    (nbformat.NotebookNode, AssignmentSummary)
        The notebook (not yet written; ``summary.path`` is relative to the course directory).

    Raises
    ------
    ValueError
        For a notebook without exercises or a negative seed.
    """
    from ipcmodel import __version__
    from ipcmodel.answers import answer_key
    from ipcmodel.exercises.written import NOTEBOOKS as WRITTEN
    from ipcmodel.exercises.written import written_questions

    if number not in ASSIGNMENTS:
        raise ValueError(f"number must name a notebook with exercises, one of "
                         f"{list(ASSIGNMENTS)}; got {number!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0 (one variant for the whole class); "
                         f"got {seed!r}")
    _, v4 = _nbformat()
    (key,) = answer_key(number, seed)
    if "unavailable" in key:
        raise ValueError(f"notebook {number}: {key['unavailable']}")
    stem = ASSIGNMENTS[number]
    exercises = key["exercises"]
    written = list(written_questions(number)) if number in WRITTEN else []
    auto_points = sum(POINTS_BY_STEP.get(e["step"], 1) for e in exercises)
    written_points = sum(q.points for q in written)

    cells = [_cell(v4, "markdown", _header(number, stem, key["title"], seed, auto_points,
                                           written_points, __version__), "header", locked=True),
             _cell(v4, "code", _setup(number, seed, __version__), "setup", locked=True)]
    for i, e in enumerate(exercises, 1):
        points = POINTS_BY_STEP.get(e["step"], 1)
        step = f", {e['step']}" if e["step"] else ""
        question = (f"### Exercise {i} (`{e['id']}`{step}, {points} point{'s' if points != 1 else ''})"
                    f"\n\n{_md(e['question'])}\n\n*Answer {_answer_in(e['unit'])}"
                    f"; {_md(e['tolerance'])}.*")
        cells += [_cell(v4, "markdown", question, f"ex-{e['id']}-question", locked=True),
                  _cell(v4, "code", _answer_cell(i, e), f"ex-{e['id']}-answer", solution=True),
                  _cell(v4, "code", _test_cell(number, seed, i, e), f"ex-{e['id']}-test",
                        grade=True, locked=True, points=points)]
    if written:
        cells.append(_cell(v4, "markdown", "## Written questions\n\nAnswer in your own words, in "
                           "the cell under each question; they are graded by hand.",
                           "written-intro", locked=True))
    for i, q in enumerate(written, 1):
        prompt = (f"### W{i} ({q.points} points; objective {q.objective} of the notebook)\n\n"
                  f"{_md(q.prompt)}")
        cells += [_cell(v4, "markdown", prompt, f"w-{q.id}-question", locked=True),
                  _cell(v4, "markdown", _written_answer(q), f"w-{q.id}-answer", grade=True,
                        solution=True, points=q.points)]
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                       "language": "python"},
        "language_info": {"name": "python"}})
    path = Path("source") / stem / f"{stem}_exercises.ipynb"
    return nb, AssignmentSummary(number, stem, path, len(exercises), auto_points, len(written),
                                 written_points)


def write_course(out: Path | str = "build/course", notebooks=None, seed: int = 0, *,
                 force_config: bool = False) -> list[AssignmentSummary]:
    """Write the source assignments (and ``nbgrader_config.py`` if absent) into ``out``.

    Parameters
    ----------
    out : path
        The course directory (nbgrader's course root); created if needed.
    notebooks : iterable of str, optional
        Notebook numbers (``"00"``, ``"02b"``, ...); default all of :data:`ASSIGNMENTS`.
    seed : int
        The variant for the whole class (>= 0).
    force_config : bool
        Overwrite an existing ``nbgrader_config.py`` with the template.

    Returns
    -------
    list of AssignmentSummary
        One per notebook, ``path`` absolute.
    """
    nbformat, _ = _nbformat()
    out = Path(out)
    numbers = list(ASSIGNMENTS) if notebooks is None else [
        str(n).zfill(2) if str(n).isdigit() else str(n) for n in notebooks]
    built = [assignment_notebook(n, seed) for n in numbers]  # all problems before any file
    out.mkdir(parents=True, exist_ok=True)
    config = out / "nbgrader_config.py"
    if force_config or not config.exists():
        config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    summaries = []
    for nb, summary in built:
        path = out / summary.path
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.validate(nb)
        nbformat.write(nb, str(path))
        summaries.append(AssignmentSummary(**{**summary.__dict__, "path": path.resolve()}))
    return summaries


def add_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``python -m ipcmodel.course`` (and of ``python -m ipcmodel assignments``)."""
    p.add_argument("--out", default="build/course", metavar="DIR",
                   help="the nbgrader course directory (default build/course)")
    p.add_argument("--notebook", action="append", metavar="NN", choices=list(ASSIGNMENTS),
                   help="one notebook (00, 01, 02, 02b, ...); repeat for more; default all")
    p.add_argument("--seed", type=int, default=0,
                   help="the variant for the whole class (default 0, the paper's examples)")
    p.add_argument("--force-config", action="store_true",
                   help="overwrite an existing nbgrader_config.py with the template")
    return p


def run(args) -> int:
    """Write the course from parsed :func:`add_arguments` options; print what was written."""
    if args.seed < 0:
        print(f"error: --seed must be >= 0; got {args.seed}", file=sys.stderr)
        return 2
    summaries = write_course(args.out, args.notebook, args.seed, force_config=args.force_config)
    for s in summaries:
        written = f", {s.written} written ({s.written_points} points)" if s.written else ""
        print(f"{s.assignment}: {s.exercises} exercises ({s.autograded_points} points autograded)"
              f"{written} -> {s.path}")
    print(f"nbgrader_config.py in {Path(args.out).resolve()}; next: cd {args.out} && "
          f"nbgrader generate_assignment {summaries[0].assignment if summaries else 'NAME'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m ipcmodel.course``."""
    p = argparse.ArgumentParser(prog="python -m ipcmodel.course",
                                description="Write an nbgrader source assignment per notebook "
                                            "from its exercises (instructors; needs .[course]).")
    return run(add_arguments(p).parse_args(argv))
