"""Every public function of the numerical core refuses bad input with a ValueError naming it.

The table below gives each function valid arguments; every bad value for an argument the
function takes is tried in turn, the others kept valid. The error message must start with
the argument's name.
"""

import importlib
import inspect
import re

import numpy as np
import pytest

import course_utils as cu
import course_utils._validation as validation

N = 6
X = np.array([[1.0, 0.5], [-0.3, 1.2], [0.8, -1.1], [-1.4, -0.2], [0.1, 0.9], [-0.7, 0.4]])
Y = np.array([0, 1, 0, 1, 1, 0])
W1 = np.array([-1.0, 0.0, 2.0])
W2 = np.array([0.5, -1.5])

VALID = {
    "X": X,
    "y": Y,
    "w": np.array([0.5, -1.0]),
    "w1": W1,
    "w2": W2,
    "distance": 3.0,
    "sigma": 1.0,
    "prior1": 0.3,
    "n0": 4,
    "n1": 3,
    "seed": 0,
    "z": np.array([0.3, -2.0, 1.0, 0.0, 5.0, -1.0]),
    "u": np.array([0.3, -2.0]),
    "x": np.array([0.3, -2.0]),
    "p": np.array([0.2, 0.9, 0.5, 0.5, 1.0, 0.0]),
    "landscape": np.zeros((W2.size, W1.size)),
    "centre": np.array([0.0, 1.0]),
    "half_width": 2.0,
    "n": 5,
    "pad": 1.5,
    "separable_half_width": 8.0,
    "batch_size": 2,
    "n_batches": 4,
    "minimum": None,
    "w0": np.array([0.5, -1.0]),
    "lr": 0.5,
    "n_steps": 3,
    "seeds": [0, 1],
    "sampling": "epochs",
    "paths": np.zeros((2, 4, 2)),
    "losses": np.array([[0.9, 0.2, 0.1], [0.5, 0.6, 0.7]]),
    "target": 0.5,
    "burn_in": 0.5,
    "batch_sizes": [1, 2],
    "learning_rates": [0.1, 0.5],
    "batches": np.array([[0, 1], [2, 3], [4, 5]]),
}

_NAN_ROW = X.copy()
_NAN_ROW[2, 1] = np.nan
_INF_ROW = X.copy()
_INF_ROW[0, 0] = -np.inf
_SHORT_LABELS = Y[:-1]

not_positive = [0.0, -1.0, np.nan, np.inf, "3", True, None]
bad_grid_axis = [[], [np.nan, 1.0], [0.0, np.inf], [[0.0, 1.0]], 1.0]
bad_weights = [[np.nan, 1.0], [0.0, np.inf], [1.0, 2.0, 3.0], [[1.0], [2.0]], 1.0]

