"""§4: all data does not need to be marshalled through the kernel.

Three ways to move a message of ``message_bytes`` from a client to a server:

* **kernel copy**: the message is copied into the kernel and out again (2 copies) plus a
  fixed cost per message (the crossing);
* **shared buffer** (co-mapped region): the client deposits the data once (1 copy); the
  notification is the fixed cost;
* **remap**: virtual-memory primitives move whole pages (0 copies) at a cost per page plus a
  fixed cost.

Copy and shared-buffer times are linear in the size, so their crossover has a closed form;
remapping is a staircase (a step per page), and :func:`remap_crossover_bytes` finds its
crossover exactly. The module also holds the mapped-socket calibration (§4: no gain below about
100 bytes, 15% faster at 4 KB on a DECstation 5000/200) and its generalisation to more passes
over the data, a copy-bandwidth estimate from a memory system (the DECstation 5000/200's is
:func:`ipcmodel.paper.ds5000_copy_estimate`), and the X11 flush-batching simulation (§4).
"""

from __future__ import annotations

from ipcmodel.transfer.copies import (
    copy_bandwidth_mb_per_s,
    copy_cycles_per_byte,
    copy_us,
    crossover_bytes,
    kernel_copy_us,
    marshalling_crossovers,
    marshalling_times_us,
    remap_crossover_bytes,
    remap_us,
    shared_buffer_us,
)
from ipcmodel.transfer.mapped import (
    MappedSocketCalibration,
    calibrate_mapped_socket,
    implied_fixed_copies,
    passes_for_fixed,
)
from ipcmodel.transfer.x11 import (
    X11_POLICIES,
    FlushResult,
    simulate_x11_flushes,
    x11_counts,
)

__all__ = [
    "copy_cycles_per_byte",
    "copy_bandwidth_mb_per_s",
    "copy_us",
    "kernel_copy_us",
    "shared_buffer_us",
    "remap_us",
    "crossover_bytes",
    "marshalling_times_us",
    "remap_crossover_bytes",
    "marshalling_crossovers",
    "MappedSocketCalibration",
    "calibrate_mapped_socket",
    "implied_fixed_copies",
    "passes_for_fixed",
    "FlushResult",
    "simulate_x11_flushes",
    "x11_counts",
    "X11_POLICIES",
]
