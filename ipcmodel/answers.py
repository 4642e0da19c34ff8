"""The answer key of the notebooks' exercises, for any seed or student: ``python -m ipcmodel answers``.

The key is computed by the very objects the notebooks check against
(:func:`ipcmodel.exercises.for_notebook` → :meth:`~ipcmodel.exercises.core.Exercise.key`), so
the answer printed here is the value ``check`` compares with, and cannot drift from it.

Notebook 06's exercises are about the student's own machine: its key here uses the bundled
example run (:func:`ipcmodel.measure.load_example`), which is right only for that run.

Example
-------
>>> key = answer_key("00", seed=0)
>>> key[0]["notebook"], key[0]["exercises"][0]["id"]
('00', 'break-even')
"""

from __future__ import annotations

import json
import textwrap

__all__ = ["answer_key", "format_key", "key_json", "NOTE_06"]

#: What the key of notebook 06 is (the student's machine is not the example's).
NOTE_06 = ("Notebook 06 asks about the student's own machine: this key uses the bundled example "
           "run (ipcmodel.measure.load_example()) and is right only for it; a student's own "
           "answers come from their notebook (ex.show_solution()).")


def _notebooks(notebook) -> list[str]:
    from ipcmodel.exercises import TOPICS

    if notebook is None:
        return sorted(TOPICS)
    if isinstance(notebook, int) and not isinstance(notebook, bool):
        return [f"{notebook:02d}"]
    text = str(notebook).strip()
    return [text.zfill(2) if text.isdigit() else text]


def answer_key(notebook=None, seed: int | str = 0) -> list[dict]:
    """The answer key of one notebook (``"02"``, ``2``, ``"02b"``) or of all of them (None).

    Parameters
    ----------
    notebook : str or int, optional
        A notebook with exercises (see :data:`ipcmodel.exercises.TOPICS`); None = all.
    seed : int or str
        The variant seed, or a student identifier (:func:`ipcmodel.exercises.core.seed_for`).

    Returns
    -------
    list of dict
        One dict per notebook: ``notebook``, ``title``, ``seed`` (the int used), ``student``
        (the identifier or None), ``note``, and ``exercises`` (:meth:`Exercise.key` each), or
        ``unavailable`` (why there is no key, e.g. a topic module not installed) instead.

    Raises
    ------
    ValueError
        For a notebook without exercises, a negative seed or an empty student identifier.
    """
    from ipcmodel.exercises import TOPICS, for_notebook
    from ipcmodel.exercises.core import seed_for

    seed_int = seed_for(seed)
    out = []
    for nb in _notebooks(notebook):
        if nb not in TOPICS:
            raise ValueError(f"notebook must be one of {sorted(TOPICS)}; got {notebook!r}")
        entry = {"notebook": nb, "seed": seed_int,
                 "student": seed if isinstance(seed, str) else None,
                 "note": NOTE_06 if nb == "06" else ""}
        kw = {}
        if nb == "06":
            from ipcmodel.measure import load_example

            kw["run"] = load_example()
        try:
            s = for_notebook(nb, seed_int, **kw)
        except ImportError as exc:  # a topic module another change has not added yet
            entry.update(title="", unavailable=f"no exercises importable: {exc}")
            out.append(entry)
            continue
        entry.update(title=s.title, exercises=[ex.key() for ex in s])
        out.append(entry)
    return out


def key_json(notebook=None, seed: int | str = 0) -> str:
    """:func:`answer_key` as JSON text."""
    return json.dumps(answer_key(notebook, seed), indent=2, ensure_ascii=False)


def _num(x: float) -> str:
    return f"{x:.6g}"


def format_key(keys: list[dict]) -> str:
    """The key as plain text: per exercise its answer (6 significant digits), the tolerance,
    the question and the worked solution."""
    lines = []
    for k in keys:
        who = f"student {k['student']!r} -> seed {k['seed']}" if k["student"] else f"seed {k['seed']}"
        lines.append(f"{k['title'] or 'Notebook ' + k['notebook'] + ': (no exercises)'}  [{who}]")
        if k.get("note"):
            lines.extend(textwrap.wrap(k["note"], 96, initial_indent="  ", subsequent_indent="  "))
        if "unavailable" in k:
            lines.append(f"  {k['unavailable']}")
            lines.append("")
            continue
        for i, e in enumerate(k["exercises"], 1):
            step = f" [{e['step']}]" if e["step"] else ""
            unit = "" if not e["unit"] else (e["unit"] if e["unit"] == "%" else " " + e["unit"])
            lines.append(f"  {i}. {e['id']}{step}: {_num(e['answer'])}{unit}  ({e['tolerance']})")
            lines.extend(textwrap.wrap(e["question"], 96, initial_indent="     Q: ",
                                       subsequent_indent="        "))
            lines.extend("     | " + line for line in e["solution"].splitlines())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
