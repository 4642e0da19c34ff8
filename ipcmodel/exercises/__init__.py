"""Seeded exercises with a self-check: one module per topic, on :mod:`ipcmodel.exercises.core`."""
