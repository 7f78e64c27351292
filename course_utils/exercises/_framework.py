"""The exercise framework: an :class:`Exercise` with ``check()``, ``hint(n)``, ``solution()``.

How an exercise looks in a notebook (two code cells, after a markdown cell with the question)::

    centres_for_3 = ...  # your answer            <- the student edits this cell

    q1.check()                                    <- and runs this one

``check()`` with no argument reads the exercise's variable (here ``centres_for_3``) from the
namespace of the code that calls it, i.e. the notebook's; ``check(answer)`` judges ``answer``.
The verdict is a :class:`Result`: coloured HTML in Jupyter, one short deterministic line of
plain text elsewhere (nbval compares it). Its status is one of

- ``"not attempted"``: the placeholder is untouched (``...``, ``None``, anything still holding
  a ``...``, a function whose body is ``...``), or the variable is not defined yet;
- ``"incorrect"``: with the message of the first :class:`Mistake` the answer matches (a known
  wrong answer, e.g. a loss with the wrong sign), or a general one;
- ``"correct"``.

Solutions live here, as code (``Exercise.solution_code``), never in the notebooks.
``exercise.solve()`` runs that code in a fresh namespace (``np`` and ``cu`` =
``course_utils`` imported) and returns the answer it computes; ``exercise.check(
exercise.solve())`` is correct for every exercise (the tests and :func:`check_all` say so).

Instructor mode: with the environment variable ``COURSE_SOLUTIONS=1`` (``make build`` renders
the instructor pages so), ``check()`` ignores the placeholder, applies the solution — runs its
code and puts the answer into the notebook under the exercise's variable — checks it and
shows the code. The notebooks are the same for students and instructors.
"""

from __future__ import annotations

import dis
import html
import math
import numbers
import os
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

# Answers rounded to two or three significant digits pass the numeric checks.
RTOL = 0.01
# A refused number this close to the answer (or to a known wrong number) was rounded too
# early: the student is told so.
CLOSE = 0.05

_FROM_NOTEBOOK = object()  # check() without an argument: read the answer from the caller

# Paul Tol's colour-blind-safe "bright" scheme, as in course_utils.plots.style; the status
# is also spelled out, so colour is never the only cue.
_STYLE = {  # status: (label, colour, symbol)
    "correct": ("Correct", "#228833", "✔"),
    "incorrect": ("Not quite", "#EE6677", "✘"),
    "not attempted": ("Not attempted yet", "#4477AA", "…"),
    "hint": ("Hint", "#CCBB44", "ℹ"),
    "solution": ("Solution", "#AA3377", "✎"),
}


@dataclass(frozen=True)
class Result:
    """What ``check``, ``hint`` and ``solution`` return; Jupyter displays it.

    Attributes
    ----------
    status : {"correct", "incorrect", "not attempted", "hint", "solution"}
    title : str, the exercise, e.g. "Exercise 1 (the class centres)"
    message : str, plain text; `backticks` mark code
    code : str, code shown under the message ("" for none)
    label : str, how the status reads ("" for the status's own, e.g. "Correct")
    """

    status: str
    title: str
    message: str
    code: str = ""
    label: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        text = f"{self.label or _STYLE[self.status][0]}: {self.title} — {self.message}"
        return f"{text}\n{self.code}" if self.code else text

    def _repr_html_(self) -> str:
        default_label, colour, symbol = _STYLE[self.status]
        label = html.escape(self.label or default_label)
        pre = '<pre style="font-family: monospace; margin: 0.4em 0 0;">'
        code = f"{pre}{html.escape(self.code)}</pre>" if self.code else ""
        # The colour marks the border and a translucent tint; the text keeps the theme's
        # colour, so it stays readable on light and dark themes alike.
        return (
            f'<div style="border-left: 4px solid {colour}; background: {colour}1f; '
            f'padding: 0.3em 0.8em; margin: 0.2em 0;">'
            f"<strong>{symbol} {label}:</strong> "
            f"{html.escape(self.title)} — {_inline_code(self.message)}{code}</div>"
        )


