"""chronicle.testing.register_profiles: the CI and development profiles."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from hypothesis import settings

from chronicle.testing import register_profiles


@pytest.fixture
def restore_profile() -> Iterator[None]:
    """Load the session's profile again after the test."""
    yield
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.mark.usefixtures("restore_profile")
class TestRegisterProfiles:
    def test_ci_is_deterministic_and_thorough(self, monkeypatch) -> None:
        """The CI profile: 200 derandomized examples, no database, no deadline."""
        monkeypatch.setenv("HYPOTHESIS_PROFILE", "kit-ci")
        assert "kit-ci" == register_profiles(ci="kit-ci", dev="kit-dev")
        current = settings()
        assert (200, True, None, None) == (
            current.max_examples,
            current.derandomize,
            current.database,
            current.deadline,
        )

    def test_dev_is_the_default_and_quick(self, monkeypatch) -> None:
        """Without HYPOTHESIS_PROFILE, the quick random profile is loaded."""
        monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
        assert "kit-dev" == register_profiles(ci="kit-ci", dev="kit-dev")
        assert (50, False) == (settings().max_examples, settings().derandomize)

    def test_load_false_only_registers(self, monkeypatch) -> None:
        """load=False registers both profiles and loads neither."""
        monkeypatch.setenv("HYPOTHESIS_PROFILE", "kit-ci")
        before = settings().max_examples
        assert None is register_profiles(ci="kit-other-ci", dev="kit-other-dev", load=False)
        assert before == settings().max_examples
        assert 200 == settings.get_profile("kit-other-ci").max_examples


class TestImport:
    def test_import_chronicle_does_not_need_hypothesis(self) -> None:
        """Only chronicle.testing imports hypothesis; chronicle itself does not."""
        code = "import sys, chronicle; print('hypothesis' in sys.modules)"
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "False" == result.stdout.strip()
