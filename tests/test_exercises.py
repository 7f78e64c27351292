"""Exercises: own solutions pass, placeholders read as not attempted, known mistakes are named,
random answers fail, and the text a notebook stores is short and deterministic."""

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import course_utils as cu
from course_utils.exercises import (
    EXERCISES,
    Result,
    catalogue,
    check_all,
    nb01,
    nb02,
    nb03,
    nb04,
    nb05,
    nb06,
)
from course_utils.exercises._framework import RTOL, near_value

ALL = [(f"{nb}.{name}", q) for nb, qs in EXERCISES.items() for name, q in qs.items()]
IDS = [name for name, _ in ALL]
EXERCISE_LIST = [q for _, q in ALL]
MISTAKES = [(q, m) for _, q in ALL for m in q.mistakes]
MISTAKE_IDS = [f"{name}: {m.name}" for name, q in ALL for m in q.mistakes]
# Exercises whose answer is one number, with the exact value.
NUMERIC = [
    (nb01.q3, 4.0 / (2 * 2.3263478740408408)),
    (nb02.q3, 0.25),
    (nb03.q2, 40.0),
    (nb04.q1, math.log(2)),
    (nb05.q1, 0.02 * (16 / 64) * (336 / 384)),
    (nb06.q1, 0.2),
    (nb06.q2, 45.0),
]


def _stub(y, z):
    """A function as the notebook hands it out: its body is still `...`."""
    ...


# ---- the collection -----------------------------------------------------------------------


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_every_notebook_has_two_to_four_exercises_numbered_in_order():
    # The modules are discovered (nothing lists them): one per notebook, none without one.
    assert sorted(EXERCISES) == [f"nb{p.name[:2]}" for p in sorted(NOTEBOOKS.glob("[0-9]*.py"))]
    for qs in EXERCISES.values():
        assert 2 <= len(qs) <= 4
        assert [(name, q.number) for name, q in qs.items()] == [
            (f"q{k}", k) for k in range(1, len(qs) + 1)
        ]


def test_variables_are_distinct_within_a_notebook():
    for qs in EXERCISES.values():
        names = [q.variable for q in qs.values()]
        assert len(set(names)) == len(names) and all(n.isidentifier() for n in names)


def test_catalogue_names_every_exercise_and_mistake():
    text = catalogue()
    for name, q in ALL:
        assert f"`{name}` {q.topic}:" in text
        assert all(m.name in text for m in q.mistakes)


# ---- solutions ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", EXERCISE_LIST, ids=IDS)
def test_own_solution_passes(q):
    result = q.check(q.solve())
    assert result.correct, repr(result)
    assert repr(result) == f"Correct: {q.title} — well done."


def test_check_all_reports_every_exercise_correct():
    results = check_all()
    assert list(results) == IDS
    assert all(r.correct for r in results.values())


def test_solution_values_are_the_known_answers():
    assert np.allclose(nb01.q1.solve(), [[1.0607, 1.0607], [-1.0607, -1.0607]], atol=1e-4)
    assert abs(nb01.q2.solve()(10_000, 1) - cu.bayes_error(2.0, 1.0)) < 0.0103
    assert nb04.q3.solve() == "b"
    assert 17 <= nb05.q2.solve() <= 22  # classes 3 apart (distance 2 would give 8)
    descent = nb04.q2.solve()(nb04._DATA.X, nb04._DATA.y, 2.0, 500)
    assert descent.shape == (501, 2) and not descent[0].any()
    assert np.allclose(descent[-1], cu.find_minimum(nb04._DATA.X, nb04._DATA.y).w, atol=1e-4)
    for q, exact in NUMERIC:
        assert math.isclose(q.solve(), exact, rel_tol=1e-9)


# ---- not attempted --------------------------------------------------------------------------


@pytest.mark.parametrize("q", EXERCISE_LIST, ids=IDS)
def test_untouched_placeholder_reads_as_not_attempted(q):
    placeholders = [..., None, [..., ...], [[..., 1.0], [2.0, 3.0]], np.array([..., 1.0])]
    for placeholder in placeholders:
        result = q.check(placeholder)
        assert result.status == "not attempted", (placeholder, result)
        assert repr(result) == f"Not attempted yet: {q.title} — {q.todo}"
        assert f"`{q.variable}`" in q.todo


