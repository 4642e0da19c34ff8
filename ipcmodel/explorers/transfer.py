"""Explorers and helpers for notebook 03 (Bershad 1992, §4: not all data goes through the kernel).

* :func:`marshalling_explorer`: a message-size slider; the time to move the message through the
  kernel (two copies + a fixed cost), through a co-mapped buffer (one copy + a notification) and
  by remapping pages (a cost per page + the fixed cost), with the crossovers drawn where
  :func:`ipcmodel.transfer.crossover_bytes` puts them, and the shared buffer's gain over the
  kernel copy next to the two mapped-socket observations of §4.
* :func:`x11_explorer`: X11 flush batching (§4): messages, user-kernel crossings and server
  wake-ups per flush for the three transports, against the flushes that pile up between two
  collections by the server (:func:`ipcmodel.transfer.simulate_x11_flushes`).

Helpers (pure functions; no widgets):

* :func:`ds5000_copy_estimate`: the DECstation 5000/200's copy bandwidth *estimated* from its
  memory system (Chen & Bershad 1993, Table 2-1), with the fact ids it comes from;
* :func:`ds5000_page_bytes`: the page size (Chen & Bershad 1993, Table 2-1);
* :func:`mapped_socket_calibration`: :func:`ipcmodel.transfer.calibrate_mapped_socket` with the
  two §4 observations from ``data/``;
* :func:`implied_fixed_copies` / :func:`passes_for_fixed`: the mapped-socket arithmetic in a
  model where the regular send passes over the data ``passes_regular`` times and the mapped one
  saves ``passes_saved`` of them (the one-copy-saved model is ``2`` and ``1``);
* :func:`remap_crossover_bytes`: the exact size above which page remapping (a staircase,
  ``fixed + ceil(n / P) r``) beats a copying method (a straight line) at every larger size;
* :func:`marshalling_times_us` / :func:`marshalling_crossovers`: the three methods' times and
  their crossovers, as the explorer draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import FuncFormatter

from ipcmodel import plotting, transfer, units
from ipcmodel.data import fact
from ipcmodel.explorers.core import Explorer, SliderSpec
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us

__all__ = [
    "CopyEstimate",
    "ds5000_copy_estimate",
    "ds5000_page_bytes",
    "mapped_socket_observations",
    "mapped_socket_calibration",
    "implied_fixed_copies",
    "passes_for_fixed",
    "remap_crossover_bytes",
    "marshalling_times_us",
    "marshalling_crossovers",
    "format_bytes",
    "MarshallingExplorer",
    "X11Explorer",
    "marshalling_explorer",
    "x11_explorer",
    "PRESET_RPC",
    "PRESET_SYSCALL",
    "PRESET_FITTED",
]


# ---- helpers (pure) ---------------------------------------------------------------------------

_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


_COPY_IDS = ("cb93-dcache-read-miss-ds5000", "cb93-dcache-fetch-ds5000",
             "cb93-write-page-mode-ds5000", "b92-clock-ds5000")


@dataclass(frozen=True)
class CopyEstimate:
    """A copy bandwidth estimated from a memory system (not measured).

    Attributes: ``cycles_per_byte`` (cycles), ``clock_mhz`` (MHz), ``mb_per_s`` (MB/s = bytes
    per µs), ``from_ids`` (the facts it is computed from) and the parts of the sum:
    ``read_miss_cycles`` per ``fetch_bytes`` fetched, ``write_cycles`` per word,
    ``instructions_per_word`` (a load and a store, one cycle each: the model's assumption) and
    ``word_bytes``.
    """

    cycles_per_byte: float
    clock_mhz: float
    mb_per_s: float
    from_ids: tuple[str, ...]
    read_miss_cycles: float = float("nan")
    fetch_bytes: float = float("nan")
    write_cycles: float = float("nan")
    instructions_per_word: float = 2.0
    word_bytes: float = 4.0

    def breakdown(self) -> str:
        """The sum behind :attr:`cycles_per_byte`, term by term, as text."""
        read = self.read_miss_cycles / self.fetch_bytes
        word = (self.write_cycles + self.instructions_per_word) / self.word_bytes
        return (f"cycles per byte = read miss / bytes fetched + (write + instructions) / bytes per word\n"
                f"                = {self.read_miss_cycles:g}/{self.fetch_bytes:g} + "
                f"({self.write_cycles:g} + {self.instructions_per_word:g})/{self.word_bytes:g}"
                f" = {read:g} + {word:g} = {self.cycles_per_byte:g}\n"
                f"bandwidth       = {self.clock_mhz:g} MHz / {self.cycles_per_byte:g} cycles per byte"
                f" = {self.mb_per_s:.3g} MB/s")

    def __str__(self) -> str:
        cites = ", ".join(dict.fromkeys(fact(i).cite() for i in self.from_ids))
        return (f"copy bandwidth ≈ {self.mb_per_s:.3g} MB/s = {self.clock_mhz:g} MHz / "
                f"{self.cycles_per_byte:g} cycles per byte (an estimate from the memory system, "
                f"not a measurement; from {cites})")


def ds5000_copy_estimate() -> CopyEstimate:
    """The DECstation 5000/200's copy bandwidth, estimated from its memory system.

    :func:`ipcmodel.transfer.copy_cycles_per_byte` with Chen & Bershad (1993) Table 2-1 (a
    15-cycle read miss fetches 16 bytes; page-mode writes take 1 cycle) and its default of two
    one-cycle instructions (a load and a store) per 4-byte word, then
    :func:`ipcmodel.transfer.copy_bandwidth_mb_per_s` at the 25 MHz clock of Bershad (1992) §2.
    It ignores write-buffer stalls and loop overhead: an estimate, not a measurement.
    """
    miss, fetch, write, clock = (fact(i).value for i in _COPY_IDS)
    word, ins = 4.0, 2.0
    cpb = transfer.copy_cycles_per_byte(miss, fetch, write, word_bytes=word, instructions_per_word=ins)
    return CopyEstimate(float(cpb), clock, float(transfer.copy_bandwidth_mb_per_s(cpb, clock)),
                        _COPY_IDS, float(miss), float(fetch), float(write), ins, word)


def ds5000_page_bytes() -> float:
    """The DECstation 5000/200's page size in bytes (Chen & Bershad 1993, Table 2-1: 4 KB)."""
    return float(units.kb_to_bytes(fact("cb93-page-size-ds5000").value))


def mapped_socket_observations() -> tuple[float, float, float]:
    """§4's two observations from ``data/``: ``(no_gain_below_bytes, gain_fraction, gain_at_bytes)``.

    No gain below about 100 bytes; sends 15% faster at 4 KB (facts
    b92-mapped-socket-no-gain-below, b92-mapped-socket-gain, b92-mapped-socket-packet).
    """
    return (fact("b92-mapped-socket-no-gain-below").value,
            fact("b92-mapped-socket-gain").value / 100.0,
            float(units.kb_to_bytes(fact("b92-mapped-socket-packet").value)))


def mapped_socket_calibration() -> transfer.MappedSocketCalibration:
    """:func:`ipcmodel.transfer.calibrate_mapped_socket` fed with :func:`mapped_socket_observations`."""
    return transfer.calibrate_mapped_socket(*mapped_socket_observations())


def implied_fixed_copies(no_gain_below_bytes, gain_fraction, gain_at_bytes, passes_regular=2,
                         passes_saved=1):
    """Fixed cost of a regular send (in byte-copies) that reproduces the §4 observations.

    A regular send costs ``F + a n`` and a mapped one ``F + s + (a - k) n`` (in units of the
    time to copy one byte once), where ``a = passes_regular`` is how many times the regular
    path passes over each byte and ``k = passes_saved`` how many of those passes the mapped
    interface avoids. "No gain below ``n0`` bytes" gives ``s = k n0``; "``g`` faster at ``n1``
    bytes" gives ``k (n1 - n0) = g (F + a n1)``, so::

        F = k (n1 - n0) / g - a n1

    With ``a = 2``, ``k = 1`` this is :func:`ipcmodel.transfer.calibrate_mapped_socket`'s
    ``fixed_copies``. A negative result means no fixed cost can reproduce the observations
    with that many passes (the passes alone already cost more than the gain allows).

    Parameters
    ----------
    no_gain_below_bytes, gain_at_bytes : float
        The two sizes (bytes), ``0 < n0 < n1``.
    gain_fraction : float
        The fractional time saved at ``n1``, in (0, 1).
    passes_regular, passes_saved : float or array_like
        Passes over the data (passes), ``passes_regular >= passes_saved > 0``.
    """
    n0 = units.check_positive("no_gain_below_bytes", no_gain_below_bytes, "bytes")
    g = units.check_in_range("gain_fraction", gain_fraction, "fraction", 0, 1,
                             low_inclusive=False, high_inclusive=False)
    n1 = units.check_positive("gain_at_bytes", gain_at_bytes, "bytes")
    a = units.check_positive("passes_regular", passes_regular, "passes", 1e3)
    k = units.check_positive("passes_saved", passes_saved, "passes", 1e3)
    if np.any(n1 <= n0):
        raise ValueError(f"gain_at_bytes (bytes) must exceed no_gain_below_bytes ({float(n0):g})")
    if np.any(k > a):
        raise ValueError("passes_saved (passes) must be at most passes_regular")
    n0, g, n1, a, k = units.broadcast_named(n0=n0, g=g, n1=n1, a=a, k=k)
    return _res(k * (n1 - n0) / g - a * n1)


def passes_for_fixed(fixed_copies, no_gain_below_bytes, gain_fraction, gain_at_bytes,
                     passes_saved=1):
    """Passes over the data the regular send needs if its fixed cost is ``fixed_copies``.

    The inverse of :func:`implied_fixed_copies` in ``passes_regular``:
    ``a = (k (n1 - n0) / g - F) / n1``. E.g. with the fixed cost set to one round-trip RPC
    (expressed in byte-copies at a copy bandwidth), how many times must a regular 4 KB send
    touch each byte for the mapped send to be only 15% faster?
    """
    f = units.check_nonnegative("fixed_copies", fixed_copies, "byte-copies")
    n0 = units.check_positive("no_gain_below_bytes", no_gain_below_bytes, "bytes")
    g = units.check_in_range("gain_fraction", gain_fraction, "fraction", 0, 1,
                             low_inclusive=False, high_inclusive=False)
    n1 = units.check_positive("gain_at_bytes", gain_at_bytes, "bytes")
    k = units.check_positive("passes_saved", passes_saved, "passes", 1e3)
    if np.any(n1 <= n0):
        raise ValueError(f"gain_at_bytes (bytes) must exceed no_gain_below_bytes ({float(n0):g})")
    f, n0, g, n1, k = units.broadcast_named(f=f, n0=n0, g=g, n1=n1, k=k)
    return _res((k * (n1 - n0) / g - f) / n1)


def marshalling_times_us(message_bytes, copy_mb_per_s, kernel_fixed_us, notify_us,
                         remap_us_per_page, page_bytes) -> dict:
    """The three §4 methods' times (µs) for ``message_bytes``.

    ``kernel_copy``: :func:`ipcmodel.transfer.kernel_copy_us` (two copies + ``kernel_fixed_us``);
    ``shared_buffer``: :func:`ipcmodel.transfer.shared_buffer_us` (one copy + ``notify_us``);
    ``remap``: :func:`ipcmodel.transfer.remap_us` (whole pages × ``remap_us_per_page`` +
    ``kernel_fixed_us``: the message that carries the pages costs what any message does).
    """
    return {
        "kernel_copy_us": transfer.kernel_copy_us(message_bytes, copy_mb_per_s, kernel_fixed_us),
        "shared_buffer_us": transfer.shared_buffer_us(message_bytes, copy_mb_per_s, notify_us),
        "remap_us": transfer.remap_us(message_bytes, page_bytes, remap_us_per_page, kernel_fixed_us),
    }


def remap_crossover_bytes(other_fixed_us, other_us_per_byte, remap_fixed_us, remap_us_per_page,
                          page_bytes) -> float:
    """Size (bytes) above which remapping is cheaper than a copying method at *every* larger size.

    Exact for the page staircase, no straight-line bound. The copying method costs
    ``F_o + s n`` (a line); remapping costs ``F_r + ceil(n / P) r`` (a step per page, as
    :func:`ipcmodel.transfer.remap_us` charges it). On page ``k`` (``(k-1) P < n <= k P``) the
    remap costs ``F_r + k r``, so it loses there for ``n <= n_k = (F_r + k r - F_o) / s``;
    ``n_k - (k-1) P = A - (k-1) D`` with ``A = (F_r - F_o + r) / s`` and ``D = P - r / s``.
    If ``D > 0`` (a remap is cheaper than ``s P``, copying a page by this method) the losing
    pages are ``k = 1 .. K`` with ``K = ceil(A / D)``, and the answer is ``min(K P, n_K)``;
    0 when remapping wins on every page, ``inf`` when it never wins for good (``D <= 0``).
    A tie (equal cost) counts as not cheaper. Scalars only.

    Parameters
    ----------
    other_fixed_us, remap_fixed_us : float
        Fixed costs (µs), >= 0.
    other_us_per_byte : float
        The copying method's cost per byte (µs/byte), >= 0.
    remap_us_per_page : float
        Cost of remapping one page (µs/page), >= 0.
    page_bytes : float
        Page size (bytes), > 0.
    """
    fo = float(units.check_nonnegative("other_fixed_us", other_fixed_us, "µs", 1e12))
    s = float(units.check_nonnegative("other_us_per_byte", other_us_per_byte, "µs/byte", 1e12))
    fr = float(units.check_nonnegative("remap_fixed_us", remap_fixed_us, "µs", 1e12))
    r = float(units.check_nonnegative("remap_us_per_page", remap_us_per_page, "µs/page", 1e12))
    p = float(units.check_positive("page_bytes", page_bytes, "bytes", 1e12))
    if s == 0:  # a copy that costs nothing per byte: remap wins only if cheaper at one page, for ever
        return 0.0 if (r == 0 and fr < fo) else np.inf
    tol = 1e-9 * p  # rounding noise at an exact tie on a page boundary
    a = (fr - fo + r) / s
    d = p - r / s
    if d <= tol:  # a remap costs at least as much per page as copying the page
        return 0.0 if (a <= tol and d >= -tol) else np.inf
    if a <= tol:
        return 0.0
    k = max(1, int(np.ceil((a - tol) / d)))
    n_k = (k - 1) * p + a - (k - 1) * d
    return float(min(k * p, n_k))


def marshalling_crossovers(copy_mb_per_s, kernel_fixed_us, notify_us, remap_us_per_page,
                           page_bytes) -> dict:
    """Sizes (bytes) above which the cheaper-per-byte method wins at every larger size.

    Keys: ``kernel_to_shared`` (the shared buffer beats the kernel copy above it:
    :func:`ipcmodel.transfer.crossover_bytes`, two straight lines), ``kernel_to_remap`` and
    ``shared_to_remap`` (:func:`remap_crossover_bytes`, exact for the remap staircase
    ``kernel_fixed_us + ceil(n / P) remap_us_per_page``). ``0`` means "wins at every size",
    ``inf`` "never wins for good".
    """
    bw = units.check_positive("copy_mb_per_s", copy_mb_per_s, "MB/s", 1e9)
    per_copy = 1.0 / float(bw)
    r = units.check_nonnegative("remap_us_per_page", remap_us_per_page, "µs/page", 1e9)
    p = units.check_positive("page_bytes", page_bytes, "bytes", 1e12)
    return {
        "kernel_to_shared": transfer.crossover_bytes(kernel_fixed_us, 2 * per_copy, notify_us, per_copy),
        "kernel_to_remap": remap_crossover_bytes(kernel_fixed_us, 2 * per_copy, kernel_fixed_us, r, p),
        "shared_to_remap": remap_crossover_bytes(notify_us, per_copy, kernel_fixed_us, r, p),
    }


def format_bytes(n: float) -> str:
    """Bytes as text in the largest fitting binary unit: ``"100 bytes"``, ``"4 KB"``, ``"1.5 MB"``."""
    v = float(n)
    if not np.isfinite(v):
        return "never"
    for unit, size in (("GB", 1024.0 ** 3), ("MB", 1024.0 ** 2), ("KB", 1024.0)):
        if v >= size:
            return f"{v / size:.3g} {unit}"
    return f"{v:.3g} byte{'' if v == 1 else 's'}"


_NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def _nice(x: float, up: bool) -> float:
    """The nearest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten) above
    (``up``) or below ``x`` > 0: axis limits that stay put while a slider moves a little."""
    x = float(x)
    p = 10.0 ** np.floor(np.log10(x))
    steps = [m * p for m in _NICE_STEPS]
    if up:
        return float(min(v for v in steps if v >= x * (1 - 1e-12)))
    return float(max(v for v in steps if v <= x * (1 + 1e-12)))


def _gain_limits(gain, observed_gain: float) -> tuple[float, float]:
    """Vertical limits of the saving panel: the curve and the observations, in steps of 5 points."""
    lo = max(min(float(np.min(gain)), 0.0), -1.0)
    hi = min(max(float(np.max(gain)), observed_gain), 1.0)
    return float(np.floor(lo * 20 - 1) / 20), float(np.ceil(hi * 20 + 1) / 20)


def _page_grid(page_bytes: float, pages: int = 32) -> np.ndarray:
    """1 byte .. 64 MB on a log grid, plus both sides of the first ``pages`` page boundaries
    (so that the remap staircase is drawn with sharp steps)."""
    edges = page_bytes * np.arange(1, pages + 1)
    return np.unique(np.concatenate([np.logspace(0, np.log10(2.0 ** 26), 600), edges, edges + 1]))


def _bytes_formatter():
    return FuncFormatter(lambda x, _p: format_bytes(x) if x > 0 else "0")


# ---- presets: from data, never typed in -------------------------------------------------------

#: Preset labels of the marshalling explorer.
PRESET_RPC = "DECstation 5000/200: every message an RPC"
PRESET_SYSCALL = "DECstation 5000/200: notify with a system call"
PRESET_FITTED = "Fitted to the mapped-socket observations (§4)"


def _marshalling_presets() -> list[tuple[str, dict, str]]:
    """``[(label, {slider: value}, source), ...]``: every value from data/ or computed from it."""
    bw = ds5000_copy_estimate().mb_per_s
    rpc, sc = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000")
    cal = mapped_socket_calibration()
    fixed = cal.fixed_us(bw)
    copy = "copy bandwidth estimated from the memory system [ChenBershad93, Table 2-1]"
    return [
        (PRESET_RPC, {"copy_mb_per_s": bw, "kernel_fixed_us": rpc.value, "notify_us": rpc.value},
         f"{copy}; fixed cost and notification = the round-trip RPC {rpc.cite()}."),
        (PRESET_SYSCALL, {"copy_mb_per_s": bw, "kernel_fixed_us": rpc.value, "notify_us": sc.value},
         f"{copy}; fixed cost = the round-trip RPC {rpc.cite()}; notification = a system call "
         f"{sc.cite()}."),
        (PRESET_FITTED, {"copy_mb_per_s": bw, "kernel_fixed_us": fixed,
                         "notify_us": fixed + cal.setup_copies / bw},
         f"{copy}; fixed cost and set-up fitted to the two mapped-socket observations "
         f"{fact('b92-mapped-socket-gain').cite()} (ipcmodel.transfer.calibrate_mapped_socket)."),
    ]


# ---- the marshalling explorer -----------------------------------------------------------------

_LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
_LEGEND_BOX = {"frameon": True, "facecolor": "white", "edgecolor": "0.8", "framealpha": 0.85}
_C = {"kernel": OKABE_ITO["vermillion"], "shared": OKABE_ITO["blue"], "remap": OKABE_ITO["bluish_green"],
      "obs": OKABE_ITO["black"]}
_XO_STYLE = {"kernel_to_shared": (_C["shared"], "shared beats kernel copy"),
             "kernel_to_remap": (_C["remap"], "remap beats kernel copy"),
             "shared_to_remap": (OKABE_ITO["reddish_purple"], "remap beats shared buffer")}


class MarshallingExplorer(Explorer):
    """Notebook 03: kernel copy vs shared buffer vs remap over the message size (§4).

    Controls (model keywords): ``message_bytes`` (bytes), ``copy_mb_per_s`` (MB/s),
    ``kernel_fixed_us`` (µs: the fixed cost of a message through the kernel, also paid by the
    message that carries remapped pages), ``notify_us`` (µs: the shared buffer's notification),
    ``remap_us_per_page`` (µs per page; **no published value**).
    """

    x_bytes = _page_grid(units.kb_to_bytes(fact("cb93-page-size-ds5000").value))  # 1 byte .. 64 MB
    default_machine = None
    machine_params: dict = {}
    figsize = (11.5, 4.8)
    controls = (
        SliderSpec("message_bytes", "Message size", "bytes", 1.0, 2.0 ** 26, log=True, base=2,
                   step=0.25, fmt=",.0f", help="Bytes to move from client to server (1 byte .. 64 MB)"),
        SliderSpec("copy_mb_per_s", "Copy bandwidth", "MB/s", 1.0, 1e5, log=True,
                   help="Bytes copied per µs; starts at the DECstation 5000/200 estimate"),
        SliderSpec("kernel_fixed_us", "Fixed cost per message", "µs", 0.1, 1e4, log=True,
                   help="Per-message cost of going through the kernel (starts at the RPC, §2)"),
        SliderSpec("notify_us", "Shared buffer: notification", "µs", 0.1, 1e4, log=True,
                   help="Telling the server that data is in the shared buffer"),
        SliderSpec("remap_us_per_page", "Remap cost per page (not published)", "µs", 0.1, 1e4,
                   log=True, help="No source gives this number: find where it matters"),
    )

    @property
    def fixed_defaults(self):
        bw = ds5000_copy_estimate().mb_per_s
        page = ds5000_page_bytes()
        rpc = fact("b92-rpc-ds5000").value
        return {"message_bytes": page, "copy_mb_per_s": bw, "kernel_fixed_us": rpc,
                "notify_us": rpc, "remap_us_per_page": page / bw}

    def __init__(self, **kw):
        self.page_bytes = ds5000_page_bytes()
        self.observations = mapped_socket_observations()
        super().__init__(**kw)
        for label, values, source in _marshalling_presets():
            self.add_preset(label, values, missing=("remap_us_per_page",), source=source)
        self.preset_menu.description = "Preset (from data)"
        est = ds5000_copy_estimate()
        self.notes = [
            f"Copy bandwidth to start with: {est.mb_per_s:.3g} MB/s, estimated from the DECstation "
            f"5000/200's memory system [ChenBershad93, Table 2-1] at {est.clock_mhz:g} MHz: "
            "an estimate, not a measurement.",
            f"Fixed cost to start with: the round-trip RPC, {format_us(fact('b92-rpc-ds5000').value)} "
            f"{fact('b92-rpc-ds5000').cite()}. Page: {format_bytes(self.page_bytes)} "
            f"{fact('cb93-page-size-ds5000').cite()}.",
            "Remap cost per page: no source gives it. It starts at the time to copy one page once, "
            "so that remapping only saves the kernel copy's second pass: move it.",
        ]
        self._show_reading()

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
        x = self.x_bytes
        a = {"ax": ax, "bx": bx}
        ones = np.ones_like(x)
        # distinct widths, dashes and markers: at some settings two of the lines coincide
        a["kernel"], = ax.plot(x, ones, color=_C["kernel"], linewidth=2.2, zorder=3,
                               label="through the kernel (2 copies)")
        a["shared"], = ax.plot(x, ones, color=_C["shared"], linewidth=5.0, alpha=0.75, zorder=2,
                               label="shared buffer (1 copy)")
        a["remap"], = ax.plot(x, ones, color=_C["remap"], linewidth=2.0, linestyle=(0, (5, 2.5)),
                              marker="^", markevery=0.08, markersize=6, mfc="white", zorder=4,
                              label="remap pages (staircase)")
        a["now_points"], = ax.plot([1, 1, 1], [1, 1, 1], "o", color=OKABE_ITO["black"], zorder=6,
                                   markersize=6)
        a["now_line"] = ax.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        # crossover labels: stacked under the legend, in the upper left, which the rising
        # curves leave empty; each has the colour of its dashed line
        for key, (color, _label) in _XO_STYLE.items():
            a[f"xo_{key}"] = ax.axvline(1.0, color=color, linestyle="--", linewidth=1.6)
            a[f"xo_{key}_text"] = ax.text(0.02, 0.7, "", ha="left", va="top", fontsize=9.5,
                                          color=color, transform=ax.transAxes, zorder=8,
                                          bbox=_LABEL_BOX)
        ax.set(xscale="log", yscale="log", xlim=(x[0], x[-1]))
        ax.xaxis.set_major_formatter(_bytes_formatter())
        ax.yaxis.set_major_formatter(plotting.us_formatter())
        ax.set_xticks([1, 2 ** 10, 2 ** 20, 2 ** 26])
        plotting.decorate(ax, xlabel="Message size", ylabel="Time to move it",
                          title="Moving a message between address spaces", legend=False)
        a["legend"] = ax.legend(loc="upper left", fontsize=10, **_LEGEND_BOX)
        a["gain"], = bx.plot(x, ones * 0, color=_C["shared"], label="model: shared vs kernel copy")
        n0, g, n1 = self.observations
        a["observed"], = bx.plot([n0, n1], [0.0, g], "s", mfc="white", mec=_C["obs"], mew=2,
                                 zorder=6, label="observed mapped sockets (§4)")
        a["gain_point"], = bx.plot([1.0], [0.0], "o", color=OKABE_ITO["black"], zorder=7, markersize=6)
        a["gain_now_line"] = bx.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        bx.axhline(0.0, color="0.5", linewidth=0.8)
        bx.set(xscale="log", xlim=(x[0], x[-1]), ylim=(-0.05, 0.55))
        bx.xaxis.set_major_formatter(_bytes_formatter())
        bx.set_xticks([1, 2 ** 10, 2 ** 20, 2 ** 26])
        bx.yaxis.set_major_formatter(plotting.percent_formatter())
        plotting.decorate(bx, xlabel="Message size", ylabel="Time saved",
                          title="Shared buffer's saving over the kernel copy", legend=False)
        # below the axes, not inside: a legend's square inside the data area reads as a third point
        a["legend_b"] = bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10,
                                  borderaxespad=0.0, **_LEGEND_BOX)
        return a

    def update(self, values):
        n = values["message_bytes"]
        bw, fk, fn, r = (values[k] for k in ("copy_mb_per_s", "kernel_fixed_us", "notify_us",
                                              "remap_us_per_page"))
        x = self.x_bytes
        t = marshalling_times_us(x, bw, fk, fn, r, self.page_bytes)
        now = marshalling_times_us(n, bw, fk, fn, r, self.page_bytes)
        xo = marshalling_crossovers(bw, fk, fn, r, self.page_bytes)
        gain = 1.0 - t["shared_buffer_us"] / t["kernel_copy_us"]
        gain_now = 1.0 - now["shared_buffer_us"] / now["kernel_copy_us"]
        a = self.artists
        for key, name in (("kernel", "kernel_copy_us"), ("shared", "shared_buffer_us"), ("remap", "remap_us")):
            a[key].set_ydata(t[name])
        a["now_points"].set_data([n, n, n], [now["kernel_copy_us"], now["shared_buffer_us"], now["remap_us"]])
        a["now_line"].set_xdata([n, n])
        row = 0
        for key, (_color, label) in _XO_STYLE.items():
            c = xo[key]
            shown = bool(x[0] < c < x[-1])
            a[f"xo_{key}"].set_visible(shown)
            a[f"xo_{key}_text"].set_visible(shown)
            if shown:
                a[f"xo_{key}"].set_xdata([c, c])
                text = a[f"xo_{key}_text"]
                text.set_y(0.71 - 0.075 * row)
                text.set_text(f"- - {label}: {format_bytes(c)}")
                row += 1
        ys = np.concatenate([t["kernel_copy_us"], t["shared_buffer_us"], t["remap_us"]])
        # round limits just outside the data, so that most slider moves keep them (fast redraw)
        a["ax"].set_ylim(_nice(ys.min() / 1.25, up=False), _nice(ys.max() * 1.25, up=True))
        a["bx"].set_ylim(*_gain_limits(gain, self.observations[1]))
        a["gain"].set_ydata(gain)
        a["gain_point"].set_data([n], [gain_now])
        a["gain_now_line"].set_xdata([n, n])
        return {"message_bytes": x, **t, "gain_shared_vs_kernel": gain, "crossovers_bytes": xo,
                "current": {"message_bytes": n, **now, "gain_shared_vs_kernel": gain_now},
                "observed_bytes": np.array([self.observations[0], self.observations[2]]),
                "observed_gain": np.array([0.0, self.observations[1]])}

    def describe(self, values, plotted):
        now, xo = plotted["current"], plotted["crossovers_bytes"]
        n = values["message_bytes"]
        times = {"the kernel copy": now["kernel_copy_us"], "the shared buffer": now["shared_buffer_us"],
                 "remapping": now["remap_us"]}
        low = min(times.values())
        best = [k for k, t in times.items() if t <= low * (1 + 1e-9)]
        cheapest = f"{best[0]} is cheapest" if len(best) == 1 else f"{' and '.join(best)} tie as cheapest"
        head = (f"A {format_bytes(n)} message takes {format_us(now['kernel_copy_us'])} through the "
                f"kernel, {format_us(now['shared_buffer_us'])} through the shared buffer and "
                f"{format_us(now['remap_us'])} by remapping pages at "
                f"{format_us(values['remap_us_per_page'])} per page (a value no source gives); "
                f"{cheapest}. ")

        def when(c, what, other):
            if c == 0:
                return f"{what} at every size"
            if not np.isfinite(c):
                if np.any(plotted["remap_us"] < plotted[other]):
                    return f"{what} on parts of some pages, but never at every larger size"
                return f"{what} at no size"
            return f"{what} at every size above {format_bytes(c)}"

        return head + (
            when(xo["kernel_to_shared"], "The shared buffer beats the kernel copy", None) + "; "
            + when(xo["kernel_to_remap"], "remapping beats the kernel copy", "kernel_copy_us") + "; "
            + when(xo["shared_to_remap"], "remapping beats the shared buffer", "shared_buffer_us") + ". "
            f"Saving of the shared buffer at this size: {format_percent(now['gain_shared_vs_kernel'])} "
            f"(mapped sockets: none below {format_bytes(self.observations[0])}, "
            f"{format_percent(self.observations[1])} at {format_bytes(self.observations[2])}).")


