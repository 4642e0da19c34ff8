"""Generate the instructor guide, ``docs/instructor/``, from the exercise code (issue 13).

Every answer, worked solution, slip hint, written question, model answer and timing on those
pages is computed here from the same code the notebooks use (``ipcmodel.exercises``,
``ipcmodel.exercises.written``, ``tools/reading_time.py``, the notebooks' own learning
objectives rendered by ``tools/notebook_text.py``), so the guide cannot go stale without
``tests/docs/test_instructor_guide.py`` failing. Only the prerequisites, discussion questions
and the teaching notes below are written by hand.

Usage::

    python tools/instructor_guide.py           write docs/instructor/*.md
    python tools/instructor_guide.py --check   exit 1 if a committed page differs
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "instructor"
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import build_notebooks  # noqa: E402
import notebook_text  # noqa: E402
import reading_time  # noqa: E402

from ipcmodel.course.assignments import ASSIGNMENTS, POINTS_BY_STEP  # noqa: E402
from ipcmodel.exercises import TOPICS, for_notebook  # noqa: E402
from ipcmodel.exercises.core import fmt  # noqa: E402
from ipcmodel.exercises.feedback import SLIP_KINDS  # noqa: E402
from ipcmodel.exercises.written import NOTEBOOKS as WRITTEN  # noqa: E402
from ipcmodel.exercises.written import written_questions  # noqa: E402

#: What a student should have done before each notebook (hand-written).
PREREQUISITES = {
    "00": "The paper's §1 and §6 (the rest can wait). What a system call and an address space are.",
    "01": "Notebook 00 (the model crossing + locality + service, the overhead fraction). §2 and §2.1.",
    "02": "Notebooks 00 and 01. What a cache line, a miss and DMA are (defined in the notebook). §3.",
    "02b": "Notebook 02. Direct-mapped caches (set index from the address).",
    "03": "Notebook 00; notebook 01's RPC and system-call times. Pages and virtual memory. §4.",
    "04": "Notebooks 00 and 01; the crossings per use of notebook 00. §5 and Maeda & Bershad (1992) "
          "§2.",
    "05": "Notebooks 00–04 (the map puts all four reasons together). §6.",
    "06": "Notebooks 00 and 05. A Linux or macOS machine, or the bundled example run.",
    "07": "Notebooks 00, 01 and 05. Some idea of today's devices (SSDs, datacenter networks).",
}

#: Questions for discussion in class (hand-written, no numbers: the numbers are in the notebooks).
DISCUSSION = {
    "00": ["The paper names no threshold. Which threshold would you choose for a file server, a "
           "network stack, a window system, and why?",
           "Is 'IPC is slower than a system call' a fact about microkernels, or about a particular "
           "implementation? What would change the sign?"],
    "01": ["Which operating-system costs of your own computer ride the processor curve today, and "
           "which do not?",
           "Footnote 1 says IPC is ultimately limited by traps and context switches. What does that "
           "predict for the gap next to the service as processors keep getting faster?"],
    "02": ["§3 says the IPC path can be placed to avoid conflicts. Who would have to do that "
           "placement in a real system, and what could undo it (the DECstation 3100 relink)?",
           "Does 'caches, not address spaces' still hold with tagged TLBs, large caches and "
           "speculative-execution mitigations that flush state on every crossing?"],
    "02b": ["Why does a direct-mapped cache make placement matter so much more than an "
            "associative one?"],
    "03": ["Why do shared buffers need a notification at all? What does the choice of "
           "notification (system call vs RPC) buy and cost?",
           "Which of today's interfaces are shared buffers with a notification (io_uring, "
           "virtio rings, RDMA)? What do they save: copies, crossings, or wake-ups?"],
    "04": ["Which services in a modern OS are reached without a protection boundary (vDSO, "
           "user-space drivers, kernel-bypass networking)? What protection is given up, if any?",
           "Maeda & Bershad: 'the structure ... and not the location'. Is that claim falsifiable "
           "with the numbers the papers give?"],
    "05": ["Where on the regime map do today's NVMe SSDs and kernel-bypass networks put a "
           "microkernel? What would Bershad answer?",
           "An IPC-only model explains little of Mach's slowdown against Ultrix. Is that a point "
           "for or against the paper?"],
    "06": ["Your machine's IPC and system-call times: does the paper's argument hold on it, and "
           "for which devices does it fail?"],
    "07": ["Which of the paper's predictions aged well and which did not? Was the paper right for "
           "the right reasons?"],
}

#: Extra notes for the class split (hand-written; the exercise lists are generated).
SPLIT_NOTES = {
    "00": "In class, run the master explorer on a projector and collect predictions (a)–(d) "
          "before opening the answer block.",
    "01": "The footnote-1 explorer (section 4) is the best in-class discussion of the notebook.",
    "02": "Do the cold-path explorer in class; the DMA section works well as homework reading.",
    "03": "The X11 explorer is quick in class; the mapped-socket calibration is homework.",
    "04": "The protocol explorer plus written question W2 make a good 20-minute in-class debate.",
    "05": "The regime map is the in-class centrepiece; the whole-program section is homework.",
    "06": "Students run `python -m ipcmodel measure` before class (a minute or two).",
    "07": "Split the class by prediction; each group reports a verdict.",
}


def _stem(number: str) -> str:
    for stem, *_ in build_notebooks.SEQUENCE:
        if stem.split("_", 1)[0] == number:
            return stem
    raise KeyError(number)


def _title(number: str) -> tuple[str, str]:
    for stem, title, sections, _ in build_notebooks.SEQUENCE:
        if stem.split("_", 1)[0] == number:
            return title, sections
    raise KeyError(number)


def _objectives(text: str, ctx) -> list[str]:
    """The numbered learning objectives of a source, templates rendered."""
    block = text.split("**Learning objectives.**", 1)[-1].split("+++", 1)[0]
    items = re.findall(r"^\d+\.\s+(.*)$", block, flags=re.M)
    return [notebook_text.render(i, ctx, where="objectives").text for i in items]


def _set(number: str):
    """The notebook's exercise set at seed 0, or None when its topic module is missing."""
    if number not in TOPICS or importlib.util.find_spec(f"ipcmodel.exercises.{TOPICS[number]}") is None:
        return None
    kw = {}
    if number == "06":
        from ipcmodel.measure import load_example

        kw["run"] = load_example()
    return for_notebook(number, 0, **kw)


