"""Seeded exercises with a self-check: one module per topic, on :mod:`ipcmodel.exercises.core`.

Every topic module has one entry point, ``exercise_set(seed=0, *, show_answers=None)``
(:mod:`~ipcmodel.exercises.service` serves notebooks 00 and 05 and also takes ``notebook=``;
:mod:`~ipcmodel.exercises.yourmachine` takes the probe run first). :func:`for_notebook` finds
the set by notebook. Importing this package imports no topic module (and never matplotlib or
ipywidgets: the exercises need neither).

>>> for_notebook("02_caches").ids[0]
'footprint'
>>> for_notebook("02", seed="ada@uni.example")[0].seed == for_notebook("02", seed=" ADA@uni.example")[0].seed
True
"""

from __future__ import annotations

import importlib
import re

__all__ = ["TOPICS", "for_notebook"]

#: Notebook number -> topic module of its exercises (the topic word of the notebook table).
TOPICS = {
    "00": "service",
    "01": "trends",
    "02": "caches",
    "02b": "cachelab",
    "03": "transfer",
    "04": "firewall",
    "05": "service",
    "06": "yourmachine",
    "07": "history",
}


def for_notebook(stem_or_number, seed: int | str = 0, **kw):
    """The exercise set of a notebook, importing only its topic module.

    Parameters
    ----------
    stem_or_number : str or int
        ``"02"``, ``2``, ``"02_caches"`` or a path such as ``"notebooks/02_caches.ipynb"``.
    seed : int or str
        Which variants (0 = the paper's examples), or a student identifier: a str such as a
        login or an e-mail address, mapped stably to a seed by
        :func:`ipcmodel.exercises.core.seed_for` (SHA-256 of the trimmed, case-folded text), so
        every student gets their own variants, the same ones every time.
    **kw
        Passed to the topic's ``exercise_set``: ``show_answers=``; for notebook 06 also
        ``run=`` (the notebook's :class:`~ipcmodel.yourmachine.MachineRun` or a probe result).

    Returns
    -------
    ExerciseSet

    Raises
    ------
    ValueError
        For a notebook without exercises.
    TypeError
        For notebook 06 without ``run=``.
    """
    if isinstance(stem_or_number, int) and not isinstance(stem_or_number, bool):
        number = f"{stem_or_number:02d}"
    else:
        name = re.split(r"[\\/]", str(stem_or_number))[-1]
        m = re.match(r"(\d\d[a-z]?)(?:_|\.|$)", name)
        number = m.group(1) if m else name
    if number not in TOPICS:
        raise ValueError(f"stem_or_number must name a notebook with exercises, one of "
                         f"{sorted(TOPICS)}; got {stem_or_number!r}")
    from ipcmodel.exercises.core import seed_for

    seed = seed_for(seed)  # every topic module gets an int
    module = importlib.import_module(f"ipcmodel.exercises.{TOPICS[number]}")
    if number == "06":
        if "run" not in kw:
            raise TypeError("notebook 06's exercises need run= (the notebook's MachineRun or a "
                            "ProbeResult): for_notebook('06', run=run)")
        return module.exercise_set(kw.pop("run"), seed, **kw)
    if TOPICS[number] == "service":
        kw["notebook"] = number
    return module.exercise_set(seed, **kw)