BAD = {
    "X": [_NAN_ROW, _INF_ROW, np.ones((N, 3)), X.ravel(), np.ones((0, 2)), X[None], "points"],
    "y": [
        np.array([0, 1, 2, 1, 1, 0]),
        np.array([0, 1, -1, 1, 1, 0]),
        np.array([0, 1, 0.5, 1, 1, 0]),
        np.array([0, 1, np.nan, 1, 1, 0]),
        _SHORT_LABELS,
        Y[None],
        "labels",
    ],
    "w": bad_weights,
    "w1": bad_grid_axis,
    "w2": bad_grid_axis,
    "distance": not_positive,
    "sigma": not_positive,
    "prior1": [0.0, 1.0, -0.2, 1.5, np.nan, np.inf, "0.3", True, None],
    "n0": [0, -1, 2.5, "3", None],
    "n1": [0, -1, 2.5, "3", None],
    "seed": [-1, 1.5, "a", True, None],
    "z": [[0.3, np.nan, 1.0, 0.0, 5.0, -1.0], [0.3, np.inf, 1.0, 0.0, 5.0, -1.0], [0.0] * 5],
    "u": [[0.0, np.nan]],
    "x": [[np.nan, 0.0]],
    "p": [
        [0.2, np.nan, 0.5, 0.5, 1.0, 0.0],
        [0.2, np.inf, 0.5, 0.5, 1.0, 0.0],
        [0.2, 1.5, 0.5, 0.5, 1.0, 0.0],
        [0.2, -0.1, 0.5, 0.5, 1.0, 0.0],
        [0.5] * 5,
        [[0.5] * 6],
    ],
    "landscape": [np.full((W2.size, W1.size), np.nan), np.zeros((W1.size, W2.size)), np.zeros(3)],
    "centre": bad_weights,
    "half_width": not_positive,
    "n": [0, -1, 2.5, "5", None],
    "pad": [1.0, 0.5, 0.0, np.nan, np.inf],
    "separable_half_width": not_positive,
    "batch_size": [0, -1, N + 1, 2.5, None],
    "n_batches": [0, -3, 1.5, "2"],
    "minimum": [np.array([1.0, 2.0]), (1.0, 2.0), "minimum", 3.0],
    "w0": bad_weights,
    "lr": not_positive,
    "n_steps": [-1, 2.5, "3", None],
    "seeds": [5, None, [], [-1], [0, "a"], [1.5], "01"],
    "sampling": ["epoch", None, 3],
    "paths": [
        None,
        "paths",
        np.full((2, 4, 2), np.nan),
        np.full((2, 4, 2), np.inf),
        np.zeros((2, 4, 3)),
        np.zeros(2 * 4 * 2),
        np.zeros(()),
    ],
    "losses": [
        [[0.9, 0.2, np.nan]],
        np.zeros((2, 0)),
        np.zeros(()),
        [0.9, 0.2],
        None,
        "losses",
    ],
    "target": [np.nan, np.inf, None, "0.5", True],
    "burn_in": [-0.1, 1.0, 1.5, np.nan, "0.5", None, True],
    "batch_sizes": [[0, 1], [1, N + 1], [2, 1], [1, 1], [], [1.5], [True], None, "12", 3],
    "learning_rates": [
        [0.0, 0.1],
        [-0.1, 0.1],
        [0.5, 0.1],
        [],
        [np.nan],
        [0.1, np.inf],
        [[0.1]],
        ["0.1"],
        None,
        "0.1",
        0.1,
    ],
    "batches": [
        np.array([[0, 1], [2, N]]),
        np.array([[-1, 1]]),
        np.array([0, 1, 2]),
        np.zeros((0, 2), int),
        np.array([[0.0, 1.0]]),
        np.array([[True, False]]),
        None,
        "batches",
    ],
}
# Arguments whose bad values differ by function.
# where y comes first, a length mismatch is blamed on z or p (and tested there)
_LABELS_ALONE = [labels for labels in BAD["y"] if labels is not _SHORT_LABELS]
BAD_FOR = {
    ("sigmoid", "z"): [[0.0, np.nan]],
    ("per_sample_loss_from_logits", "y"): _LABELS_ALONE,
    ("cross_entropy_from_logits", "y"): _LABELS_ALONE,
    ("cross_entropy", "y"): _LABELS_ALONE,
    ("square_grid", "n"): [1, 0, 2.5],
    ("grid_window", "n"): [1, 0, 2.5],
    # one path is (steps, 2) for losses_along; the noise ball wants (runs, steps, 2)
    ("noise_ball_radius", "paths"): [
        *BAD["paths"],
        np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]]),
        np.zeros((0, 4, 2)),
        np.zeros((2, 0, 2)),
    ],
}

CORE = [
    cu.class_centres,
    cu.make_two_gaussians,
    cu.normal_cdf,
    cu.bayes_error,
    cu.bayes_optimal_weights,
    cu.bayes_threshold,
    cu.population_accuracy,
    cu.sigmoid,
    cu.logits,
    cu.predict_proba,
    cu.predict,
    cu.accuracy,
    cu.softplus,
    cu.per_sample_loss_from_logits,
    cu.cross_entropy_from_logits,
    cu.cross_entropy,
    cu.loss_landscape,
    cu.loss_at,
    cu.loss_gradient,
    cu.gradient_field,
    cu.grid_argmin,
    cu.square_grid,
    cu.grid_window,
    cu.population_landscape,
    cu.find_minimum,
    cu.is_separable,
    cu.batch_indices,
    cu.minibatch_landscapes,
    cu.minibatch_loss_variance,
    cu.minibatch_losses_at,
    cu.minibatch_loss_variance_at,
    cu.separable_batches,
    cu.minibatch_minima,
    cu.per_sample_gradients,
    cu.gradient_noise_scale,
    cu.noise_scale_landscape,
    cu.sgd_paths,
    cu.sgd,
    cu.losses_along,
    cu.steps_to_target,
    cu.noise_ball_radius,
    cu.loss_hessian,
    cu.gradient_covariance,
    cu.steps_with_tuned_rate,
    cu.noise_ball_radii,
    cu.minima_of_batches,
]
CORE_MODULES = {"data", "model", "loss", "landscape", "optimum", "minibatch", "sgd", "training"}


def _valid_arguments(function) -> dict:
    arguments = {}
    for name in inspect.signature(function).parameters:
        arguments[name] = N if (function is cu.batch_indices and name == "n") else VALID[name]
    return arguments


