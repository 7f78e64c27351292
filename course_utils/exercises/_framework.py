"""A small exercise framework: ``check()``, tiered ``hint()``, ``solution()``.

A notebook cell holds a placeholder the student replaces, then checks it::

    centres = ...  # your answer
    q1.check(centres)

``...`` (or ``None``) reads as *not attempted*, never as wrong. Known mistakes get a message
that names them. With the environment variable ``COURSE_SOLUTIONS=1`` (the instructor build)
``check`` ignores the placeholder and checks — and shows — the exercise's own solution.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_COLOURS = {
    "correct": "#228833",
    "incorrect": "#EE6677",
    "not attempted": "#4477AA",
    "hint": "#4477AA",
    "solution": "#AA3377",
}
_TITLES = {
    "correct": "Correct",
    "incorrect": "Not quite",
    "not attempted": "Not attempted yet",
    "hint": "Hint",
    "solution": "Solution",
}


@dataclass(frozen=True)
class Feedback:
    """What a check, hint or solution says: plain text anywhere, coloured in Jupyter."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        return f"{_TITLES[self.status]}: {self.message}"

    def _repr_markdown_(self) -> str:
        colour = _COLOURS[self.status]
        return f'<span style="color:{colour}">**{_TITLES[self.status]}:**</span> {self.message}'


def solutions_mode() -> bool:
    """True in the instructor build (``COURSE_SOLUTIONS=1``)."""
    return os.environ.get("COURSE_SOLUTIONS", "") not in ("", "0")


@dataclass
class Exercise:
    """One exercise.

    Parameters
    ----------
    name : str, e.g. "Exercise 1"
    is_correct : callable(answer) -> bool
    solution_value : callable() -> answer
        Builds the reference answer (a callable, so that nothing is computed at import).
    solution_text : str, markdown shown by ``solution()``
    hints : sequence of str, from gentle to explicit
    mistakes : sequence of (callable(answer) -> bool, message)
        Known wrong answers, tried in order before the generic message.
    wrong_message : str, said of any other wrong answer
    validate : callable(answer) -> str or None
        Returns a message when the answer has the wrong form (shape, type).
    """

    name: str
    is_correct: Callable
    solution_value: Callable
    solution_text: str
    hints: Sequence[str]
    mistakes: Sequence[tuple[Callable, str]] = field(default_factory=tuple)
    wrong_message: str = "that is not it yet. Try `hint()`."
    validate: Callable | None = None

    def check(self, answer=None) -> Feedback:
        """Check ``answer``; ``...`` or ``None`` means not attempted."""
        if solutions_mode():
            answer = self.solution_value()
            verdict = self._verdict(answer)
            return Feedback(verdict.status, f"{self.solution_text} — {verdict.message}")
        if answer is None or answer is Ellipsis:
            return Feedback("not attempted", f"{self.name}: replace the `...` with your answer.")
        return self._verdict(answer)

    def _verdict(self, answer) -> Feedback:
        if self.validate is not None:
            problem = self.validate(answer)
            if problem:
                return Feedback("incorrect", problem)
        try:
            if self.is_correct(answer):
                return Feedback("correct", f"{self.name} solved.")
        except (TypeError, ValueError, ArithmeticError) as error:
            return Feedback("incorrect", f"your answer could not be checked ({error}).")
        for recognise, message in self.mistakes:
            try:
                if recognise(answer):
                    return Feedback("incorrect", message)
            except (TypeError, ValueError, ArithmeticError):
                continue
        return Feedback("incorrect", self.wrong_message)

    def hint(self, n: int = 1) -> Feedback:
        """The ``n``-th hint (1 is the gentlest)."""
        if not 1 <= n <= len(self.hints):
            raise ValueError(f"n must be in 1..{len(self.hints)}, got {n}")
        return Feedback("hint", self.hints[n - 1])

    def solution(self) -> Feedback:
        """The solution, in words and code."""
        return Feedback("solution", self.solution_text)
