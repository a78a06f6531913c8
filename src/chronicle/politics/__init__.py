"""chronicle.politics: coups, heads of state and government, elections, parties, arrests, violence.

The first domain built on chronicle, with the public core API only. Importing
it registers its event types (``"politics.coup_occurred"``, ...), so logs that
hold them decode.

Events (each validated at construction, see their docstrings)
    :class:`CoupOccurred`, :class:`HeadOfStateInstalled`, :class:`HeadOfStateLeft`,
    :class:`HeadOfGovernmentAppointed`, :class:`HeadOfGovernmentLeft`,
    :class:`ElectionScheduled`, :class:`ElectionPostponed`, :class:`ElectionHeld`,
    :class:`ElectionVoided`, :class:`PartiesSuspended`,
    :class:`PartiesDissolved`, :class:`PartiesRestored`, :class:`OfficersArrested`,
    :class:`OfficersReleased`, :class:`AttackOccurred`, :class:`CasualtiesReported`.
Values in events
    :class:`Count` (a reported figure: "at least 45"), :data:`Qualifier`,
    :data:`QUALIFIERS`, :class:`Officer` (name, rank, branch).
Projectors, and the mapping of all of them by name, :data:`PROJECTORS`
    :data:`HeadOfState` and :data:`HeadOfGovernment` (each a :class:`Leadership` of
    :class:`Leader` tenures),
    :data:`PromisedElection` (:class:`Elections`: a :class:`Drift` of :class:`Promise`
    per office), :data:`DetainedOfficers` (:class:`Detention`), :data:`PartyStatus`
    (:class:`Parties`, :data:`PartyState`), :data:`ConflictToll` (:class:`Toll`, its
    figures by :func:`figure_key`).

Example::

    import chronicle
    from chronicle.politics import CoupOccurred, HeadOfState

    log = chronicle.Log()
    log.append("mali", [CoupOccurred(occurred="2020-08-18", ousted="Ibrahim Boubacar Keïta",
                                     seized_by="Assimi Goïta", successful=True)])
    chronicle.replay(log, HeadOfState, as_of="2020-08-19").current.name  # 'Assimi Goïta'
"""

from chronicle.politics._events import (
    AttackOccurred,
    CasualtiesReported,
    CoupOccurred,
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    ElectionVoided,
    HeadOfGovernmentAppointed,
    HeadOfGovernmentLeft,
    HeadOfStateInstalled,
    HeadOfStateLeft,
    OfficersArrested,
    OfficersReleased,
    PartiesDissolved,
    PartiesRestored,
    PartiesSuspended,
)
from chronicle.politics._projectors import (
    PROJECTORS,
    ConflictToll,
    DetainedOfficers,
    HeadOfGovernment,
    HeadOfState,
    PartyStatus,
    PromisedElection,
)
from chronicle.politics._states import (
    Detention,
    Drift,
    Elections,
    Leader,
    Leadership,
    Parties,
    PartyState,
    Promise,
    Toll,
    figure_key,
)
from chronicle.politics._values import QUALIFIERS, Count, Officer, Qualifier

__all__ = [
    "PROJECTORS",
    "QUALIFIERS",
    "AttackOccurred",
    "CasualtiesReported",
    "ConflictToll",
    "Count",
    "CoupOccurred",
    "DetainedOfficers",
    "Detention",
    "Drift",
    "ElectionHeld",
    "ElectionPostponed",
    "ElectionScheduled",
    "ElectionVoided",
    "Elections",
    "HeadOfGovernment",
    "HeadOfGovernmentAppointed",
    "HeadOfGovernmentLeft",
    "HeadOfState",
    "HeadOfStateInstalled",
    "HeadOfStateLeft",
    "Leader",
    "Leadership",
    "Officer",
    "OfficersArrested",
    "OfficersReleased",
    "Parties",
    "PartiesDissolved",
    "PartiesRestored",
    "PartiesSuspended",
    "PartyState",
    "PartyStatus",
    "Promise",
    "PromisedElection",
    "Qualifier",
    "Toll",
    "figure_key",
]
