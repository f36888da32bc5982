"""Shared pytest set-up: a hypothesis profile with no deadline, and a headless plotting backend."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

# A deadline is a timed assertion, and these machines are shared and noisy: none here.
settings.register_profile("gdl", deadline=None, max_examples=25, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("gdl-thorough", deadline=None, max_examples=200,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gdl"))
