"""Exercises a student can check on the spot: ``q1.check(answer)``, ``q1.hint()``,
``q1.solution()``; one module per notebook (``nb01`` ... ``nb06``).

See :mod:`course_utils.exercises._framework` for how answers are judged and for the
instructor mode (``COURSE_SOLUTIONS=1``).
"""

from . import nb01, nb02, nb03, nb04, nb05, nb06
from ._framework import Exercise, Feedback, solutions_mode

EXERCISES = {
    module.__name__.rsplit(".", 1)[-1]: {
        name: value for name, value in vars(module).items() if isinstance(value, Exercise)
    }
    for module in (nb01, nb02, nb03, nb04, nb05, nb06)
}