def test_a_function_whose_body_is_still_the_placeholder_is_not_attempted():
    assert nb03.q1.check(_stub).status == "not attempted"
    assert nb03.q1.check(lambda y, z: None).status == "not attempted"
    assert nb01.q2.check(_stub).status == "not attempted"


def _computes_but_forgets_to_return(y, z):
    m = (2 * y - 1) * z
    np.mean(np.logaddexp(0, -m))


def test_a_function_without_return_is_told_it_returns_none():
    for q in (nb01.q2, nb03.q1):
        result = q.check(_computes_but_forgets_to_return)
        assert result.status == "incorrect" and "returns None" in result.message


def test_a_hint_past_the_last_says_how_many_there_are():
    for q in EXERCISE_LIST:
        k = len(q.hints)
        for n in (0, k + 1, k + 5):
            result = q.hint(n)
            assert result.status == "hint" and f"`hint({k})`" in result.message
            assert (f"there are {k} hints" if k > 1 else "there is 1 hint") in result.message


def test_a_number_close_to_the_answer_is_told_to_keep_more_digits():
    for q, exact in NUMERIC:
        for factor in (1.02, 0.96):
            result = q.check(exact * factor)
            if result.status == "incorrect" and q.target is not None:
                assert result.message.startswith("close — keep more digits"), (q.title, result)
    assert nb01.q3.check(0.85).message.startswith("close — keep more digits: 0.85")
    assert nb02.q3.check(0.26).message.startswith("close — keep more digits")
    assert nb03.q2.check(39).message.startswith("close — keep more digits")
    assert not nb03.q2.check(30).message.startswith("close")  # 25 % off: not close


def test_a_known_wrong_number_with_too_few_digits_still_gets_its_message():
    from course_utils.exercises import Exercise

    q = Exercise(
        number=1,
        topic="t",
        variable="v",
        is_correct=lambda a: abs(a - 0.2) < 0.002,
        solution_code="v = 0.2",
        explanation="",
        hints=("h",),
        mistakes=(near_value(0.1 * math.sqrt(2), "square root", "square-root scaling"),),
        target=0.2,
    )
    assert q.check(0.1414).message == "square-root scaling"
    assert q.check(0.14).message == "square-root scaling"  # 1 % off: within 5 %
    assert q.check(0.197).message.startswith("close")
    assert q.check(0.5).message == q.otherwise


def test_check_says_when_the_answer_cell_did_not_run():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_cell("from course_utils.exercises.nb01 import q3")
        shell.run_cell("sigma_for_1_percent = 0.86")
        assert shell.run_cell("q3.check()").result.correct
        shell.run_cell("sigma_for_1_percent = undefined_name / 2  # the student's typo")
        result = shell.run_cell("q3.check()").result
        assert result.status == "incorrect"
        assert "the cell that sets `sigma_for_1_percent` did not run" in result.message
        assert "NameError" in result.message
        shell.run_cell("unrelated = 1 / 0")  # another cell failing says nothing about it
        assert shell.run_cell("q3.check()").result.correct
        shell.run_cell("def stable_loss(y, z):\n    return 1 / 0 +")  # a syntax error
        shell.run_cell("from course_utils.exercises.nb03 import q1")
        shell.run_cell("def stable_loss(y, z):\n    return (")
        result = shell.run_cell("q1.check()").result
        assert "the cell that sets `stable_loss` did not run" in result.message
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.parametrize("q", EXERCISE_LIST, ids=IDS)
def test_stored_text_is_short_one_line_and_deterministic(q):
    text = repr(q.check(...))
    assert text == repr(q.check(...)) and "\n" not in text and len(text) < 120
    assert not re.search(r"0x[0-9a-f]{6,}", text)
    html = q.check(...)._repr_html_()
    assert html == q.check(...)._repr_html_()
    assert "Not attempted yet" in html and "Correct" not in html
    assert re.search(r"border-left: 4px solid #[0-9A-F]{6}", html)