def _unit(u: str) -> str:
    return "" if not u else (u if u == "%" else " " + u)


def _timing(text: str) -> str:
    p = reading_time.parts(text)
    total = reading_time.estimate_minutes(text)
    return (f"About **{total} minutes** for a student working alone (`tools/reading_time.py`: "
            f"{p['words']} words of prose at {reading_time.WORDS_PER_MINUTE} words a minute, "
            f"{p['explorers']} explorer(s) at {reading_time.EXPLORER_MINUTES} minutes, "
            f"{p['exercises']} exercise(s) at {reading_time.EXERCISE_MINUTES} minutes, "
            f"{p['other_cells']} other code cells at {reading_time.CODE_CELL_MINUTES} minutes; "
            f"rounded up to {reading_time.ROUND_TO}). Written questions and class discussion "
            "come on top: allow 10–15 minutes per written question.")


def _split(number: str, exs) -> list[str]:
    lines = ["## Suggested split", ""]
    look = [e.id for e in exs if e.step == "look-up"] if exs else []
    other = [f"{e.id} ({e.step})" for e in exs if e.step and e.step != "look-up"] if exs else []
    lines.append("- **Pre-class reading** (about half the prose): the paper's claim and the model "
                 "sections, with the look-up exercises as a reading check"
                 + (f": {', '.join(look)}." if look else "."))
    lines.append("- **In class**: the explorers, with each *Predict, then move the slider* prompt "
                 "answered on paper before the answer block is opened. "
                 + SPLIT_NOTES.get(number, ""))
    hw = (f"the exercises that need a step the notebook does not print: {', '.join(other)}" if other
          else "the remaining exercises")
    if number in WRITTEN:
        hw += f", and the written questions W1–W{len(written_questions(number))}"
    lines.append(f"- **Homework**: {hw}. Give each student their own variants "
                 "(`exercise_set(seed=\"<login>\")`) and grade with "
                 f"`python -m ipcmodel answers --notebook {number} --student <login>`.")
    if exs is not None and number in ASSIGNMENTS:
        auto = sum(POINTS_BY_STEP.get(e.step, 1) for e in exs)
        written = sum(q.points for q in written_questions(number)) if number in WRITTEN else 0
        lines.append(f"- **As an nbgrader assignment**: `{ASSIGNMENTS[number]}` "
                     f"(`python -m ipcmodel.course --notebook {number}`), {auto} points "
                     "autograded" + (f" and {written} points of written questions graded by "
                                     "hand" if written else "")
                     + "; one seed for the whole class ([Grading](README.md#grading)).")
    return lines + [""]