def _inline_code(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students often give, and what to tell them.

    Attributes
    ----------
    name : str, a few words for the list of recognised mistakes
    test : callable(answer) -> bool, True when the answer makes this mistake
    message : str, or callable(answer) -> str
    example : an answer that makes the mistake (the tests check that it gets the message)
    value : float or None, the wrong number itself, for mistakes made by :func:`near_value`:
        an answer within 5 % of it (too few digits) still gets this message
    """

    name: str
    test: Callable[[Any], bool]
    message: str | Callable[[Any], str]
    example: Any
    value: float | None = None


def near_value(
    value: float,
    name: str,
    message: str | Callable[[Any], str],
    *,
    rtol: float = RTOL,
    atol: float = 0.0,
) -> Mistake:
    """Return a :class:`Mistake` for a numeric answer within ``rtol`` (or ``atol``) of ``value``.

    The value is written once: it is what the test compares with and the example the tests
    feed back. ``near_value(0.1, "the same learning rate", "…")`` replaces
    ``Mistake("the same learning rate", lambda lr: near(lr, 0.1), "…", 0.1)``.

    Parameters
    ----------
    value : float
        The wrong answer the mistake stands for.
    name : str
        A few words for the list of recognised mistakes.
    message : str or callable(answer) -> str
        What to tell a student whose answer is near ``value``.
    rtol, atol : float
        Relative and absolute tolerance, as in :func:`near`.

    Returns
    -------
    Mistake
    """
    value = float(value)
    return Mistake(name, lambda answer: near(answer, value, rtol, atol), message, value, value)


def returns_none(call: Callable[[Callable], Any], ending: str, example: Callable) -> Mistake:
    """Return a :class:`Mistake` for a function answer that computes but forgets ``return``.

    Parameters
    ----------
    call : callable(function) -> Any
        Calls the student's function on a small case.
    ending : str
        How the function should end, e.g. ``"`return np.array(path)`"``.
    example : callable
        A function with the mistake, for the tests to feed back.

    Returns
    -------
    Mistake
    """
    return Mistake(
        "the function returns None",
        lambda function: call(function) is None,
        f"your function returns None: end it with {ending}.",
        example,
    )


def _static_page() -> bool:
    """Return True while ``make build`` renders the static site (``COURSE_STATIC=1``)."""
    return os.environ.get("COURSE_STATIC", "") not in ("", "0")


# The static site's two views of a check cell, in one display bundle; the build keeps one.
SOLUTION_MIMETYPE = "application/vnd.course.solution+json"


@dataclass(frozen=True)
class StaticCheck:
    """What ``check()`` shows on the static site, where no kernel can run it.

    For students (``text/html``): the exercise's hints as collapsed ``<details>`` blocks,
    readable without a kernel. For instructors (:data:`SOLUTION_MIMETYPE`): the solution,
    applied and checked. ``make build`` keeps only the first in the student site and puts
    the second in its place in the instructor site.
    """

    exercise: Exercise

    def __repr__(self) -> str:
        count = len(self.exercise.hints)
        return f"{self.exercise.title}: {count} hint{'s' * (count != 1)} below"

    def _repr_mimebundle_(self, **kwargs):
        hints = "".join(
            f"<details><summary>Hint {n} of {len(self.exercise.hints)}</summary>"
            f"<p>{_inline_code(text)}</p></details>"
            for n, text in enumerate(self.exercise.hints, start=1)
        )
        solution = self.exercise._apply_solution({})  # a scratch namespace: nothing leaks
        return {
            "text/plain": repr(self),
            "text/html": f'<div class="exercise-hints">{hints}</div>',
            SOLUTION_MIMETYPE: {"text/plain": repr(solution), "text/html": solution._repr_html_()},
        }


def solutions_mode() -> bool:
    """Return True in the instructor build (``COURSE_SOLUTIONS`` set, not 0)."""
    return os.environ.get("COURSE_SOLUTIONS", "") not in ("", "0")


def is_placeholder(answer) -> bool:
    """``None``, ``...``, or a list/tuple/array still holding a ``...`` somewhere."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, np.ndarray):
        return answer.dtype == object and any(is_placeholder(a) for a in answer.ravel())
    if isinstance(answer, list | tuple):
        return any(is_placeholder(a) for a in answer)
    return False


@dataclass(frozen=True, eq=False)
class Exercise:
    """One exercise of a notebook.

    Parameters
    ----------
    number : int, its number in the notebook
    topic : str, a few words, e.g. "the class centres"
    variable : str, the name the student's cell assigns the answer to
    is_correct : callable(answer) -> bool, judged independently of ``solution_code``
    solution_code : str, Python that assigns the answer to ``variable`` (``np``, ``cu``
        available); shown by ``solution()``, run by ``solve()``
    explanation : str, why the solution is right, in a sentence or two
    hints : tuple of str, from gentle to explicit
    mistakes : tuple of Mistake, tried in order on a wrong answer
    form : callable(answer) -> str or None, a message when the answer has the wrong type or
        shape (checked before anything else)
    otherwise : str or callable(answer) -> str, said of any other wrong answer
    untouched : callable(answer) -> bool, extra "not attempted" test (e.g. a function whose
        body is still ``...``)
    todo : str, what a "not attempted" result asks for (default: replace the ``...``)
    target : float or None, the exact answer of a numeric exercise: an answer within
        :data:`CLOSE` of it that the check refuses is told it is close and to keep more digits
    """

    number: int
    topic: str
    variable: str
    is_correct: Callable[[Any], bool]
    solution_code: str
    explanation: str
    hints: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = ()
    form: Callable[[Any], str | None] | None = None
    otherwise: str | Callable[[Any], str] = "that is not it yet: try `hint()`."
    untouched: Callable[[Any], bool] | None = None
    todo: str = ""
    target: float | None = None

    def __post_init__(self):
        if not self.todo:
            object.__setattr__(self, "todo", f"replace the `...` in `{self.variable}`.")

    @property
    def title(self) -> str:
        return f"Exercise {self.number} ({self.topic})"

    def __repr__(self) -> str:
        return f"<{self.title}: set `{self.variable}`, then check(); hint(), solution()>"

    def check(self, answer=_FROM_NOTEBOOK) -> Result:
        """Judge ``answer``, by default the notebook's variable ``self.variable``."""
        namespace = sys._getframe(1).f_globals  # the notebook's (or the calling module's)
        if _static_page():
            return StaticCheck(self)
        if solutions_mode():
            return self._apply_solution(namespace)
        if answer is _FROM_NOTEBOOK:
            # The answer cell raised: the variable is undefined or holds an older value.
            failed = _failed_answer_cell(self.variable)
            if failed is not None:
                return self._result(
                    "incorrect",
                    f"the cell that sets `{self.variable}` did not run: it raised {failed}. "
                    "Fix it and run it again, then check.",
                )
            if self.variable not in namespace:
                return self._result(
                    "not attempted", f"`{self.variable}` is not defined: run the cell above."
                )
            answer = namespace[self.variable]
        return self.judge(answer)

    def judge(self, answer) -> Result:
        """Return the verdict on ``answer`` (what ``check`` returns outside instructor mode)."""
        # A student's answer may warn (log of 0...) or raise: neither must escape the check.
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return self._judge(answer)

    def _judge(self, answer) -> Result:
        if is_placeholder(answer) or _holds(self.untouched, answer):
            return self._result("not attempted", self.todo)
        problem = _say(self.form, answer, fallback="your answer has the wrong form.")
        if problem:
            return self._result("incorrect", problem)
        failure = None
        try:
            if self.is_correct(answer):
                return self._result("correct", "well done.")
        except Exception as error:  # e.g. the student's function raised
            failure = error
        for mistake in self.mistakes:
            if _holds(mistake.test, answer):
                return self._result("incorrect", _say(mistake.message, answer))
        if self.target is not None and _holds(lambda a: near(a, self.target, CLOSE), answer):
            return self._result(
                "incorrect",
                f"close — keep more digits: {_number(answer)} is within {CLOSE:.0%} of the "
                f"answer, but the check needs {RTOL:.0%}.",
            )
        for mistake in self.mistakes:  # a known wrong number, given with too few digits
            if mistake.value is not None and _holds(
                lambda a, v=mistake.value: near(a, v, CLOSE), answer
            ):
                return self._result("incorrect", _say(mistake.message, answer))
        if failure is not None:
            return self._result("incorrect", f"your answer could not be checked: {_brief(failure)}")
        return self._result("incorrect", _say(self.otherwise, answer))

    def hint(self, n: int = 1) -> Result:
        """Return the ``n``-th hint: 1 is the gentlest, ``len(hints)`` the most explicit."""
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise ValueError(f"n must be an integer in 1..{len(self.hints)}, got {n!r}")
        count = len(self.hints)
        if not 1 <= n <= count:
            there_are = "there is 1 hint" if count == 1 else f"there are {count} hints"
            return Result(
                "hint",
                self.title,
                f"{there_are} for this exercise, `hint(1)` to `hint({count})`; "
                "`solution()` shows a solution.",
                label=f"No hint {n}",
            )
        label = f"Hint {n} of {count}"
        return Result("hint", self.title, self.hints[n - 1], label=label)

    def solution(self) -> Result:
        """Return the solution: why, in words, and the code."""
        return Result("solution", self.title, self.explanation, self.solution_code)

    def solve(self):
        """Run the solution code in a fresh namespace and return the answer it assigns."""
        import course_utils

        namespace = {"np": np, "cu": course_utils}
        exec(self.solution_code, namespace)  # the course's own code, never a student's
        return namespace[self.variable]

    def _apply_solution(self, namespace: dict) -> Result:
        answer = self.solve()
        namespace[self.variable] = answer
        verdict = self.judge(answer)
        message = "the solution, applied and checked: " + self.explanation
        return Result(verdict.status, self.title, message, self.solution_code)

    def _result(self, status: str, message: str) -> Result:
        return Result(status, self.title, message)


def _number(answer) -> str:
    return f"{float(answer):.6g}"


def _last_cell():
    """``(source, error)`` of the last cell IPython ran, or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return None
    shell = get_ipython()
    result = getattr(shell, "last_execution_result", None)
    if result is None:
        return None
    error = result.error_before_exec or result.error_in_exec
    return result.info.raw_cell if result.info is not None else "", error


def _failed_answer_cell(variable: str) -> str | None:
    """Return the error, if the last cell that ran assigns ``variable`` and raised one."""
    last = _last_cell()
    if last is None or last[1] is None:
        return None
    source, error = last
    assigns = re.compile(rf"^\s*(?:def\s+{variable}\s*\(|{variable}\s*(?::[^=]*)?=[^=])", re.M)
    return _brief(error) if assigns.search(source or "") else None


def is_stub_function(answer) -> bool:
    """Tell a function whose body does nothing: a docstring, ``...``, ``pass`` or ``None``."""
    code = getattr(answer, "__code__", None)
    if code is None:
        return False
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("RESUME", "NOP", "RETURN_VALUE", "CACHE"):
            continue
        if instruction.opname in ("LOAD_CONST", "RETURN_CONST") and instruction.argval is None:
            continue
        return False
    return True


def _holds(test, answer) -> bool:
    if test is None:
        return False
    try:
        return bool(test(answer))
    except Exception:  # a test that cannot apply to this answer does not match it
        return False


def _say(message, answer, fallback="that is not it yet: try `hint()`.") -> str | None:
    """Return the message, or what a callable message says of this answer."""
    if not callable(message):
        return message
    try:
        return message(answer)
    except Exception:  # a message that cannot describe this answer
        return fallback


def _brief(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= 100 else text[:97] + "..."


# ---- forms of answers and tolerances, shared by the notebooks' exercises ----------------


def number_form(answer) -> str | None:
    """``form`` of a numeric answer: one real number (inf and NaN allowed)."""
    if isinstance(answer, str):
        return f"give a number, not the text {answer[:20]!r}."
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real | np.ndarray):
        return "give a single number."
    if np.ndim(answer) != 0:
        return f"give a single number, not an array of shape {np.shape(answer)}."
    return None


def finite_number_form(answer) -> str | None:
    """``form`` of a numeric answer that must also be finite."""
    problem = number_form(answer)
    if problem is None and not math.isfinite(float(answer)):
        return "give a finite number."
    return problem


def array_form(shape: tuple[int, ...]) -> Callable[[Any], str | None]:
    """``form`` of an answer that must be a finite numeric array of ``shape``."""

    def form(answer) -> str | None:
        try:
            array = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return f"give a numeric array of shape {shape}."
        if array.shape != shape:
            return f"give an array of shape {shape}, not {array.shape}."
        if not np.all(np.isfinite(array)):
            return "your array contains NaN or inf."
        return None

    return form


def near(answer, target: float, rtol: float = RTOL, atol: float = 0.0) -> bool:
    """``answer`` is a number within ``rtol`` (relative) or ``atol`` of ``target``."""
    value = float(answer)
    return abs(value - target) <= max(rtol * abs(target), atol)
