"""Address layouts: object files linked in order, user programs, and the page-colouring remedy.

**What is synthetic here.** Everything about *where* things are: the kernel's object files, their
names (Mach-like, for orientation only), their sizes and link order, where the IPC path sits
inside them, the base addresses of the segments, and the sizes of the user program and the
service. No source gives a 1992 Mach kernel's link map. Only the *bounds* come from the paper
(§3: the round-trip IPC path needs under 4 KB of instructions and under 2 KB of data; the caller
passes them in, see :mod:`ipcmodel.paper.cachelab`). The layout is a tool for asking "what if
this file were 2 KB longer", not a record of a real kernel.

Model
-----
* The kernel text is the object files laid end to end in link order from address 0, each aligned
  to ``align_bytes``. A file on the IPC path holds one contiguous block of path code
  (``path_bytes`` at ``path_offset_bytes``); the machine-dependent file holds the trap entry and
  the context switch, the machine-independent file the message code (BDF92 §3.1's collision was
  between these two kinds of code).
* Every other segment (kernel data, the client's and the service's text and data) starts at its
  own base address (``segment_bases``), each in its own :data:`SEGMENT_ALIGN_BYTES` block, so a
  segment's cache placement does not depend on the kernel's size. The offsets inside those
  blocks keep the client's and the service's small text and data apart in the cache.
* **The remedy** (§3: "allocating memory with an eye towards the cache hashing function"): with
  ``reserve=True`` the IPC path's code and data are moved into sections of their own, placed on
  pages of reserved *colours* (a colour is the set of cache sets one page maps to: cache size ÷
  page size colours), and every other page is mapped onto the remaining colours only. With split
  caches, instruction colours and data colours are reserved separately: only code competes with
  the path's code, only data with its data (§3's "tricks with split instruction and data
  caches"). The reserved part is a whole number of pages: ⌈path bytes ÷ page⌉ colours.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ipcmodel import units

__all__ = [
    "ObjectFile",
    "Region",
    "SystemLayout",
    "SEGMENT_ALIGN_BYTES",
    "OWNERS",
]

#: Segment bases are multiples of this (bytes): 1 MiB, larger than any cache simulated here.
SEGMENT_ALIGN_BYTES = 2**20
#: Who an access belongs to, for attributing misses.
OWNERS = ("ipc-path", "kernel", "client", "service")
_MAX_BYTES = 2**26


def _size(name: str, value, low: int = 0, high: int = _MAX_BYTES) -> int:
    if type(value) is int and low <= value <= high:  # the common case, without numpy's overhead
        return value
    return int(units.check(name, value, "bytes", low, high, integer=True, scalar=True))


@dataclass(frozen=True)
class ObjectFile:
    """One object file of the kernel's text (synthetic).

    Parameters
    ----------
    name : str
        e.g. ``"ipc_kmsg.o"``.
    size_bytes : int
        Size of its text (bytes), in [0, 2**26].
    path_bytes : int
        Bytes of it on the IPC path, one block (0 = not on the path).
    path_offset_bytes : int
        Where that block starts inside the file (bytes).
    path_role : str
        ``"entry-exit"``: machine-dependent code run in two halves, the first half on entering
        the kernel and the second on leaving (trap entry, context switch); ``"body"``: code run
        in between (the machine-independent message code).
    """

    name: str
    size_bytes: int
    path_bytes: int = 0
    path_offset_bytes: int = 0
    path_role: str = "body"

    def __post_init__(self):
        size = _size("size_bytes", self.size_bytes)
        path = _size("path_bytes", self.path_bytes)
        off = _size("path_offset_bytes", self.path_offset_bytes)
        if path and off + path > size:
            raise ValueError(f"{self.name}: path_offset_bytes + path_bytes (bytes) must be <= "
                             f"size_bytes = {size}; got {off} + {path}")
        if self.path_role not in ("body", "entry-exit"):
            raise ValueError(f"path_role must be 'body' or 'entry-exit'; got {self.path_role!r}")
        object.__setattr__(self, "size_bytes", size)
        object.__setattr__(self, "path_bytes", path)
        object.__setattr__(self, "path_offset_bytes", off)


@dataclass(frozen=True)
class Region:
    """A contiguous range of bytes with an owner, before the remedy's page mapping.

    ``stream`` is ``"i"`` (instructions) or ``"d"`` (data); ``start_bytes`` is its link (or
    virtual) address; :meth:`SystemLayout.physical` gives the address the cache sees.
    """

    name: str
    owner: str
    stream: str
    start_bytes: int
    size_bytes: int

    @property
    def end_bytes(self) -> int:
        return self.start_bytes + self.size_bytes


@dataclass(frozen=True)
class SystemLayout:
    """The kernel's object files in link order plus the other segments, with or without the remedy.

    Parameters
    ----------
    files : tuple of ObjectFile
        The kernel's text, in link order.
    path_data_bytes : int
        The IPC path's data (bytes): kernel stack, message buffers (§3: under 2 KB).
    client_text_bytes, client_data_bytes : int
        The user program that calls the service (bytes).
    service_text_bytes : int
        The service's code run per request (bytes).
    service_data_bytes : int
        The service's working set touched per request (bytes); 0 for a null RPC.
    reserve : bool
        Apply the remedy: the IPC path on reserved page colours (see the module docstring).
    cache_bytes : int
        Cache size the colours refer to (bytes); both caches are this size.
    page_bytes : int
        Page size (bytes): the unit of colouring.
    align_bytes : int
        Alignment of each object file in the kernel text (bytes).
    """

    files: tuple
    path_data_bytes: int = 2048
    client_text_bytes: int = 512
    client_data_bytes: int = 256
    service_text_bytes: int = 512
    service_data_bytes: int = 0
    reserve: bool = False
    cache_bytes: int = 65536
    page_bytes: int = 4096
    align_bytes: int = 16
    segment_bases: dict = field(hash=False, default_factory=lambda: {
        "kernel-text": 0, "path-text": 8 * SEGMENT_ALIGN_BYTES, "kernel-data": 16 * SEGMENT_ALIGN_BYTES,
        "client-text": 32 * SEGMENT_ALIGN_BYTES + 40 * 1024, "client-data": 33 * SEGMENT_ALIGN_BYTES + 32 * 1024,
        "service-text": 48 * SEGMENT_ALIGN_BYTES + 48 * 1024, "service-data": 49 * SEGMENT_ALIGN_BYTES})

    def __post_init__(self):
        files = tuple(self.files)
        if not files or not all(isinstance(f, ObjectFile) for f in files):
            raise ValueError("files must be a non-empty sequence of ObjectFile")
        names = [f.name for f in files]
        if len(set(names)) != len(names):
            raise ValueError(f"files must have distinct names; got {names}")
        object.__setattr__(self, "files", files)
        for n in ("path_data_bytes", "client_text_bytes", "client_data_bytes", "service_text_bytes",
                  "service_data_bytes"):
            object.__setattr__(self, n, _size(n, getattr(self, n), 0, 2**24))
        page = _size("page_bytes", self.page_bytes, 16, 2**20)
        cache = _size("cache_bytes", self.cache_bytes, page, SEGMENT_ALIGN_BYTES)
        if cache % page:
            raise ValueError(f"cache_bytes (bytes) must be a whole multiple of page_bytes = {page}; got {cache}")
        object.__setattr__(self, "page_bytes", page)
        object.__setattr__(self, "cache_bytes", cache)
        object.__setattr__(self, "align_bytes", _size("align_bytes", self.align_bytes, 1, page))
        if self.reserve and self.reserved_colours("i") + self.reserved_colours("d") and \
                max(self.reserved_colours("i"), self.reserved_colours("d")) >= self.n_colours:
            raise ValueError(f"reserve: the IPC path needs {self.reserved_colours('i')} instruction and "
                             f"{self.reserved_colours('d')} data colours of {page} bytes, but a "
                             f"{cache}-byte cache has only {self.n_colours} colours; use a larger cache_bytes")

    # ---- variants ------------------------------------------------------------------------------
    def with_size(self, name: str, size_bytes: int) -> SystemLayout:
        """The same layout with object file ``name`` resized (bytes); its path block stays put."""
        self._file(name)
        return replace(self, files=tuple(replace(f, size_bytes=size_bytes) if f.name == name else f
                                         for f in self.files))

    def with_order(self, names) -> SystemLayout:
        """The same files linked in the order ``names`` (a permutation of the file names)."""
        names = list(names)
        if sorted(names) != sorted(f.name for f in self.files):
            raise ValueError(f"names must be a permutation of {[f.name for f in self.files]}; got {names}")
        return replace(self, files=tuple(self._file(n) for n in names))

    def _file(self, name: str) -> ObjectFile:
        for f in self.files:
            if f.name == name:
                return f
        raise ValueError(f"no object file {name!r}; the files are {[f.name for f in self.files]}")

    # ---- colours -------------------------------------------------------------------------------
    @property
    def n_colours(self) -> int:
        """Page colours of the cache: ``cache_bytes // page_bytes``."""
        return self.cache_bytes // self.page_bytes

    @property
    def path_text_bytes(self) -> int:
        """Bytes of IPC-path code over all files."""
        return sum(f.path_bytes for f in self.files)

    def reserved_colours(self, stream: str) -> int:
        """Colours the remedy reserves in the ``"i"`` or ``"d"`` cache (0 without the remedy)."""
        if not self.reserve:
            return 0
        need = self.path_text_bytes if stream == "i" else self.path_data_bytes
        return -(-need // self.page_bytes)

    def reserved_bytes(self, stream: str) -> int:
        """Bytes of the ``"i"`` or ``"d"`` cache reserved for the IPC path."""
        return self.reserved_colours(stream) * self.page_bytes

    # ---- placement -----------------------------------------------------------------------------
    def file_starts(self) -> dict:
        """Link address of each object file (bytes), in link order; with the remedy the path
        blocks are taken out of the files, so the files after them move down."""
        out, at = {}, self.segment_bases["kernel-text"]
        for f in self.files:
            at = -(-at // self.align_bytes) * self.align_bytes
            out[f.name] = at
            at += f.size_bytes - (f.path_bytes if self.reserve else 0)
        return out

    def regions(self) -> list[Region]:
        """Every region, in link order for the kernel: each file (split around its path block
        without the remedy), the path blocks, then the data and user segments."""
        starts, out = self.file_starts(), []
        b = self.segment_bases
        path_at = b["path-text"]
        for f in self.files:
            s = starts[f.name]
            if not f.path_bytes:
                out.append(Region(f.name, "kernel", "i", s, f.size_bytes))
                continue
            if self.reserve:  # the path block moved to its own section on reserved colours
                out.append(Region(f.name, "kernel", "i", s, f.size_bytes - f.path_bytes))
                out.append(Region(f"{f.name} (IPC path)", "ipc-path", "i", path_at, f.path_bytes))
                path_at += f.path_bytes
            else:
                out.append(Region(f.name, "kernel", "i", s, f.path_offset_bytes))
                out.append(Region(f"{f.name} (IPC path)", "ipc-path", "i", s + f.path_offset_bytes,
                                  f.path_bytes))
                rest = f.size_bytes - f.path_offset_bytes - f.path_bytes
                out.append(Region(f"{f.name} (rest)", "kernel", "i",
                                  s + f.path_offset_bytes + f.path_bytes, rest))
        out += [Region("IPC path data", "ipc-path", "d", b["kernel-data"], self.path_data_bytes),
                Region("client text", "client", "i", b["client-text"], self.client_text_bytes),
                Region("client data", "client", "d", b["client-data"], self.client_data_bytes),
                Region("service text", "service", "i", b["service-text"], self.service_text_bytes),
                Region("service data", "service", "d", b["service-data"], self.service_data_bytes)]
        return [r for r in out if r.size_bytes > 0]

    def region(self, name: str) -> Region:
        """The region called ``name`` (see :meth:`regions`)."""
        for r in self.regions():
            if r.name == name:
                return r
        raise ValueError(f"no region {name!r}; the regions are {[r.name for r in self.regions()]}")

    def physical(self, addresses_bytes, stream: str, on_path: bool = False) -> np.ndarray:
        """Addresses the cache sees (bytes) for link addresses of one stream (``"i"``/``"d"``).

        Without the remedy, the identity. With it, page by page: the IPC path's pages
        (``on_path=True``) go onto the reserved colours, every other page onto the others.
        Each segment base is a multiple of :data:`SEGMENT_ALIGN_BYTES`, so colours restart there.
        """
        a = np.asarray(addresses_bytes, dtype=np.int64)
        r = self.reserved_colours(stream)
        if not r:
            return a
        n, page = self.n_colours, self.page_bytes
        base = (a // SEGMENT_ALIGN_BYTES) * SEGMENT_ALIGN_BYTES
        k, off = (a - base) // page, (a - base) % page
        frame = (k // r) * n + k % r if on_path else (k // (n - r)) * n + r + k % (n - r)
        return base + frame * page + off

    def region_addresses(self, region: Region, step_bytes: int = 4) -> np.ndarray:
        """Physical addresses of every ``step_bytes``-th byte of ``region`` (the cache's view)."""
        link = np.arange(region.start_bytes, region.end_bytes, step_bytes, dtype=np.int64)
        return self.physical(link, region.stream, region.owner == "ipc-path")
