"""A worked :class:`Solution` and a notebook's :class:`ExerciseSet` (re-exported by
:mod:`ipcmodel.exercises.core`, where the exercises themselves live)."""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel.exercises.feedback import Feedback

__all__ = ["Solution", "ExerciseSet"]


@dataclass(frozen=True, repr=False)
class Solution:
    """A worked solution; shows as text, Markdown or HTML."""

    title: str
    text: str

    def __str__(self) -> str:
        return f"{self.title}\n{self.text}"

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return f"**{self.title}**\n\n```\n{self.text}\n```"


class ExerciseSet:
    """A notebook's exercises, listed together; index by position or id."""

    def __init__(self, title: str, exercises, show_answers: bool | None = None):
        self.title, self.exercises = title, list(exercises)
        if show_answers is not None:
            for ex in self.exercises:
                ex.show_answers = show_answers

    def __iter__(self):
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.exercises[key]
        for ex in self.exercises:
            if ex.id == key:
                return ex
        raise KeyError(f"no exercise {key!r}; this set has {self.ids}")

    @property
    def ids(self) -> list[str]:
        return [ex.id for ex in self.exercises]

    def check(self, key, answer) -> Feedback:
        """``check(id, answer)``; an unknown id is feedback too, not an exception."""
        try:
            ex = self[key]
        except (KeyError, IndexError) as exc:
            return Feedback(False, "error", str(exc))
        return ex.check(answer)

    def __str__(self) -> str:
        return "\n\n".join([self.title, *(f"{i}. {ex}" for i, ex in enumerate(self.exercises, 1))])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return "\n\n".join([f"### {self.title}",
                            *(f"{i}. {ex._repr_markdown_()}" for i, ex in enumerate(self.exercises, 1))])
