"""Replace one marked section of benchmarks/README.md (shared by the benchmark scripts)."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def replace_section(start: str, end: str, section: str, heading: str = "", readme: Path = README) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) in place of the text
    between the two markers; append it (under ``heading``) when the markers are not there yet."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + (f"## {heading}\n\n" if heading else "") + section + "\n"
    readme.write_text(text, encoding="utf-8")