def _answer_key(exs) -> list[str]:
    lines = ["## Answer key (default seed 0) with worked solutions", "",
             "The same key for any seed or student: `python -m ipcmodel answers --notebook NN "
             "[--seed S | --student ID] [--json]`. *Step*: look-up = printed above the exercise "
             "in the notebook (a reading check); apply / invert / combine = a step the notebook "
             "has not printed.", ""]
    for i, ex in enumerate(exs, 1):
        k = ex.key()
        lines += [f"### {i}. {k['title']} (`{k['id']}`, {k['step'] or 'unclassified'})", "",
                  f"> {k['question']}", "",
                  f"**Answer: {fmt(k['answer'])}{_unit(k['unit'])}** ({k['tolerance']}).", ""]
        if k["constraint"]:
            lines += [f"Condition the check enforces: {k['constraint']['why']}", ""]
        lines += ["```", k["solution"], "```", ""]
    return lines


def _misconceptions(exs) -> list[str]:
    lines = ["## Common misconceptions and the hint that catches them", "",
             "Each row is a slip the check recognises at seed 0: an answer within 2% of the value "
             "shown gets the hint instead of a plain \"too high/low\". Percentages given as "
             "fractions (or the reverse), and ns/ms for µs, are caught for every exercise.", "",
             "| exercise | misconception | the slip gives | hint shown |", "|---|---|---|---|"]
    n = 0
    for ex in exs:
        for s in ex.variant.slips:
            if ex._within(s.value, ex.answer):
                continue
            what = SLIP_KINDS.get(s.kind, s.kind)
            hint = s.hint.replace("|", "\\|")
            lines.append(f"| `{ex.id}` | {what} | {fmt(s.value)}{_unit(ex.unit)} | {hint} |")
            n += 1
    if not n:
        lines.append("| – | (no exercise-specific slips declared yet) | | |")
    return lines + [""]


def _written(number: str) -> list[str]:
    lines = ["## Written questions, model answers and rubrics", ""]
    if number not in WRITTEN:
        return lines + ["No written questions for this notebook yet: its explain/judge objectives "
                        "are assessed in class discussion (below).", ""]
    lines += ["Students see only the prompts (`written_questions(\"" + number + "\")` in the "
              "notebook); the model answers and rubrics are here only.", ""]
    for i, q in enumerate(written_questions(number), 1):
        lines += [f"### W{i} (objective {q.objective}, {q.points} points)", "", f"> {q.prompt}", "",
                  f"**Model answer.** {q.model_answer}", "", "**Rubric.**", ""]
        lines += [f"- {p} point{'s' if p != 1 else ''}: {c}" for p, c in q.rubric]
        lines.append("")
    return lines


