"""Compare the saved notebooks with a git revision: did a rebuild change what a reader sees?

For each ``notebooks/NN_name.ipynb`` the working-tree file is compared with the same file at a
git revision (default ``HEAD``), cell by cell: cell type, id, tags, source, and the text of every
output (stream text, ``text/plain``, ``text/html``, ``text/markdown``, errors). Ignored: PNG
images, widget model ids (and the notebook's stored widget state), execution counts and timing
metadata, ``language_info``. A difference in a cell tagged ``nbval-ignore-output`` (a widget, or
text that depends on the machine) is reported apart from the others.

Usage::

    python tools/compare_notebooks.py [--rev REV] [--quiet] [NAME ...]

Exit status 0 when nothing but ignored or ``nbval-ignore-output`` cells differ, 1 otherwise.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
IGNORED_MIME = ("image/png", "image/jpeg", "image/svg+xml")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MACHINE_TAG = "nbval-ignore-output"

__all__ = ["cell_view", "compare", "main"]


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_view(output: dict) -> list[str]:
    """The reader-visible text of one output, as lines ``[kind] text``."""
    kind = output.get("output_type")
    if kind == "stream":
        return [f"[{output.get('name', 'stream')}] {_text(output.get('text', ''))}"]
    if kind == "error":
        return [f"[error] {output.get('ename')}: {output.get('evalue')}"]
    lines = []
    for mime, value in sorted(output.get("data", {}).items()):
        if mime in IGNORED_MIME:
            continue
        if mime == WIDGET_MIME:
            lines.append(f"[{mime}] (a widget view)")
            continue
        lines.append(f"[{mime}] {_text(value) if isinstance(value, (str, list)) else json.dumps(value)}")
    return lines


def cell_view(cell: dict) -> str:
    """One cell as comparable text: type, id, tags, source, outputs (ignored parts left out)."""
    tags = cell.get("metadata", {}).get("tags", [])
    parts = [f"<{cell['cell_type']} {cell.get('id', '')} tags={tags}>", _text(cell.get("source", ""))]
    for output in cell.get("outputs", []):
        parts.append("--- output")
        parts.extend(_output_view(output))
    return "\n".join(parts)


def _at_revision(rev: str, path: Path) -> dict | None:
    rel = path.relative_to(ROOT).as_posix()
    done = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else None


def compare(old: dict, new: dict, name: str = "") -> tuple[list[str], list[str]]:
    """Differences between two notebooks: (differences, differences in ``nbval-ignore-output`` cells).

    Each difference is a printable block naming the cell (its index and id) with a unified diff.
    """
    differences, machine = [], []
    a = [cell_view(c) for c in old["cells"]]
    b = [cell_view(c) for c in new["cells"]]
    if len(a) != len(b):
        differences.append(f"{name}: {len(a)} cells before, {len(b)} now")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        extra_old = list(range(i1 + len(pairs), i2))
        extra_new = list(range(j1 + len(pairs), j2))
        for i, j in pairs:
            diff = "\n".join(difflib.unified_diff(a[i].splitlines(), b[j].splitlines(), "before", "now",
                                                  lineterm="", n=1))
            block = f"{name} cell {j} ({new['cells'][j].get('id', '')}):\n{diff}"
            tags = set(old["cells"][i].get("metadata", {}).get("tags", []))
            tags |= set(new["cells"][j].get("metadata", {}).get("tags", []))
            same_source = _text(old["cells"][i].get("source", "")) == _text(new["cells"][j].get("source", ""))
            (machine if MACHINE_TAG in tags and same_source else differences).append(block)
        differences += [f"{name}: cell {i} removed:\n{a[i]}" for i in extra_old]
        differences += [f"{name}: cell {j} added:\n{b[j]}" for j in extra_new]
    return differences, machine


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help="notebook stems or prefixes (default: all)")
    p.add_argument("--rev", default="HEAD", help="git revision to compare with (default HEAD)")
    p.add_argument("--quiet", action="store_true", help="one summary line per notebook, no diffs")
    args = p.parse_args(argv)
    paths = sorted(NB_DIR.glob("*.ipynb"))
    if args.names:
        paths = [q for q in paths if any(q.stem.startswith(n) for n in args.names)]
    failed = False
    for path in paths:
        old = _at_revision(args.rev, path)
        if old is None:
            print(f"{path.stem}: not in {args.rev} (new notebook)")
            continue
        new = json.loads(path.read_text(encoding="utf-8"))
        differences, machine = compare(old, new, path.stem)
        failed |= bool(differences)
        print(f"{path.stem}: {len(differences)} cells differ, "
              f"{len(machine)} {MACHINE_TAG} cells differ in output only")
        if not args.quiet:
            for block in differences:
                print(block, end="\n\n")
            for block in machine:
                print(f"[{MACHINE_TAG}] {block}", end="\n\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
