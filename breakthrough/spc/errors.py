"""The one exception type of the statistics engine.

Every input the engine cannot analyse raises :class:`SPCError`, a ``ValueError`` whose message says
what is wrong, where (row or point, 1-based) and what is needed, for example::

    a P chart needs a denominator n >= y for every row; row 7 has y=5, n=3

>>> from breakthrough.spc import SPCError
>>> issubclass(SPCError, ValueError)
True
"""

from __future__ import annotations


class SPCError(ValueError):
    """Input that cannot be analysed, with a message that names the problem and the fix."""