def page(number: str, ctx) -> str:
    """The Markdown page of one notebook."""
    stem = _stem(number)
    title, sections = _title(number)
    text = (ROOT / "notebooks" / "src" / f"{stem}.md").read_text(encoding="utf-8")
    exs = _set(number)
    lines = [f"# Notebook {number}: {title}", "",
             "<!-- generated by tools/instructor_guide.py: do not edit by hand -->", "",
             f"Paper: {sections}. Student notebook: [`notebooks/{stem}.ipynb`](../../notebooks/{stem}.ipynb) "
             f"(source `notebooks/src/{stem}.md`). Back to the [instructor guide](README.md).", "",
             "## Learning objectives", ""]
    lines += [f"{i}. {o}" for i, o in enumerate(_objectives(text, ctx), 1)]
    lines += ["", "## Timing", "", _timing(text), "", "## Prerequisites", "",
              PREREQUISITES.get(number, "Notebook 00."), ""]
    lines += _split(number, exs)
    if exs is None:
        lines += ["## Answer key", "", "This notebook's exercises are not available in this "
                  "version of the package.", ""]
    else:
        if number == "06":
            from ipcmodel.answers import NOTE_06

            lines += [f"*{NOTE_06}*", ""]
        lines += _answer_key(exs) + _misconceptions(exs)
    lines += _written(number)
    lines += ["## Discussion questions", ""]
    lines += [f"- {q}" for q in DISCUSSION.get(number, [])] + [""]
    return "\n".join(lines).rstrip() + "\n"


def notebooks() -> list[str]:
    """Notebook numbers with a page: every source in SEQUENCE that exists."""
    out = []
    for stem, *_ in build_notebooks.SEQUENCE:
        if (ROOT / "notebooks" / "src" / f"{stem}.md").exists():
            out.append(stem.split("_", 1)[0])
    return out


README = """# Instructor guide

<!-- generated by tools/instructor_guide.py: do not edit by hand -->

Teaching notebooks for Bershad (1992), *The Increasing Irrelevance of IPC Performance for
Microkernel-Based Operating Systems*. One page per notebook: objectives, timing, prerequisites,
a suggested pre-class / in-class / homework split, the answer key with worked solutions, the
misconceptions the self-checks catch, written questions with model answers and rubrics, and
discussion questions. The pages are generated from the exercise code
(`python tools/instructor_guide.py`; `tests/docs/test_instructor_guide.py` fails when a committed
page is out of date), so the keys here are the values the notebooks check against.

| notebook | paper | time | exercises (look-up + other) | written questions |
|---|---|---|---|---|
{table}

## Adopting the notebooks

- **Binder** (nothing to install): the badges in the repository README and in every notebook's
  header open the notebook on mybinder.org in JupyterLab, or as a Voilà app for presenting.
  Sessions are temporary: students must download their notebook to keep their answers.
- **A course JupyterHub with nbgitpuller**: install the package once in the hub's image
  (`pip install -r binder/requirements.txt` and `pip install .`), then give students a link that
  clones or updates the notebooks in their home directory without overwriting their edits:
  `https://YOUR-HUB/hub/user-redirect/git-pull?repo=https://github.com/ipcmodel/ipcmodel&branch=main&urlpath=lab/tree/ipcmodel/notebooks/00_overview.ipynb`.
- **Any BinderHub**: the `binder/` folder works unchanged.

## Per-student variants and the answer key

- Every exercise set takes a seed or a **student identifier**: in a notebook,
  `exercise_set(seed="ada@uni.example")` (notebooks 00 and 05 also take `notebook="00"`/`"05"`),
  or `ipcmodel.exercises.for_notebook("02", seed="ada@uni.example")`. The identifier is trimmed,
  case-folded and hashed (SHA-256) to a seed, so it gives the same variants on every machine;
  variants differ in their inputs (machine, device, threshold, line size, ...), not only in
  wording.
- The key for any seed or student: `python -m ipcmodel answers [--notebook NN] [--seed S |
  --student ID] [--json]`, computed by the same code as the check. Notebook 06's key is for the
  bundled example run only (its exercises use the student's own measurements).
- `IPCMODEL_SHOW_ANSWERS=1` (environment) or `exercise_set(show_answers=True)` shows answers and
  worked solutions inline, for a projector.
- An empty answer (`check(None)`, as the notebooks are handed out) shows a neutral "no answer
  yet". A wrong answer gets how far off it is (in percentage points for percentages), a
  targeted hint for the slips listed on each page, and a unit written with the number is read
  in that unit.

## Grading

- **nbgrader** (the tool courses use to hand out and grade notebooks) is an optional extra, not
  a dependency of the notebooks: `pip install -e ".[course]"` installs nbgrader 0.9.6.
  1. `python -m ipcmodel.course` (or `make assignments`) writes an nbgrader *source*
     assignment per notebook with exercises, `build/course/source/<notebook>/<notebook>_exercises.ipynb`,
     and `build/course/nbgrader_config.py` (written once; your edits are kept). Options:
     `--out DIR`, `--notebook NN` (repeatable), `--seed S`.
  2. Each exercise becomes its question, an answer cell (an nbgrader solution cell: the worked
     solution and the answer of the key between `### BEGIN SOLUTION` and `### END SOLUTION`)
     and a locked autograder test cell that calls the notebook's own check
     (`for_notebook("00", seed=0)["break-even"].check(answer_1)`) and prints its feedback:
     {points}.
     Each written question becomes a manually graded Markdown cell worth its rubric's points,
     with the model answer and the rubric in the solution region.
  3. In `build/course`, with the environment's `bin/` on `PATH` (nbgrader runs `alembic`):
     `nbgrader generate_assignment 00_overview` writes `release/00_overview/` without the
     solutions. Hand it out (nbgrader's exchange, nbgitpuller or your LMS).
  4. Put the collected notebooks in `submitted/<student>/00_overview/` (or `nbgrader collect`),
     then `nbgrader autograde 00_overview`: an empty answer shows "no answer yet" and scores 0,
     a correct one full marks. Grade the written answers in `nbgrader formgrader` with the
     rubrics on these pages; `nbgrader export` writes the grades as CSV.
  - Grade with the ipcmodel that generated the assignment: the test cells check against the
    answers of the kernel's ipcmodel (computed from `data/`), and each notebook's setup cell
    prints a warning when those differ from the answers it was generated with.
  - nbgrader releases one notebook to the whole class, so an assignment has one seed: use
    `--seed` for a new variant each term. Per-student variants stay with
    `exercise_set(seed="<login>")` and `python -m ipcmodel answers --student <login>`.
  - Notebook 06's assignment uses the bundled example run (its numbers are in each question),
    not each student's machine.
  - The package computes every answer by design (`show_solution()`, like OSTEP's simulators), so
    a student with ipcmodel installed can look an answer up: the autograded exercises are
    practice with feedback; the written questions are the place to assess understanding.
- Without nbgrader: collect the notebooks and compare each student's answers with
  `python -m ipcmodel answers --student <login> --json`.
- Written questions are not auto-checked; each page gives a model answer and a rubric.
"""


