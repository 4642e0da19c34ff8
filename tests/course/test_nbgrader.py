"""nbgrader assignments generated from the exercises (issue 13, "For the instructor").

The cheap checks run for every notebook with exercises: the cells and their nbgrader metadata,
and the answer and test cells executed in this process the way the autograder runs them (filled
in: every test passes; empty or wrong: every test fails). One assignment (00) then goes through
nbgrader itself: ``nbgrader generate_assignment`` (the release has no solutions) and
``nbgrader autograde`` on a filled-in and an empty submission, whose scores are asserted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from ipcmodel.course.assignments import (
    ASSIGNMENTS,
    CONFIG_TEMPLATE,
    POINTS_BY_STEP,
    assignment_notebook,
    key_fingerprint,
    write_course,
)
from ipcmodel.exercises import TOPICS, for_notebook
from ipcmodel.exercises.written import NOTEBOOKS as WRITTEN
from ipcmodel.exercises.written import written_questions

#: the nbgrader assignments are course packaging, not the model: in `make test`, not `make test-fast`
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NUMBERS = list(TOPICS)
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _exercises(number: str, seed: int = 0):
    if number == "06":
        from ipcmodel.measure import load_example

        return for_notebook(number, seed, run=load_example())
    return for_notebook(number, seed)


def _meta(cell) -> dict:
    return cell.metadata["nbgrader"]


def _answer_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and _meta(c)["solution"]]


def _test_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and _meta(c)["grade"]]


def _written_cells(nb):
    return [c for c in nb.cells if c.cell_type == "markdown" and _meta(c)["grade"]]


def _region(source: str) -> str:
    assert source.count(BEGIN) == 1 and source.count(END) == 1, source
    return source.split(BEGIN + "\n", 1)[1].split(END, 1)[0]


def _without_region(source: str, stub: str = "") -> str:
    """What nbgrader's ClearSolutions leaves of a solution cell (``stub`` in place of the region)."""
    return re.sub(rf"{BEGIN}\n.*?{END}\n?", stub, source, flags=re.S)


def _run_as_autograder(nb, answer_source) -> dict[str, tuple[bool, str]]:
    """Execute the code cells in order in one namespace, as the autograder's kernel does
    (errors allowed): grade_id of each test cell -> (passed, the check's feedback kind)."""
    ns: dict = {}
    results = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = _meta(cell)
        source = answer_source(cell.source) if meta["solution"] else cell.source
        try:
            exec(compile(source, meta["grade_id"], "exec"), ns)  # noqa: S102 - our own cells
            passed = True
        except AssertionError:
            passed = False
        if meta["grade"]:
            results[meta["grade_id"]] = (passed, ns["feedback"].kind)
    return results


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("course")
    summaries = {s.notebook: s for s in write_course(out)}
    notebooks = {n: nbformat.read(s.path, as_version=4) for n, s in summaries.items()}
    return out, summaries, notebooks


def test_an_assignment_per_notebook_with_exercises_named_by_its_stem(course):
    out, summaries, _ = course
    assert list(ASSIGNMENTS) == NUMBERS
    for number, stem in ASSIGNMENTS.items():
        assert (ROOT / "notebooks" / f"{stem}.ipynb").exists(), stem   # the teaching notebook
        assert stem.split("_", 1)[0] == number
        assert summaries[number].path == (out / "source" / stem / f"{stem}_exercises.ipynb").resolve()
    assert (out / "nbgrader_config.py").exists()


@pytest.mark.parametrize("number", NUMBERS)
def test_cells_and_metadata(course, number):
    _, summaries, notebooks = course
    nb, exs = notebooks[number], _exercises(number)
    nbformat.validate(nb)
    ids = [_meta(c)["grade_id"] for c in nb.cells]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    answers, tests = _answer_cells(nb), _test_cells(nb)
    assert len(answers) == len(tests) == len(exs)
    for i, (a, t, ex) in enumerate(zip(answers, tests, exs, strict=True), 1):
        assert not _meta(a)["grade"] and not _meta(a)["locked"]
        assert f"answer_{i} = None" in _without_region(a.source)    # what the release keeps
        m = _meta(t)
        assert m["locked"] and not m["solution"] and m["points"] == POINTS_BY_STEP[ex.step]
        # the test calls the notebook's own check of this very exercise
        assert f"for_notebook({number!r}, seed=0" in t.source
        assert f"[{ex.id!r}].check(answer_{i})" in t.source and "assert feedback.correct" in t.source
        # the solution is the answer key's value (computed, not typed)
        ns: dict = {}
        exec(_region(a.source), ns)  # noqa: S102
        assert ns[f"answer_{i}"] == pytest.approx(ex.answer, rel=1e-12)
        assert ex.variant.solution.splitlines()[0] in _region(a.source)
    written = _written_cells(nb)
    questions = list(written_questions(number)) if number in WRITTEN else []
    assert len(written) == len(questions)
    for cell, q in zip(written, questions, strict=True):
        m = _meta(cell)
        assert m["solution"] and not m["locked"] and m["points"] == q.points > 0
        assert q.model_answer[:60] in _region(cell.source)
    s = summaries[number]
    assert s.autograded_points == sum(_meta(t)["points"] for t in tests)
    assert s.written_points == sum(q.points for q in questions)


