"""The politics projectors on plausible histories, and the politics state machine."""

from __future__ import annotations

import pytest

from chronicle.politics import PROJECTORS
from chronicle.testing import LAWS, check_projector
from chronicle.testing.politics import PoliticsMachine, political_chronologies

# append_order is left out, as in test_projectors: two contradicting facts of one day
# fold in append order, by design.
LAWS_BUT_APPEND_ORDER = [law for law in LAWS if law.name != "append_order"]


class TestLawsOnHistories:
    @pytest.mark.parametrize("name", sorted(PROJECTORS))
    def test_laws(self, name: str) -> None:
        """Each projector obeys the laws on histories where events follow from each other."""
        check_projector(
            PROJECTORS[name], chronologies=political_chronologies(), laws=LAWS_BUT_APPEND_ORDER
        )


TestPoliticsMachine = PoliticsMachine.TestCase
