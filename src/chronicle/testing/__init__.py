"""chronicle.testing: hypothesis strategies and projector laws, to test your own domain.

It needs hypothesis (``pip install 'chronicle-history[testing]'``); ``import chronicle``
does not.

Strategies
    :func:`whens` (valid times of every EDTF form chronicle reads), :func:`events_of`
    (events of one type, derived from its fields), :func:`events` (of every
    registered type), :func:`register_strategy` (for a class whose fields obey rules
    across fields), :func:`chronologies` and :func:`logs` (well-formed histories with
    late arrivals, backdated records, retractions and corrections), :func:`redated`.
Chronologies
    :class:`Chronology` and its :class:`Append`, :class:`Retract` and :class:`Correct`
    steps; :func:`stepping_clock`, a clock for tests.
Projector laws
    :func:`check_projector` (all the laws, in one call), :data:`LAWS`, :class:`Law`
    (and the :class:`Case` a law is checked on), :class:`LawViolation`.
State machine
    :class:`ChronicleMachine`, to subclass for a domain.
Profiles
    :func:`register_profiles`, a deterministic CI profile and a quick one.

The politics domain's strategies and state machine are in ``chronicle.testing.politics``.
"""

try:
    import hypothesis  # noqa: F401 -- only to fail early with a clear message
except ImportError as error:  # pragma: no cover - the test environment has hypothesis
    raise ImportError(
        "chronicle.testing needs hypothesis: pip install 'chronicle-history[testing]'"
    ) from error

from chronicle.testing._check import check_projector
from chronicle.testing._chronologies import chronologies, logs, redated
from chronicle.testing._chronology import Append, Chronology, Correct, Retract, stepping_clock
from chronicle.testing._events import events, events_of
from chronicle.testing._fields import register_strategy
from chronicle.testing._laws import LAWS, Case, Law, LawViolation
from chronicle.testing._machine import ChronicleMachine
from chronicle.testing._profiles import register_profiles
from chronicle.testing._whens import whens

__all__ = [
    "LAWS",
    "Append",
    "Case",
    "ChronicleMachine",
    "Chronology",
    "Correct",
    "Law",
    "LawViolation",
    "Retract",
    "check_projector",
    "chronologies",
    "events",
    "events_of",
    "logs",
    "redated",
    "register_profiles",
    "register_strategy",
    "stepping_clock",
    "whens",
]
