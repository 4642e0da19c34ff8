"""``python -m ipcmodel answers`` (issue 13): the key for any seed or student, computed by the
same code as the check, so the printed answer is the one ``check`` accepts."""

import json

import pytest

from ipcmodel import answers
from ipcmodel.__main__ import main
from ipcmodel.exercises import for_notebook
from ipcmodel.exercises.core import seed_for

NOTEBOOKS = ("00", "01", "02", "03", "04", "05")
SEEDS = (0, 3, 17, "ada@uni.example")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("number", NOTEBOOKS)
def test_the_key_is_what_check_accepts(number, seed):
    (key,) = answers.answer_key(number, seed)
    exs = for_notebook(number, seed)
    assert key["seed"] == seed_for(seed) and [e["id"] for e in key["exercises"]] == exs.ids
    for entry, ex in zip(key["exercises"], exs, strict=True):
        assert entry["answer"] == ex.answer
        assert ex.check(entry["answer"]).correct
        assert ex.check(f"{entry['answer']:.6g}{'' if not ex.unit else ' ' + ex.unit}").correct


@pytest.mark.parametrize("seed", [0, 5])
def test_cli_json_equals_the_check(capsys, seed):
    assert main(["answers", "--notebook", "02", "--seed", str(seed), "--json"]) == 0
    (key,) = json.loads(capsys.readouterr().out)
    exs = for_notebook("02", seed)
    assert key["notebook"] == "02" and key["student"] is None
    assert [e["answer"] for e in key["exercises"]] == [ex.answer for ex in exs]
    assert all(ex.check(e["answer"]).correct for e, ex in zip(key["exercises"], exs, strict=True))


def test_cli_text_for_a_student(capsys):
    assert main(["answers", "--notebook", "1", "--student", "ada"]) == 0
    out = capsys.readouterr().out
    exs = for_notebook("01", "ada")
    assert out.startswith("Notebook 01") and f"seed {seed_for('ada')}" in out and "'ada'" in out
    for ex in exs:
        assert f"{ex.id} [{ex.step}]: {ex.answer:.6g}" in out
        assert ex.variant.solution.splitlines()[0] in out


def test_cli_all_notebooks(capsys):
    assert main(["answers"]) == 0
    out = capsys.readouterr().out
    for number in (*NOTEBOOKS, "06", "07"):
        assert f"Notebook {number}" in out
    assert "example run" in out   # notebook 06's key is the bundled example's


@pytest.mark.parametrize("argv", [["answers", "--notebook", "99"],
                                  ["answers", "--seed", "-1"],
                                  ["answers", "--seed", "1", "--student", "ada"],
                                  ["answers", "--student", " "]])
def test_cli_refuses_bad_arguments(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2 and "answers" in capsys.readouterr().err


def test_python_dash_m_wiring():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "ipcmodel", "answers", "--notebook", "00", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    (key,) = json.loads(proc.stdout)
    assert [e["answer"] for e in key["exercises"]] == [ex.answer for ex in for_notebook("00")]