# ---- the answer read from the notebook -----------------------------------------------------


def test_check_reads_the_variable_from_the_calling_namespace():
    namespace = {"q1": nb01.q1}
    exec("result = q1.check()", namespace)
    assert namespace["result"].status == "not attempted"
    assert "`centres_for_3` is not defined: run the cell above." in repr(namespace["result"])
    for value, status in [(..., "not attempted"), (nb01.q1.solve(), "correct")]:
        namespace["centres_for_3"] = value
        exec("result = q1.check()", namespace)
        assert namespace["result"].status == status
    namespace["centres_for_3"] = np.zeros((2, 2))
    exec("result = q1.check()", namespace)
    assert namespace["result"].status == "incorrect"


def test_an_explicit_argument_wins_over_the_namespace():
    namespace = {"q1": nb01.q1, "centres_for_3": nb01.q1.solve(), "wrong": np.zeros((2, 2))}
    exec("result = q1.check(wrong)", namespace)
    assert namespace["result"].status == "incorrect"


# ---- instructor mode ------------------------------------------------------------------------


@pytest.mark.parametrize("q", EXERCISE_LIST, ids=IDS)
def test_solutions_mode_applies_checks_and_shows_the_solution(q, monkeypatch):
    monkeypatch.setenv("COURSE_SOLUTIONS", "1")
    namespace = {"q": q, q.variable: ...}
    exec("result = q.check()", namespace)
    result = namespace["result"]
    assert result.correct and result.code == q.solution_code
    assert "applied and checked" in result.message
    assert "Correct" in result._repr_html_() and "Not attempted yet" not in result._repr_html_()
    assert q.judge(namespace[q.variable]).correct  # the notebook now holds the solution


def test_solutions_mode_is_off_unless_set(monkeypatch):
    monkeypatch.setenv("COURSE_SOLUTIONS", "0")
    assert nb06.q1.check(...).status == "not attempted"
    monkeypatch.delenv("COURSE_SOLUTIONS")
    assert nb06.q1.check(...).status == "not attempted"


# ---- hints and solutions ------------------------------------------------------------------


@pytest.mark.parametrize("q", EXERCISE_LIST, ids=IDS)
def test_hints_are_tiered_and_the_solution_shows_code(q):
    k = len(q.hints)
    hints = [q.hint(n) for n in range(1, k + 1)]
    assert k >= 1 and len({h.message for h in hints}) == k
    assert [repr(h) for h in hints] == [
        f"Hint {n} of {k}: {q.title} — {h.message}" for n, h in enumerate(hints, start=1)
    ]
    assert repr(q.hint()) == repr(hints[0])
    for bad in (1.5, True, "1"):
        with pytest.raises(ValueError, match=f"n must be .*1..{k}"):
            q.hint(bad)
    solution = q.solution()
    assert solution.status == "solution" and solution.code == q.solution_code
    assert q.explanation in repr(solution) and "<pre " in solution._repr_html_()


def test_html_escapes_and_marks_code():
    result = Result("incorrect", "Exercise 9 (x < y)", "use `a < b` & c")
    assert repr(result) == "Not quite: Exercise 9 (x < y) — use `a < b` & c"
    rendered = result._repr_html_()
    assert "x &lt; y" in rendered and "<code>a &lt; b</code> &amp; c" in rendered


# ---- known mistakes -------------------------------------------------------------------------


@pytest.mark.parametrize(("q", "mistake"), MISTAKES, ids=MISTAKE_IDS)
def test_each_recognised_mistake_gets_its_own_message(q, mistake):
    result = q.check(mistake.example)
    expected = mistake.message if isinstance(mistake.message, str) else None
    assert result.status == "incorrect", result
    if expected is not None:
        assert result.message == expected
    else:
        assert result.message == mistake.message(mistake.example)
    other_messages = [m.message for m in q.mistakes if m is not mistake]
    assert result.message not in other_messages


