"""The fact lookups the :mod:`ipcmodel.paper` modules share.

They look :func:`ipcmodel.data.fact` up at call time, so that a test can replace a fact in one
place (``monkeypatch.setattr(ipcmodel.data, "fact", ...)``) and see every derived number follow.
"""

from __future__ import annotations

from ipcmodel import data


def fact(fid: str) -> data.Fact:
    """The fact ``fid`` of ``data/facts.csv`` (see :func:`ipcmodel.data.fact`)."""
    return data.fact(fid)


def v(fid: str) -> float:
    """The value of fact ``fid`` (the low end of a range)."""
    return data.fact(fid).value