@pytest.mark.slow  # over a second of figures or nbgrader runs: `make test`, not `make test-fast`
@pytest.mark.parametrize("number", NUMBERS)
def test_filled_in_passes_every_test_and_empty_or_wrong_fails_every_one(course, number):
    _, _, notebooks = course
    nb = notebooks[number]
    filled = _run_as_autograder(nb, lambda src: src)
    assert filled and all(ok for ok, _ in filled.values()), filled
    empty = _run_as_autograder(nb, _without_region)
    assert all(not ok and kind == "empty" for ok, kind in empty.values()), empty

    def wrong(src):  # 1.5 times the answer: outside every tolerance (at most 5% or 2 units)
        var = re.search(r"^(answer_\d+) = None", src, flags=re.M).group(1)
        return src + f"\n{var} = 1.5 * {var}\n"

    wrong_results = _run_as_autograder(nb, wrong)
    assert all(not ok and kind != "empty" for ok, kind in wrong_results.values()), wrong_results


def test_an_answer_with_its_unit_is_read_as_the_notebook_reads_it(course):
    """00's break-even exercise is in µs: the same answer written in ms passes the test cell."""
    nb = course[2]["00"]
    ex = for_notebook("00", 0)["break-even"]

    def in_ms(src):  # only exercise 1 answered, in ms
        var = re.search(r"^(answer_\d+) = None", src, flags=re.M).group(1)
        mine = f'\n{var} = "{ex.answer / 1000!r} ms"\n' if var == "answer_1" else ""
        return _without_region(src) + mine

    results = _run_as_autograder(nb, in_ms)
    assert results["ex-break-even-test"] == (True, "correct")
    assert sum(ok for ok, _ in results.values()) == 1


def test_the_setup_cell_warns_when_the_kernel_computes_other_answers(course, capsys):
    setup = next(c for c in course[2]["01"].cells if _meta(c)["grade_id"] == "setup")
    assert _meta(setup)["locked"]
    exec(setup.source, {})  # noqa: S102 - the same package: silent
    assert capsys.readouterr().out == ""
    stale = re.sub(r"(GENERATED_WITH = \('[^']*', ')[0-9a-f]+'", r"\g<1>0000000000000000'",
                   setup.source)
    assert stale != setup.source
    exec(stale, {})  # noqa: S102 - as if generated by a package with other answers
    assert "Warning" in capsys.readouterr().out
    # the fingerprint follows the answers: another seed, another key
    assert key_fingerprint("01", 0) != key_fingerprint("01", 1)


def test_a_class_variant_uses_that_seed_everywhere(tmp_path):
    (s,) = write_course(tmp_path, ["02"], seed=3)
    nb = nbformat.read(s.path, as_version=4)
    exs3, exs0 = _exercises("02", 3), _exercises("02", 0)
    values = []
    for i, (a, t) in enumerate(zip(_answer_cells(nb), _test_cells(nb), strict=True), 1):
        ns: dict = {}
        exec(_region(a.source), ns)  # noqa: S102
        values.append(ns[f"answer_{i}"])
        assert "seed=3)" in t.source and "seed=0" not in t.source
    assert values == pytest.approx([e.answer for e in exs3], rel=1e-12)
    assert values != pytest.approx([e.answer for e in exs0], rel=1e-6)   # another variant
    assert all(ok for ok, _ in _run_as_autograder(nb, lambda src: src).values())