# ---- the X11 explorer -------------------------------------------------------------------------

_POLICY_LABEL = {"mach-message-per-flush": "Mach message per flush",
                 "socket-coalescing": "Unix socket",
                 "shared-buffer": "shared buffer + wake-up"}
_POLICY_COLOR = {"mach-message-per-flush": OKABE_ITO["vermillion"],
                 "socket-coalescing": OKABE_ITO["orange"],
                 "shared-buffer": OKABE_ITO["blue"]}
_MEASURES = (("messages_per_flush", "messages"), ("crossings_per_flush", "user-kernel\ncrossings"),
             ("wakeups_per_flush", "server\nwake-ups"))


def x11_counts(flushes_per_collection, flushes: int = 1000, seed: int = 1) -> dict:
    """:func:`ipcmodel.transfer.simulate_x11_flushes` for every policy on the same flush stream.

    Returns ``{policy: FlushResult}`` (same ``seed``, so the same collections for all three).
    """
    return {p: transfer.simulate_x11_flushes(p, flushes, flushes_per_collection, seed=seed)
            for p in transfer.X11_POLICIES}


class X11Explorer(Explorer):
    """Notebook 03: X11 flush batching (§4) over the flushes that pile up between collections.

    Control: ``flushes_per_collection`` (flushes, mean, >= 1). The stream has :attr:`flushes`
    flushes and a fixed :attr:`seed`, so the same slider value always shows the same counts.
    """

    flushes = 1000
    seed = 1
    x_grid = np.unique(np.round(np.logspace(0, np.log2(64), 25, base=2), 3))
    default_machine = None
    machine_params: dict = {}
    figsize = (11.5, 4.4)
    controls = (SliderSpec("flushes_per_collection", "Flushes between collections", "flushes",
                           1.0, 64.0, log=True, base=2, step=0.125, fmt=".3g",
                           help="Mean number of client flushes before the X server collects "
                                "(1 = the server keeps up)"),)
    fixed_defaults = {"flushes_per_collection": 4.0}
    _curves_cache: dict | None = None

    def __init__(self, **kw):
        super().__init__(**kw)  # no machine parameters, no presets: the menu hides itself
        self.notes = [f"Each point simulates {self.flushes} flushes with seed {self.seed} "
                      "(ipcmodel.transfer.simulate_x11_flushes). No preset: the paper gives no "
                      "flush or collection rates."]
        self._show_reading()

    @classmethod
    def curves(cls) -> dict:
        """Crossings per flush over :attr:`x_grid` for each policy (computed once, then cached)."""
        if cls._curves_cache is None:
            out = {p: np.empty(cls.x_grid.size) for p in transfer.X11_POLICIES}
            for i, m in enumerate(cls.x_grid):
                for p, r in x11_counts(m, cls.flushes, cls.seed).items():
                    out[p][i] = r.crossings_per_flush
            cls._curves_cache = out
        return {p: v.copy() for p, v in cls._curves_cache.items()}

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
        a = {"ax": ax, "bx": bx}
        width = 0.26
        for j, p in enumerate(transfer.X11_POLICIES):
            xs = np.arange(len(_MEASURES)) + (j - 1) * width
            a[f"bars_{p}"] = ax.bar(xs, np.zeros(len(_MEASURES)), width, color=_POLICY_COLOR[p],
                                    label=_POLICY_LABEL[p])
            a[f"labels_{p}"] = [ax.text(x, 0, "", ha="center", va="bottom", fontsize=9) for x in xs]
        ax.set_xticks(np.arange(len(_MEASURES)), [m[1] for m in _MEASURES])
        ax.set_ylim(0, 2.4)
        plotting.decorate(ax, ylabel="Per flush", title="Per client flush", legend=False)
        for p in transfer.X11_POLICIES:
            a[f"curve_{p}"], = bx.plot(self.x_grid, np.ones_like(self.x_grid), color=_POLICY_COLOR[p],
                                       marker=".", label=_POLICY_LABEL[p])
        a["now_line"] = bx.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        a["now_points"], = bx.plot([1, 1, 1], [1, 1, 1], "o", color=OKABE_ITO["black"], zorder=6,
                                   markersize=6)
        bx.set(xscale="log", xlim=(0.9, 70), ylim=(0, 2.2))
        bx.set_xscale("log", base=2)
        bx.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        plotting.decorate(bx, xlabel="Flushes between two collections (mean)",
                          ylabel="User-kernel crossings per flush", title="Crossings as the server falls behind",
                          legend=False)
        a["legend"] = bx.legend(loc="upper right", bbox_to_anchor=(1.0, 0.86), fontsize=10,
                                **_LEGEND_BOX)
        return a

    def update(self, values):
        m = values["flushes_per_collection"]
        counts = x11_counts(m, self.flushes, self.seed)
        curves = self.curves()
        a = self.artists
        per = {}
        for p, r in counts.items():
            per[p] = np.array([getattr(r, key) for key, _ in _MEASURES])
            for rect, lab, v in zip(a[f"bars_{p}"].patches, a[f"labels_{p}"], per[p], strict=True):
                rect.set_height(v)
                lab.set_y(v + 0.03)
                lab.set_text(f"{v:.3g}")
            a[f"curve_{p}"].set_ydata(curves[p])
        a["now_line"].set_xdata([m, m])
        a["now_points"].set_data([m, m, m], [counts[p].crossings_per_flush for p in transfer.X11_POLICIES])
        return {"flushes_per_collection": m, "per_flush": per, "counts": counts,
                "grid_flushes_per_collection": self.x_grid.copy(), "grid_crossings_per_flush": curves}

    def describe(self, values, plotted):
        c = plotted["counts"]
        mach, sock, shm = (c[p] for p in transfer.X11_POLICIES)
        return (f"With about {values['flushes_per_collection']:.3g} flushes between collections "
                f"({mach.flushes} flushes, {sock.server_wakeups} collections): Mach messages cost "
                f"{mach.messages_per_flush:.2f} messages, {mach.crossings_per_flush:.2f} crossings and "
                f"{mach.wakeups_per_flush:.2f} server wake-ups per flush; the socket "
                f"{sock.messages_per_flush:.2f}, {sock.crossings_per_flush:.2f} and "
                f"{sock.wakeups_per_flush:.2f}; the shared buffer {shm.messages_per_flush:.2f}, "
                f"{shm.crossings_per_flush:.2f} and {shm.wakeups_per_flush:.2f}.")


def marshalling_explorer(**kw) -> MarshallingExplorer:
    """The size explorer of notebook 03 (keyword arguments go to the Explorer base class)."""
    return MarshallingExplorer(**kw)


def x11_explorer(**kw) -> X11Explorer:
    """The X11 batching explorer of notebook 03 (keyword arguments go to the Explorer base class)."""
    return X11Explorer(**kw)