def test_near_value_names_the_value_once():
    mistake = near_value(0.1, "the same learning rate", "you kept the learning rate.")
    assert mistake.name == "the same learning rate" and mistake.example == 0.1
    assert mistake.test(0.1) and mistake.test(0.1 * (1 + 0.99 * RTOL))
    assert not mistake.test(0.1 * (1 + 1.01 * RTOL)) and not mistake.test(0.2)
    wide = near_value(30, "about 30", lambda a: f"{a} is about 30", rtol=0, atol=2)
    assert wide.test(31.9) and not wide.test(32.1) and wide.message(31) == "31 is about 30"


def _probability_form_by_hand(y, z):
    p = 1 / (1 + np.exp(-z))
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _naive_softplus(y, z):
    return np.mean(np.log(1 + np.exp(-(2 * y - 1) * z)))


def _draft_centres(distance):
    offset = distance / (2 * math.sqrt(distance))  # the original draft's formula
    return np.array([[offset, offset], [-offset, -offset]])


# Answers as students write them, independently of the examples stored with the mistakes.
STUDENT_ANSWERS = [
    (nb01.q1, _draft_centres(3.0), "sqrt(2·distance)"),
    (nb01.q1, [[-1.0607, -1.0607], [1.0607, 1.0607]], "swapped"),
    (nb01.q1, [[1.5, 1.5], [-1.5, -1.5]], "Divide by 2·sqrt(2)"),
    (nb01.q1, np.zeros(3), "shape (2, 2)"),
    (nb01.q1, [[1.0, 1.0], [-1.0, -1.0]], "2.828 apart"),
    (nb01.q2, lambda n, seed: 0.16, "a typed number"),
    (nb01.q2, lambda n, seed: float(cu.bayes_error(2.0, 1.0)), "a formula"),
    (nb01.q2, lambda n, seed: nb01._simulate(200, seed), "ignores `n_per_class`"),
    (nb01.q2, lambda n, seed: nb01._simulate(n, 42), "every seed"),
    (nb01.q2, lambda n, seed: 1 - nb01._simulate(n, seed), "accuracy"),
    (nb01.q2, lambda n, seed: 100 * nb01._simulate(n, seed), "percentage"),
    (nb01.q2, _computes_but_forgets_to_return, "returns None"),
    (nb01.q2, lambda n, seed: nb01._simulate(n, seed) + 300 / (2 * n), "standard error"),
    (nb01.q2, lambda n: 0.16, "could not be checked"),
    (nb01.q3, 1.72, "dropped the 2"),
    (nb01.q3, 0.776, "2.576"),
    (nb01.q3, 2.0, "the Bayes error is 0.1587"),
    (nb02.q1, np.array([1.0, 1.0]), "flip its sign"),
    (nb02.q1, [0, 0], "no boundary"),
    (nb02.q1, [-1.0, 1.0], "through both centres"),
    (nb02.q1, [-1.0, 0.0], "% of the points"),
    (nb02.q2, np.array([0.707, 0.707]), "opposite sign"),
    (nb02.q2, cu.bayes_optimal_weights(5.0, 1.0), "length 1"),
    (nb02.q2, [0.0, -1.0], "45 degrees"),
    (nb02.q3, 0.5, "σ², not σ"),
    (nb03.q1, lambda y, z: -_naive_softplus(y, z), "NEGATIVE"),
    (nb03.q1, _probability_form_by_hand, "inf or NaN"),
    (nb03.q1, _naive_softplus, "inf or NaN"),
    (nb03.q1, lambda y, z: np.logaddexp(0, -(2 * y - 1) * z), "one loss per sample"),
    (nb03.q1, lambda y, z: np.mean(np.logaddexp(0, (2 * y - 1) * z)), "wrong class"),
    (nb03.q1, lambda y, z: 1 / 0, "could not be checked: ZeroDivisionError"),
    (nb03.q1, 3.0, "should be a function"),
    (nb03.q2, float("inf"), "probability form"),
    (nb03.q2, -40, "NEGATIVE"),
    (nb03.q3, 18.0, "too long"),
    (nb03.q3, 3.0, "% above the smallest"),
    (nb04.q1, 0.5, "-log of it"),
    (nb04.q2, cu.find_minimum(nb04._DATA.X, nb04._DATA.y).w, "a function gradient_descent"),
    (nb04.q2, lambda X, y, lr, n: cu.find_minimum(X, y).w, "the whole path"),
    (nb04.q2, lambda X, y, lr, n: np.zeros((n + 1, 2)), "differs from gradient descent"),
    (nb04.q3, "(c)", "convex"),
    (nb04.q3, " A ", "optimiser"),
    (nb04.q3, "d", "one letter"),
    (nb04.q3, 2, "in quotes"),
    (nb05.q1, 0.005, "finite-population"),
    (nb05.q1, 0.0042, "already contains its own factor"),
    (nb05.q1, 0.01, "standard deviation"),
    (nb05.q2, 200, "half of the data"),
    (nb05.q2, 3, "too small"),
    (nb05.q2, 40, "too large"),
    (nb05.q2, 8, "distance 2"),
    (nb05.q2, 8.5, "whole number"),
    (nb05.q2, 0, "1..400"),
    (nb06.q1, 0.1, "same learning rate"),
    (nb06.q1, 0.1414, "square-root"),
    (nb06.q1, "0.2", "not the text"),
    (nb06.q2, 90, "above the noise scale"),
    (nb06.q2, 63.6, "1/sqrt(B)"),
]