def test_generation_is_deterministic_and_keeps_an_edited_config(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_course(a, ["00", "06"])
    write_course(b, ["00", "06"])
    for stem in ("00_overview", "06_your_machine"):
        rel = Path("source") / stem / f"{stem}_exercises.ipynb"
        assert (a / rel).read_bytes() == (b / rel).read_bytes()
    config = a / "nbgrader_config.py"
    assert config.read_text(encoding="utf-8") == CONFIG_TEMPLATE
    compile(CONFIG_TEMPLATE, "nbgrader_config.py", "exec")
    config.write_text("c = get_config()  # the instructor's own\n", encoding="utf-8")
    write_course(a, ["00"])
    assert "the instructor's own" in config.read_text(encoding="utf-8")
    write_course(a, ["00"], force_config=True)
    assert config.read_text(encoding="utf-8") == CONFIG_TEMPLATE


@pytest.mark.parametrize("bad, match", [(("08", 0), "number must name a notebook"),
                                        (("00", -1), "seed must be an integer >= 0"),
                                        (("00", "ada"), "seed must be an integer >= 0")])
def test_bad_input_names_the_parameter(bad, match):
    with pytest.raises(ValueError, match=match):
        assignment_notebook(*bad)


@pytest.mark.slow  # over a second of figures or nbgrader runs: `make test`, not `make test-fast`
@pytest.mark.parametrize("number", NUMBERS)
def test_nbgrader_accepts_the_metadata_and_clears_every_solution(course, number, nbgrader_installed):
    from nbgrader.nbgraderformat import MetadataValidator
    from nbgrader.preprocessors import ClearSolutions

    nb = nbformat.from_dict(course[2][number])
    MetadataValidator().validate_nb(nb)
    release, _ = ClearSolutions().preprocess(nb, {})
    text = "\n".join(c.source for c in release.cells)
    assert BEGIN not in text and END not in text
    for i, ex in enumerate(_exercises(number), 1):
        assert f"answer_{i} = {float(ex.answer)!r}" not in text
    assert "**Model answer.**" not in text and "**Rubric**" not in text
    for cell in _written_cells(release):  # the model answer's place is empty
        assert cell.source == "*Your answer:*\n\nYOUR ANSWER HERE"
    assert len(_written_cells(release)) == (len(written_questions(number)) if number in WRITTEN else 0)


def _nbgrader(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # nbgrader runs `alembic` from PATH; its config must come from the course directory only
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    for sub in ("config", "data", "runtime"):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[f"JUPYTER_{sub.upper()}_DIR"] = str(home / sub)
    env.pop("JUPYTER_PATH", None)
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.mark.slow
def test_nbgrader_generate_assignment_and_autograde(tmp_path, nbgrader_installed):
    """nbgrader itself: release 00, autograde a filled-in and an empty submission."""
    from nbgrader.api import Gradebook

    course_dir, home = tmp_path / "course", tmp_path / "jupyter"
    (s,) = write_course(course_dir, ["00"])
    name, nb_name = s.assignment, s.path.stem
    source = nbformat.read(s.path, as_version=4)
    _nbgrader(["generate_assignment", name], course_dir, home)

    release_path = course_dir / "release" / name / s.path.name
    release = nbformat.read(release_path, as_version=4)
    text = "\n".join(c.source for c in release.cells)
    assert BEGIN not in text and END not in text
    for i, ex in enumerate(for_notebook("00", 0), 1):
        assert f"answer_{i} = {float(ex.answer)!r}" not in text
    assert "**Model answer.**" not in text and "**Rubric**" not in text
    assert all(q.model_answer not in text for q in written_questions("00"))
    assert [t.source for t in _test_cells(release)] == [t.source for t in _test_cells(source)]

    # alice types in the solutions (and writes prose); bob hands in the release unchanged
    filled = nbformat.read(release_path, as_version=4)
    by_id = {_meta(c)["grade_id"]: c.source for c in source.cells}
    for cell in filled.cells:
        if _meta(cell)["solution"] and cell.cell_type == "code":
            cell.source = (cell.source.split("# YOUR ANSWER HERE")[0]
                           + _region(by_id[_meta(cell)["grade_id"]]))
        elif _meta(cell)["solution"]:
            cell.source = cell.source.replace("YOUR ANSWER HERE", "The difference, not the ratio.")
    for student, nb in (("alice", filled), ("bob", release)):
        (course_dir / "submitted" / student / name).mkdir(parents=True)
        nbformat.write(nb, course_dir / "submitted" / student / name / s.path.name)
    _nbgrader(["autograde", name], course_dir, home)

    auto_points = s.autograded_points
    assert auto_points == sum(POINTS_BY_STEP[e.step] for e in for_notebook("00", 0)) > 0
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        alice = gb.find_submission_notebook(nb_name, name, "alice")
        bob = gb.find_submission_notebook(nb_name, name, "bob")
        tests = {g.name: g for g in alice.grades if g.cell_type == "code"}
        assert len(tests) == s.exercises
        assert all(g.auto_score == g.max_score for g in tests.values())
        assert alice.code_score == alice.max_code_score == auto_points          # full marks
        assert alice.needs_manual_grade                                        # the prose
        assert all(g.auto_score == 0 for g in bob.grades if g.cell_type == "code")
        assert bob.code_score == 0 and bob.max_code_score == auto_points        # nothing
        assert bob.written_score == 0 and not bob.needs_manual_grade           # blank prose
    # what bob sees under each test: the notebook's own "no answer yet"
    graded = nbformat.read(course_dir / "autograded" / "bob" / name / s.path.name, as_version=4)
    outputs = [o.get("text", "") for c in _test_cells(graded) for o in c.outputs]
    assert sum("No answer yet" in o for o in outputs) == s.exercises
    setup = next(c for c in graded.cells if _meta(c)["grade_id"] == "setup")
    assert setup.outputs == []   # the grading kernel computes the answers it was generated with


def test_command_line(tmp_path, capsys):
    from ipcmodel.course.assignments import main

    assert main(["--out", str(tmp_path), "--notebook", "02b", "--notebook", "04"]) == 0
    out = capsys.readouterr().out
    assert "02b_cache_lab:" in out and "04_firewalls:" in out and "00_overview" not in out
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == ["02b_cache_lab", "04_firewalls"]
    assert main(["--out", str(tmp_path / "x"), "--seed", "-1"]) == 2
    assert "--seed must be >= 0" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--notebook", "08"])
