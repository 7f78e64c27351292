"""One description for each parameter that functions of course_utils share.

``@shared_parameters`` completes a function's numpydoc ``Parameters`` section: an argument
that the docstring does not describe itself gets its entry from :data:`PARAMETERS`, in the
order of the signature, so ``help()`` shows every argument with its shape while the source
states each convention once. An argument described nowhere is an error at import.
"""

from __future__ import annotations

import inspect
import re

PARAMETERS = {
    "distance": "distance : float > 0\n    Distance between the two class centres.",
    "sigma": "sigma : float > 0\n    Standard deviation of each coordinate within a class.",
    "prior1": "prior1 : float in (0, 1)\n    P(y = 1): the fraction of class 1.",
    "n0": "n0 : int >= 1\n    Points of class 0.",
    "n1": "n1 : int >= 1\n    Points of class 1.",
    "X": "X : array of shape (n, 2)\n    The points, finite.",
    "y": "y : array of shape (n,)\n    The labels, in {0, 1}.",
    "w": "w : array of shape (2,)\n    The weights, finite.",
    "w1, w2": "w1, w2 : 1-D arrays\n    The grid axes, finite and not empty.",
    "z": "z : array of shape (n,)\n    Logits ``w·x``, finite.",
    "batch_size": "batch_size : int in 1..n\n    Samples in each batch.",
    "n_batches": (
        "n_batches : int >= 1 or None\n"
        "    None: one epoch, ``n // batch_size`` disjoint batches (the leftover samples are\n"
        "    dropped). More batches than one epoch holds: further epochs, each freshly shuffled."
    ),
    "seed": "seed : int >= 0 or numpy.random.Generator\n    Seeds the shuffles of the batches.",
    "w0": "w0 : array of shape (2,)\n    The start (of every run).",
    "lr": "lr : float > 0\n    The learning rate.",
    "n_steps": "n_steps : int >= 0\n    Steps per run.",
    # figures (course_utils.plots, course_utils.widgets)
    "ax": "ax : matplotlib Axes or None\n    Where to draw; None: the axes of a new pyplot figure.",
    "title": "title : str\n    The axes' title.",
    "xlabel": "xlabel : str\n    The x axis label.",
    "landscape": (
        "landscape : array of shape (len(w2), len(w1))\n"
        "    The loss on the grid: element [i, j] is the loss at (w1[j], w2[i])."
    ),
    "limits": "limits : float > 0\n    Half-width of the square of the data plane shown.",
    "batch_sizes": "batch_sizes : array of shape (m,)\n    The batch sizes (the x axis), >= 1.",
    "noise_scale": (
        "noise_scale : float or None\n"
        "    The gradient noise scale B_simple, marked by a dashed vertical line; None: not marked."
    ),
}

_SECTION = re.compile(r"^Parameters\n-+\n(.*?)(?=\n\n|\Z)", re.S | re.M)
_ENTRY = re.compile(r"^(\S[^:\n]*?) :", re.M)


def shared_parameters(function):
    """Complete the ``Parameters`` section of ``function``'s docstring (see the module)."""
    doc = inspect.cleandoc(function.__doc__)
    section = _SECTION.search(doc)
    own = {}
    if section:
        starts = [m.start() for m in _ENTRY.finditer(section[1])] + [len(section[1])]
        for start, end in zip(starts, starts[1:], strict=False):
            entry = section[1][start:end].rstrip("\n")
            own[_ENTRY.match(entry)[1]] = entry
    names = list(inspect.signature(function).parameters)
    if "w1" in names and "w2" in names:
        names[names.index("w1")] = "w1, w2"
        names.remove("w2")
    missing = [name for name in names if name not in own and name not in PARAMETERS]
    if missing:
        raise TypeError(f"{function.__name__}: no description of {', '.join(missing)}")
    entries = "\n".join(own.get(name) or PARAMETERS[name] for name in names)
    full = f"Parameters\n----------\n{entries}"
    if section:
        doc = doc[: section.start()] + full + doc[section.end() :]
    else:  # before the first other section, or at the end
        other = re.search(r"^\w[\w ]*\n-+$", doc, re.M)
        at = other.start() if other else len(doc) + 2
        doc = f"{doc[:at].rstrip()}\n\n{full}\n\n{doc[at:]}".rstrip() + "\n"
    function.__doc__ = doc
    return function
