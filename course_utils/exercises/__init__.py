"""Exercises a student checks on the spot, one module per notebook (``nb01`` ... ``nb06``).

In a notebook::

    from course_utils.exercises.nb01 import q1, q2, q3

    centres_for_3 = ...   # the student replaces the ... and runs the cell
    q1.check()            # "Not attempted yet", "Not quite: <what is wrong>" or "Correct"
    q1.hint()             # q1.hint(2): the next, more explicit hint
    q1.solution()         # the solution, in words and code

An untouched placeholder reads as *not attempted*, never as wrong, so the stored notebooks
print a stable line that nbval compares. With ``COURSE_SOLUTIONS=1`` (the instructor build)
every ``check()`` applies and checks the exercise's own solution instead. The framework and
its rules are in :mod:`course_utils.exercises._framework`.

:func:`check_all` solves and checks every exercise; :func:`catalogue` lists every exercise
with the wrong answers it recognises.
"""

import importlib
import pkgutil

from ._framework import Exercise, Mistake, Result, is_placeholder, near_value, solutions_mode

# Every module ``nbNN`` in this package is a notebook's exercises: a new notebook's module is
# found without being listed anywhere.
_MODULES = tuple(
    importlib.import_module(f"{__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    if info.name[:2] == "nb" and info.name[2:].isdigit()
)

EXERCISES: dict[str, dict[str, Exercise]] = {
    module.__name__.rsplit(".", 1)[-1]: {
        name: value for name, value in vars(module).items() if isinstance(value, Exercise)
    }
    for module in _MODULES
}


def check_all() -> dict[str, Result]:
    """Every exercise's own solution, run and checked: ``{"nb01.q1": Result, ...}``."""
    return {
        f"{notebook}.{name}": exercise.judge(exercise.solve())
        for notebook, exercises in EXERCISES.items()
        for name, exercise in exercises.items()
    }


def catalogue() -> str:
    """Markdown: every exercise with the wrong answers it recognises by name."""
    lines = []
    for notebook, exercises in EXERCISES.items():
        for name, exercise in exercises.items():
            mistakes = "; ".join(m.name for m in exercise.mistakes) or "none"
            lines.append(f"- `{notebook}.{name}` {exercise.topic}: {mistakes}")
    return "\n".join(lines)


__all__ = [
    "EXERCISES",
    "Exercise",
    "Mistake",
    "Result",
    "catalogue",
    "check_all",
    "is_placeholder",
    "near_value",
    "solutions_mode",
]
