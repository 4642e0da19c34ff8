"""ipcmodel: models and cited data for Bershad (1992), *The Increasing Irrelevance of IPC
Performance for Microkernel-Based Operating Systems*.

Modules (read any of them in a notebook with ``??``):

========================  ===================================================================
``ipcmodel.units``        cycles <-> µs, bytes <-> lines, input validation
``ipcmodel.data``         cited facts and the bibliography (every number has an address)
``ipcmodel.machines``     machine records built from the facts
``ipcmodel.service``      the core: crossing + locality + service time; overhead; break-even
``ipcmodel.trends``       §2, §2.1: IPC vs processor, system call vs IPC
``ipcmodel.caches``       §3: IPC footprint, cold caches, DMA coherency, cache collisions
``ipcmodel.transfer``     §4: copy vs shared buffer vs remap; mapped sockets; X11 batching
``ipcmodel.firewall``     §5: client-side emulation, mapped clock, user-level protocols
``ipcmodel.claims``       the audit of every quantitative claim (``python -m ipcmodel claims``)
``ipcmodel.history``      thirty years later: the predictions against 1989-2026 data
``ipcmodel.measure``      the machine probe (``python -m ipcmodel measure``)
``ipcmodel.yourmachine``  notebook 06: run or load the probe, compare with the paper's machines
``ipcmodel.explorers.service``      the explorer framework (``explorers_core``) and notebooks 00/05's
                          explorers; ``explorers_s2`` .. ``explorers_s5`` and
                          ``explorers_history`` hold those of notebooks 01-04 and 07
``ipcmodel.selfcheck``    seeded exercises with a self-check; ``exercises_*`` per notebook
``ipcmodel.plotting``     palette, projector style, µs axes (nothing global changes on import)
========================  ===================================================================

Importing the package reads no files and changes no global settings.
"""

from ipcmodel._version import __version__

__all__ = ["__version__"]
