"""A memo for conversions of frozen history rows (private to :mod:`ipcmodel.history`)."""

from __future__ import annotations

import functools

__all__ = ["per_row"]


def per_row(fn):
    """Memoise a conversion per row (rows are frozen, so equal rows convert equally): the
    predictions audit converts each row thousands of times. A ValueError is remembered too."""
    memo: dict = {}

    @functools.wraps(fn)
    def convert(row):
        if row not in memo:
            try:
                memo[row] = (fn(row), "")
            except ValueError as exc:
                memo[row] = (None, str(exc))
        value, error = memo[row]
        if error:
            raise ValueError(error)
        return value

    return convert