@pytest.mark.parametrize(("q", "answer", "words"), STUDENT_ANSWERS)
def test_answers_students_write_get_the_specific_message(q, answer, words):
    result = q.check(answer)
    assert result.status == "incorrect"
    assert words in result.message, result.message


def test_accepted_answers_tolerate_rounding():
    assert nb01.q1.check([[1.061, 1.061], [-1.061, -1.061]]).correct
    assert nb02.q2.check([-0.71, -0.71]).correct
    assert nb04.q3.check(" (B) ").correct
    assert nb05.q1.check(0.0044).correct and nb05.q2.check(20.0).correct
    assert nb06.q2.check(43).correct and nb06.q2.check(49.0).correct  # "about" 45
    assert not nb06.q2.check(52).correct
    assert nb03.q3.check(4.8).correct and not nb03.q3.check(4.3).correct
    assert nb03.q1.check(lambda y, z: np.mean(np.logaddexp(0, -(2 * y - 1) * z))).correct


JUNK = [
    "abc",
    {"a": 1},
    object(),
    1j,
    np.array(1j),
    np.array("abc"),
    np.full((2, 2), np.nan),
    [1, 2, 3],
    (1.0,),
    True,
    len,
]


@pytest.mark.parametrize("q", EXERCISE_LIST, ids=IDS)
def test_junk_never_raises_and_never_passes(q):
    for answer in JUNK:
        result = q.check(answer)
        assert isinstance(result, Result) and result.status == "incorrect", (answer, result)
        assert "\n" not in repr(result) and len(result.message) < 200


# ---- random answers fail, right ones pass (hypothesis) -----------------------------------


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_a_number_passes_exactly_when_it_is_within_the_tolerance(x):
    for q, exact in NUMERIC:
        assert q.check(x).correct == (abs(x - exact) <= RTOL * abs(exact)), (q.title, x)


@given(st.floats(min_value=-1.0, max_value=1.0))
def test_numbers_near_the_answer_pass(relative):
    for q, exact in NUMERIC:
        assert q.check(exact * (1 + 0.99 * RTOL * relative)).correct


@given(st.integers(min_value=-300, max_value=300))
def test_bayes_error_simulation_passes_within_four_standard_errors(shift):
    """A simulation whose counts are off by `shift` mistakes passes iff within 4 SE."""
    standard_error = math.sqrt(0.1587 * (1 - 0.1587) / 20_000)

    def simulation(n, seed):
        return nb01._simulate(n, seed) + (shift / (2 * n) if n == 10_000 else 0.0)

    values = [simulation(10_000, seed) for seed in (1, 2, 3)]
    offs = [abs(v - cu.bayes_error(2.0, 1.0)) for v in values]
    if all(abs(off - 4 * standard_error) > 0.1 * standard_error for off in offs):
        assert nb01.q2.check(simulation).correct == all(off < 4 * standard_error for off in offs)


