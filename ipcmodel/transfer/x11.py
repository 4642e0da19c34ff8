"""§4: X11 flush batching, simulated for sockets, Mach messages and a shared buffer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipcmodel import units

__all__ = [
    "FlushResult",
    "simulate_x11_flushes",
    "x11_counts",
    "X11_POLICIES",
]


# ---------------------------------------------------------------------------------------------
# X11 flush batching (§4)

#: The three transports of §4's X11 example.
X11_POLICIES = ("mach-message-per-flush", "socket-coalescing", "shared-buffer")

_MAX_FLUSHES = 10_000_000  # a simulation, not a benchmark: more would only take long


@dataclass(frozen=True)
class FlushResult:
    """Counts from :func:`simulate_x11_flushes`, totals and per flush."""

    policy: str
    flushes: int
    messages: int
    crossings: int
    server_wakeups: int

    @property
    def messages_per_flush(self) -> float:
        return self.messages / self.flushes

    @property
    def crossings_per_flush(self) -> float:
        return self.crossings / self.flushes

    @property
    def wakeups_per_flush(self) -> float:
        return self.server_wakeups / self.flushes


def simulate_x11_flushes(policy: str, flushes: int, flushes_per_collection: float,
                         seed: int = 0) -> FlushResult:
    """Count messages, user-kernel crossings and server wake-ups for a stream of X11 flushes.

    The client flushes ``flushes`` times; between two collections by the X server, a random
    number of flushes (Poisson, mean ``flushes_per_collection``) accumulate. Per policy:

    * ``mach-message-per-flush``: every flush is a message (1 send crossing); message
      boundaries are kept, so the server receives each one separately (1 receive crossing
      each) and is switched to once per message ("increasing ... context switches", §4). That
      wake-up per message is the paper's assumption (each send switches to the waiting server),
      not a consequence of the backlog: a server behind on its queue receives queued messages
      without sleeping, and would wake once per collection like the socket's.
    * ``socket-coalescing``: every flush is a socket write (1 crossing); the server collects
      everything pending in one read (1 crossing, 1 wake-up per collection).
    * ``shared-buffer``: a flush writes into a co-mapped buffer (no crossing); it sends a
      wake-up IPC only if no earlier wake-up is still waiting to be collected (1 send +
      1 receive per collection), which is how we read §4's "only cause an IPC message to be sent
      if previous IPC messages have not yet been collected" (read literally, the rule is
      reversed; see the notebook).

    Parameters
    ----------
    policy : str
        One of :data:`X11_POLICIES`.
    flushes : int
        Number of client flushes, in [1, 1e7].
    flushes_per_collection : float
        Mean flushes between two server collections, >= 1 (1 = the server keeps up).
    seed : int
        Random seed, a whole number >= 0 (same seed, same counts).
    """
    n = int(units.check("flushes", flushes, "flushes", 1, _MAX_FLUSHES, integer=True, scalar=True))
    mean = units.check("flushes_per_collection", flushes_per_collection, "flushes", 1.0, 1e6,
                       scalar=True)
    seed = int(units.check("seed", seed, "count", 0, 2**63 - 1, integer=True, scalar=True))
    if policy not in X11_POLICIES:
        raise ValueError(f"policy must be one of {X11_POLICIES}; got {policy!r}")
    rng = np.random.default_rng(seed)
    # batch sizes >= 1 with the requested mean: 1 + Poisson(mean - 1)
    sizes = []
    left = n
    while left > 0:
        k = int(min(left, 1 + rng.poisson(mean - 1.0)))
        sizes.append(k)
        left -= k
    sizes = np.asarray(sizes)
    collections = len(sizes)
    if policy == "mach-message-per-flush":
        messages, crossings, wakeups = n, 2 * n, n
    elif policy == "socket-coalescing":
        messages, crossings, wakeups = n, n + collections, collections
    else:
        messages, crossings, wakeups = collections, 2 * collections, collections
    return FlushResult(policy, n, int(messages), int(crossings), int(wakeups))


def x11_counts(flushes_per_collection, flushes: int = 1000, seed: int = 1) -> dict:
    """:func:`simulate_x11_flushes` for every policy on the same flush stream.

    Returns ``{policy: FlushResult}`` (same ``seed``, so the same collections for all three).
    """
    return {p: simulate_x11_flushes(p, flushes, flushes_per_collection, seed=seed)
            for p in X11_POLICIES}
