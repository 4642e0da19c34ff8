"""ipcmodel: models and cited data for Bershad (1992), *The Increasing Irrelevance of IPC
Performance for Microkernel-Based Operating Systems*.

Modules (read any of them in a notebook with ``??``). One topic word per argument of the paper
names the model module, its explorers, its exercises and its test files:

==========================  ===================================================================
``units``, ``data``         cycles <-> µs, bytes <-> lines, named validation; cited facts and the
``machines``                bibliography; machine records built from the facts
``service``                 the core (notebooks 00, 05): crossing + locality + service; break-even
``trends``                  §2, §2.1 (notebook 01): IPC vs processor, system call vs IPC
``caches``                  §3 (02): IPC footprint, cold caches, DMA coherency, collisions
``transfer``                §4 (03): copy vs shared buffer vs remap; mapped sockets; X11
``firewall``                §5 (04): client-side emulation, mapped clock, user-level protocols
``workload``                the whole program: what a microkernel adds to a run (Amdahl)
``paper``                   numbers derived from the paper's cited facts, one home for each
``claims``                  the audit of every quantitative claim (``python -m ipcmodel claims``)
``yourmachine``, ``measure``  notebook 06: the machine probe and its comparison with 1992
``history``                 notebook 07: the predictions against 1989-2026 data
``explorers.<topic>``       the interactive figures (framework in ``explorers.core``; registry
                            of every explorer in ``ipcmodel.explorers``)
``exercises.<topic>``       seeded self-check exercises, ``exercise_set(seed=0)`` per topic
``plotting``, ``formatting``  palette, styles, µs and % formatting (nothing global on import)
==========================  ===================================================================

Importing the package reads no files and changes no global settings.
"""

from ipcmodel._version import __version__

__all__ = ["__version__"]