def _cases():
    for function in CORE:
        for name in inspect.signature(function).parameters:
            if function is cu.batch_indices and name == "n":
                bad_values = [0, -1, 2.5]
            else:
                bad_values = BAD_FOR.get((function.__name__, name), BAD[name])
            for k, bad in enumerate(bad_values):
                yield pytest.param(function, name, bad, id=f"{function.__name__}-{name}-{k}")


def test_the_table_covers_every_public_function_of_the_core():
    public = {
        name
        for name in cu.__all__
        if inspect.isfunction(getattr(cu, name))
        and getattr(cu, name).__module__.split(".")[-1] in CORE_MODULES
    }
    assert public == {function.__name__ for function in CORE}


@pytest.mark.parametrize("function", CORE, ids=lambda f: f.__name__)
def test_the_valid_arguments_are_accepted(function):
    function(**_valid_arguments(function))


@pytest.mark.parametrize(("function", "name", "bad"), list(_cases()))
def test_bad_input_is_a_value_error_naming_the_argument(function, name, bad):
    arguments = _valid_arguments(function)
    arguments[name] = bad
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        function(**arguments)


@pytest.mark.parametrize(
    ("function", "extra"),
    [
        (cu.minibatch_landscapes, {"w1": W1, "w2": W2}),
        (cu.minibatch_loss_variance, {"w1": W1, "w2": W2}),
        (cu.minibatch_losses_at, {"w": VALID["w"]}),
        (cu.minibatch_loss_variance_at, {"w": VALID["w"]}),
        (cu.minibatch_minima, {}),
        (cu.separable_batches, {}),
    ],
)
def test_batch_size_may_be_anything_from_1_to_n(function, extra):
    for batch_size in (1, N):
        function(X, Y, batch_size=batch_size, **extra)


# SGD draws each run's epochs through batch_indices, which checks n, batch_size, n_batches
# and the seed once per run (its _schedule belongs to the sampling work); all else is checked
# once (steps_with_tuned_rate and noise_ball_radii too: their trials call private cores).
_PER_RUN = {
    ("check_int", "n"),
    ("check_int", "batch_size"),
    ("check_int", "n_batches"),
    ("as_generator", None),
}
_CHECKED_PER_RUN = {
    "sgd_paths": _PER_RUN,
    "sgd": _PER_RUN,
    "steps_with_tuned_rate": _PER_RUN,
    "noise_ball_radii": _PER_RUN,
}
_NOT_YET = set()  # every module of the core is held to it


@pytest.mark.parametrize(
    "function",
    [f for f in CORE if f.__module__.split(".")[-1] not in _NOT_YET],
    ids=lambda f: f.__name__,
)
def test_each_argument_is_checked_once_at_the_public_boundary(function, monkeypatch):
    calls = []
    for module_name in CORE_MODULES:
        module = importlib.import_module(f"course_utils.{module_name}")
        for check in vars(validation):
            if (check.startswith("check_") or check == "as_generator") and hasattr(module, check):
                monkeypatch.setattr(module, check, _counting(getattr(validation, check), calls))
    function(**_valid_arguments(function))
    assert calls, "no check was seen"
    per_run = _CHECKED_PER_RUN.get(function.__name__, set())
    counts = {call: calls.count(call) for call in calls if call not in per_run}
    assert all(count == 1 for count in counts.values()), counts


def _counting(check, calls: list):
    """``check``, recording (its name, the argument name it was given) in ``calls``."""

    def counting(*args, **kwargs):
        calls.append((check.__name__, args[0] if isinstance(args[0], str) else None))
        return check(*args, **kwargs)

    return counting


@pytest.mark.parametrize(
    "function",
    [f for f in CORE if f.__module__.split(".")[-1] not in _NOT_YET],
    ids=lambda f: f.__name__,
)
def test_every_argument_is_documented_in_numpydoc_form(function):
    _assert_documented(function)


def _assert_documented(function):
    doc = inspect.getdoc(function)
    assert "\nParameters\n----------\n" in doc and "\nReturns\n-------\n" in doc
    documented = re.findall(r"^(\S[^:\n]*?) :", doc.split("Parameters\n----------\n")[1], re.M)
    names = [name.strip() for entry in documented for name in entry.split(",")]
    assert names[: len(inspect.signature(function).parameters)] == list(
        inspect.signature(function).parameters
    )


def _figure_functions():
    from course_utils import plots, widgets

    return [
        value
        for module in (plots, widgets)
        for name, value in sorted(vars(module).items())
        if inspect.isfunction(value) and not name.startswith("_")
    ]


@pytest.mark.parametrize("function", _figure_functions(), ids=lambda f: f.__name__)
def test_every_plot_and_widget_argument_is_documented_in_numpydoc_form(function):
    _assert_documented(function)
