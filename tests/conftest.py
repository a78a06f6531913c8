"""Hypothesis profiles: "ci" is deterministic and thorough, "dev" (the default) is quick.

Choose with the HYPOTHESIS_PROFILE environment variable; the profiles are the
testing kit's (see chronicle.testing.register_profiles).
"""

from chronicle.testing import register_profiles

register_profiles()
