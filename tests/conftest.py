"""Shared test settings."""

import os

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

try:
    from hypothesis import settings

    settings.register_profile("ci", max_examples=200, deadline=None)
    settings.register_profile("default", max_examples=100, deadline=None)
    settings.load_profile("ci" if os.environ.get("CI") else "default")
except ImportError:  # pragma: no cover
    pass

