"""Exercises: solutions pass, placeholders are not attempted, known mistakes are named."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.data import class_centres
from course_utils.exercises import EXERCISES, nb01, nb02, nb03, nb04, nb05, nb06

ALL = [(nb, name, q) for nb, qs in EXERCISES.items() for name, q in qs.items()]
IDS = [f"{nb}.{name}" for nb, name, _ in ALL]


def test_every_notebook_has_two_to_four_exercises():
    assert sorted(EXERCISES) == ["nb01", "nb02", "nb03", "nb04", "nb05", "nb06"]
    assert all(2 <= len(qs) <= 4 for qs in EXERCISES.values())


@pytest.mark.parametrize(("nb", "name", "q"), ALL, ids=IDS)
def test_own_solution_passes(nb, name, q):
    assert q.check(q.solution_value()).correct


@pytest.mark.parametrize(("nb", "name", "q"), ALL, ids=IDS)
def test_placeholder_reads_as_not_attempted(nb, name, q):
    for placeholder in (..., None):
        feedback = q.check(placeholder)
        assert feedback.status == "not attempted"
        assert repr(feedback).startswith("Not attempted yet")


@pytest.mark.parametrize(("nb", "name", "q"), ALL, ids=IDS)
def test_hints_solution_and_display(nb, name, q):
    assert repr(q.hint()).startswith("Hint: ")
    assert repr(q.hint(len(q.hints))) != "" and repr(q.solution()).startswith("Solution: ")
    with pytest.raises(ValueError, match="n"):
        q.hint(len(q.hints) + 1)
    markdown = q.check(...)._repr_markdown_()
    assert "color:" in markdown and "Not attempted yet" in markdown


@pytest.mark.parametrize(("nb", "name", "q"), ALL, ids=IDS)
def test_solutions_mode_checks_and_shows_the_solution(nb, name, q, monkeypatch):
    monkeypatch.setenv("COURSE_SOLUTIONS", "1")
    feedback = q.check(...)
    assert feedback.correct and q.solution_text in feedback.message


@pytest.mark.parametrize(
    ("q", "answer", "words"),
    [
        (nb01.q1, class_centres(3.0)[::-1], "swapped"),
        (nb01.q1, class_centres(3.0) * math.sqrt(6.0) / 3.0, "sqrt(2·distance)"),
        (nb01.q1, np.zeros(3), "shape"),
        (nb01.q2, 1 - 0.1587, "accuracy"),
        (nb01.q2, 0.0228, "distance/2"),
        (nb01.q3, 2 * 0.8597, "dropped the 2"),
        (nb02.q1, np.array([1.0, 1.0]), "Flip its sign"),
        (nb02.q2, np.array([1.0, 1.0]) / math.sqrt(2), "opposite sign"),
        (nb02.q2, np.array([-3.0, -3.0]), "length 1"),
        (nb03.q1, lambda y, z: -nb03._stable_loss(y, z), "NEGATIVE"),
        (
            nb03.q1,
            lambda y, z: float(
                np.mean(
                    -y * np.log(1 / (1 + np.exp(-z))) - (1 - y) * np.log(1 - 1 / (1 + np.exp(-z)))
                )
            ),
            "inf or NaN",
        ),
        (nb03.q1, 3.0, "function"),
        (nb03.q2, 18.0, "too long"),
        (nb04.q1, np.array([-2.1213, -2.1213]), "w*"),
        (nb04.q1, np.array([2.305, 2.373]), "opposite sign"),
        (nb04.q2, "c", "convex"),
        (nb05.q1, 0.005, "finite-population"),
        (nb05.q1, 0.01, "1/B"),
        (nb05.q2, 2, "too small"),
        (nb05.q2, 64, "too large"),
        (nb06.q1, 0.1, "same"),
        (nb06.q1, 0.1 * math.sqrt(2), "square-root"),
        (nb06.q2, 60, "1/B"),
    ],
)
def test_known_mistakes_get_their_message(q, answer, words):
    feedback = q.check(answer)
    assert feedback.status == "incorrect"
    assert words in feedback.message


@given(st.floats(-1e6, 1e6))
def test_random_numbers_fail_the_numeric_exercises(x):
    for q, right, tolerance in [
        (nb05.q1, nb05._V64, 1e-5),
        (nb06.q1, 0.2, 1e-9),
        (nb01.q3, nb01._SIGMA_1_PERCENT, 0.01),
    ]:
        if abs(x - right) > tolerance:
            assert not q.check(x).correct


@given(st.lists(st.floats(-10, 10), min_size=2, max_size=2))
def test_random_directions_fail_unless_right(w):
    feedback = nb02.q2.check(np.array(w))
    assert feedback.correct == bool(np.allclose(w, nb02._DIRECTION, atol=1e-3))


def test_feedback_text_is_short_and_deterministic():
    assert repr(nb01.q1.check(...)) == repr(nb01.q1.check(...))
    assert all(len(repr(q.check(...))) < 120 for _, _, q in ALL)