def readme(numbers: list[str], ctx) -> str:
    rows = []
    for number in numbers:
        stem = _stem(number)
        title, sections = _title(number)
        text = (ROOT / "notebooks" / "src" / f"{stem}.md").read_text(encoding="utf-8")
        exs = _set(number)
        if exs is None:
            counts = "not available"
        elif not all(e.step for e in exs):
            counts = f"{len(exs)} (steps not classified)"
        else:
            look = sum(e.step == "look-up" for e in exs)
            counts = f"{len(exs)} ({look} + {len(exs) - look})"
        nw = len(written_questions(number)) if number in WRITTEN else 0
        rows.append(f"| [{number}: {title}]({number}.md) | {sections} | "
                    f"{reading_time.estimate_minutes(text)} min | {counts} | {nw} |")
    look, step = POINTS_BY_STEP["look-up"], POINTS_BY_STEP["apply"]
    points = (f"{look} point{'s' if look != 1 else ''} for a look-up, {step} for an exercise "
              "that needs a step the notebook has not printed")
    return README.replace("{table}", "\n".join(rows)).replace("{points}", points)


def generate() -> dict[str, str]:
    """Every page of the guide: file name -> text."""
    ctx = notebook_text.make_context()
    numbers = notebooks()
    pages = {f"{n}.md": page(n, ctx) for n in numbers}
    pages["README.md"] = readme(numbers, ctx)
    return pages


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed page differs")
    args = ap.parse_args(argv)
    pages = generate()
    stale = [n for n, t in pages.items()
             if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != t]
    if args.check:
        for n in stale:
            print(f"out of date: docs/instructor/{n}")
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for n, t in pages.items():
        (OUT / n).write_text(t, encoding="utf-8")
    print(f"wrote {len(pages)} pages to {OUT.relative_to(ROOT)} ({len(stale)} changed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