def test_bayes_error_simulation_at_other_seeds_and_sizes_passes():
    def own_generator(n, seed):  # a student's own sampling, not cu.make_two_gaussians
        rng = np.random.default_rng(seed + 100)
        c = 2.0 / (2 * math.sqrt(2))
        X0 = rng.normal(c, 1.0, size=(n, 2))
        X1 = rng.normal(-c, 1.0, size=(n, 2))
        wrong = np.sum(X0.sum(axis=1) < 0) + np.sum(X1.sum(axis=1) > 0)
        return wrong / (2 * n)

    assert nb01.q2.check(own_generator).correct
    assert not nb01.q2.check(lambda n, seed: nb01._simulate(max(n // 25, 1), seed)).correct


@given(st.lists(st.floats(-10, 10), min_size=4, max_size=4))
def test_random_centres_fail_unless_they_are_the_centres(values):
    centres = np.reshape(values, (2, 2))
    right = np.allclose(centres, cu.class_centres(3.0), atol=1e-3)
    assert nb01.q1.check(centres).correct == right


@given(st.floats(-np.pi, np.pi), st.floats(0.01, 100.0))
def test_weights_pass_exactly_when_their_accuracy_reaches_98_percent(angle, length):
    w = length * np.array([np.cos(angle), np.sin(angle)])
    data = cu.make_two_gaussians(5.0, 1.0, 200, 200, seed=0)
    by_hand = np.mean((data.X @ w > 0).astype(int) == data.y)
    assert nb02.q1.check(w).correct == (by_hand >= 0.98)


@given(st.lists(st.floats(-10, 10), min_size=2, max_size=2))
def test_random_directions_fail_unless_right(w):
    right = np.allclose(w, [-math.sqrt(0.5), -math.sqrt(0.5)], atol=5e-3)
    assert nb02.q2.check(np.array(w)).correct == right


@given(st.floats(-5, 5), st.floats(-5, 5))
def test_random_linear_functions_are_not_the_loss(a, b):
    assert not nb03.q1.check(lambda y, z: a * np.mean(z) + b * np.mean(y)).correct


@given(st.lists(st.floats(-6, 6), min_size=2, max_size=2))
def test_gradient_descent_is_checked_as_a_process(w):
    # A point, even the minimum itself, is not a descent; nor is any straight walk to it.
    minimum = cu.find_minimum(nb04._DATA.X, nb04._DATA.y).w
    assert not nb04.q2.check(np.array(w)).correct
    assert not nb04.q2.check(minimum).correct

    def straight(X, y, lr, n_steps):
        return np.outer(np.linspace(0, 1, n_steps + 1), np.array(w) + cu.find_minimum(X, y).w)

    assert not nb04.q2.check(straight).correct


def test_exactly_the_batch_sizes_near_half_separable_pass():
    assert [b for b in range(1, 41) if nb05.q2.check(b).correct] == [17, 18, 19, 20, 21, 22]


@given(st.integers(1, 400))
def test_only_batch_sizes_near_half_separable_pass(b):
    assert nb05.q2.check(b).correct == (17 <= b <= 22)


def test_the_accepted_batch_sizes_have_about_half_their_batches_separable():
    data = cu.make_two_gaussians(3.0, 1.0, 200, 200, seed=0)  # the exercise's data
    for b, low, high in [(12, 0.62, 1.0), (17, 0.42, 0.58), (20, 0.42, 0.58), (22, 0.42, 0.58)]:
        fraction = cu.separable_batches(data.X, data.y, b, n_batches=4000, seed=123).mean()
        assert low <= fraction <= high, (b, fraction)
    fraction = cu.separable_batches(data.X, data.y, 30, n_batches=4000, seed=123).mean()
    assert fraction < 0.42
