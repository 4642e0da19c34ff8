"""The claims audit: every derivable quantitative claim of the paper, re-derived by the model.

Each claim takes its inputs from ``data/`` (cited facts), runs an ipcmodel function, and
compares the derived value with the value the paper states. The verdict:

* ``consistent``: within the tolerance (or inside a stated range or bound);
* ``approximate``: off by more than the tolerance but by at most four times it;
* ``inconsistent``: further off. The inputs are never tuned to force agreement.

The tolerance follows the printed precision of the stated number: half a unit of its last
significant digit (a value printed in whole milliseconds is compared to the millisecond; 3600
to the hundred). A magnitude in words is a span (data/README.md), compared with no tolerance.
Where the paper prints no number ("the same"), the tolerance is what the printed precision of
the inputs allows. Every claim's derived value depends on each row named in its ``inputs``
(tests/model/test_claims.py perturbs them); the model's own assumptions are not audited.

Claims from the companion papers (Bershad, Draves & Forin 1992; Maeda & Bershad 1992; Chen &
Bershad 1993) are filed under the section of the 1992 paper whose argument they support.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from functools import cache

from ipcmodel import caches, data, paper, units
from ipcmodel.data import Fact, fact

__all__ = ["Claim", "audit", "audit_json", "format_table", "verdict_for", "printed_tolerance",
           "APPROX_FACTOR"]

#: A claim off by more than its tolerance but at most this many times it is "approximate".
APPROX_FACTOR = 4.0

_UNIT = {"us": "µs"}


@dataclass(frozen=True)
class Claim:
    """One audited claim. ``paper_value`` is a number, or ``[low, high]`` for a range."""

    id: str
    section: str
    quote: str
    paper_value: float | list
    derived_value: float
    unit: str
    verdict: str
    tolerance: float
    how: str
    inputs: tuple[str, ...]
    source: str
    locator: str
    kind: str = "value"  # value | range | upper-bound | lower-bound
    note: str = field(default="")

    @property
    def relative_error(self) -> float:
        """Signed relative distance from the paper's value (0 inside a range or bound)."""
        return _rel_err(self.paper_value, self.derived_value, self.kind)

    def as_json(self) -> dict:
        d = asdict(self)
        d["inputs"] = list(self.inputs)
        d["relative_error"] = self.relative_error
        return d


def _rel_err(paper_value, derived, kind) -> float:
    if kind == "range":
        lo, hi = paper_value
        if lo <= derived <= hi:
            return 0.0
        ref = lo if derived < lo else hi
        return (derived - ref) / ref
    if kind == "upper-bound":
        return 0.0 if derived <= paper_value else (derived - paper_value) / paper_value
    if kind == "lower-bound":
        return 0.0 if derived >= paper_value else (derived - paper_value) / paper_value
    return (derived - paper_value) / paper_value


def verdict_for(paper_value, derived_value, tolerance, kind="value") -> str:
    """``consistent`` / ``approximate`` / ``inconsistent`` for a derived value (see module doc)."""
    err = abs(_rel_err(paper_value, derived_value, kind))
    if err <= tolerance:
        return "consistent"
    if err <= APPROX_FACTOR * tolerance:
        return "approximate"
    return "inconsistent"


@cache
def _printed_values() -> dict[str, tuple[str, str]]:
    """``id -> (value, value_high)`` as printed in data/facts.csv (text, not parsed)."""
    with open(data.data_dir() / "facts.csv", newline="", encoding="utf-8") as fh:
        return {r["id"]: (r["value"], r["value_high"]) for r in csv.DictReader(fh)}


def _half_unit(text: str) -> float:
    """Half a unit of the last significant digit of a printed number: "3600" -> 50, "4.0" -> 0.05."""
    t = text.strip().lstrip("-+")
    if "." in t:
        return 0.5 * 10.0 ** -len(t.split(".")[1])
    return 0.5 * 10.0 ** (len(t) - len(t.rstrip("0") or "0"))


def printed_tolerance(fid: str, end: str = "value") -> float:
    """The relative precision of fact ``fid`` as printed: half a unit of its last significant
    digit over the value (``end`` = ``"value"`` or ``"value_high"``): "50" µs -> 0.1."""
    text = _printed_values()[fid][0 if end == "value" else 1]
    return _half_unit(text) / abs(float(text))


def _inputs_tolerance(ids) -> float:
    """For a ratio of products of printed inputs: the sum of their relative precisions."""
    return sum(printed_tolerance(i) for i in ids)


def _claim(cid, section, stated: Fact, derived, unit, how, inputs, *, tol=None, kind="value",
           paper_value=None, note="") -> Claim:
    if paper_value is None:
        paper_value = [stated.value, stated.value_high] if stated.is_range else stated.value
        if stated.is_range:
            kind = "range"
    if tol is None:
        tol = 0.0 if kind == "range" else printed_tolerance(stated.id)
    derived = float(derived)
    return Claim(cid, section, stated.quote, paper_value, derived, unit,
                 verdict_for(paper_value, derived, tol, kind), tol, how,
                 tuple(inputs), stated.source, stated.locator, kind, note)


def _v(fid: str) -> float:
    return fact(fid).value


def _q(fid: str, end: str = "value") -> str:
    """A fact's number and unit as the data holds it, for the ``how`` strings."""
    f = fact(fid)
    return f"{getattr(f, end):g} {_UNIT.get(f.unit, f.unit)}"


def _words(fid: str) -> str:
    """How a magnitude stated in words was read (data/README.md, 'Magnitudes stated in words')."""
    f = fact(fid)
    if f.value_high is None:
        return f"'{f.qualifier}' read as {f.value:g} {f.unit}"
    return f"'{f.qualifier}' read as {f.value:g}-{f.value_high:g} {f.unit}"


def _section1() -> list[Claim]:
    old, new = fact("b92-rpc-cvax-1989"), fact("b92-rpc-cvax-1992")
    stated = fact("b92-ipc-improvement-period")
    return [_claim("ipc-improvements-within-5-years", "1", stated, new.year - old.year, "years",
                   f"the CVax RPC went from {_q(old.id)} ({old.year}) to {_q(new.id)} "
                   f"({new.year}): {new.year - old.year} years apart",
                   [old.id, new.id], kind="upper-bound", paper_value=stated.value)]


def _section2() -> list[Claim]:
    out = []
    cvax, ds = "b92-rpc-cvax-1992", "b92-rpc-ds5000"
    sp = paper.rpc_speedup_cvax_to_ds5000()
    out.append(_claim("rpc-speedup-cvax-to-ds5000", "2", fact("b92-rpc-speedup-stated"), sp, "ratio",
                      f"CVax RPC / DS5000/200 RPC = {_q(cvax)} / {_q(ds)}", [cvax, ds]))
    out.append(_claim("ipc-tracks-processor", "2", fact("b92-rating-ds5000-vs-cvax"), sp, "ratio",
                      f"RPC speedup CVax -> DS5000/200 ({_q(cvax)} / {_q(ds)}), compared with "
                      "the processor rating", [cvax, ds],
                      note="'roughly ten' printed to the ten: the tolerance is half of it"))
    block, rate = "b92-buffer-copy-block", "mb92-ethernet-rate"
    out.append(_claim("network-latency-several-hundred-us", "2", fact("b92-network-latency"),
                      paper.wire_time_512_us(), "us",
                      f"a {_q(block)} packet on a {_q(rate)} Ethernet, wire time only",
                      [block, rate],
                      note=(_words("b92-network-latency") + "; the paper names no packet size or "
                            "network: §2's 512-byte block on Maeda & Bershad's Ethernet is our choice")))
    out.append(_claim("rpc-comparable-to-a-packet", "2", fact("b92-rpc-comparable-packet"),
                      _v(cvax) / paper.wire_time_512_us(), "ratio",
                      f"{_q(cvax)} CVax RPC / wire time of a {_q(block)} packet at {_q(rate)}",
                      [cvax, block, rate],
                      note=(_words("b92-rpc-comparable-packet") + "; the packet size is our choice "
                            "(§2's 512-byte block); a 1500-byte frame would take about 3 times as long")))
    return out


def _section21() -> list[Claim]:
    out = []
    ids = ["b92-rpc-cvax-1992", "b92-syscall-cvax", "b92-rpc-ds5000", "b92-syscall-ds5000"]
    rc, sc, rd, sd = ids
    out.append(_claim("syscall-gap-ds5000", "2.1", fact("b92-gap-ds5000"), paper.rpc_syscall_gap_us("ds5000"),
                      "us", f"{_q(rd)} RPC - {_q(sd)} system call", [rd, sd]))
    same = fact("b92-syscall-ds5000")
    change = paper.rpc_syscall_ratio_change()
    tol = _inputs_tolerance(ids)
    out.append(Claim(
        "ipc-syscall-ratio-unchanged", "2.1",
        "the relative cost of IPC and system calls on the two machines is the same",
        1.0, change, "ratio", verdict_for(1.0, change, tol), tol,
        f"({_q(rc)} / {_q(sc)}) / ({_q(rd)} / {_q(sd)}): CVax ratio over DS5000/200 ratio; "
        "1 means 'the same'", tuple(ids), same.source, same.locator,
        note=(f"{paper.rpc_syscall_ratio('cvax'):.1f}x on the CVax vs "
              f"{paper.rpc_syscall_ratio('ds5000'):.1f}x on the DS5000/200; no number is printed, "
              "so the tolerance is the summed printed precision of the four inputs")))
    share_change = 1.0 / paper.gap_shrink_cvax_to_ds5000()
    out.append(_claim("gap-shrinks-against-the-service", "2.1", fact("b92-gap-vs-service-much-smaller"),
                      share_change, "ratio",
                      f"(RPC - system call) / service time on the DS5000/200 over the same on the CVax: "
                      f"({_q(rd)} - {_q(sd)}) / ({_q(rc)} - {_q(sc)}) for a service time that did "
                      "not change", ids, kind="upper-bound", tol=0.0,
                      paper_value=fact("b92-gap-vs-service-much-smaller").value,
                      note=(_words("b92-gap-vs-service-much-smaller") + " (at most half); §2 says "
                            "disk, buffer and network times did not improve, so the service time "
                            "cancels: with the Ethernet wire time the shares are "
                            f"{paper.gap_share_of_wire_512('cvax'):.2f} and "
                            f"{paper.gap_share_of_wire_512('ds5000'):.2f}")))
    return out


def _section3() -> list[Claim]:
    out = []
    rpc, ct = "b92-rpc-hp700", "b92-cycle-time-hp700"
    out.append(_claim("hp700-rpc-cycles", "3", fact("b92-rpc-cycles-hp700"), paper.hp700_rpc_cycles(),
                      "cycles", f"{_q(rpc)} at a {_q(ct)} cycle", [rpc, ct]))
    purge, cpage, fpage, fline = ("b92-purge-flush-per-line-hp700", "b92-dma-coherency-page-hp700",
                                  "b92-fault-in-per-page-hp700", "b92-fault-in-per-line-hp700")
    # the page's lines from the fault-in cost (2048 cycles per page at 16 per line) give the
    # purge/flush range; the fault-in claim checks them against the low end of the coherency
    # range (128 cycles at 1 per line), an independent route to the same page
    lines_fault = paper.hp700_lines_per_page("fault-in")
    lines_coherency = paper.hp700_lines_per_page("coherency")
    lo, hi = paper.hp700_coherency_cycles("low"), paper.hp700_coherency_cycles("high")
    stated = fact(cpage)
    ids = [purge, fpage, fline]
    out.append(_claim("hp700-coherency-low", "3", stated, lo, "cycles",
                      f"{_q(purge)}/line x (page of {_q(fpage)} / {_q(fline)} = {lines_fault:g} lines)",
                      ids, paper_value=stated.value))
    out.append(_claim("hp700-coherency-high", "3", stated, hi, "cycles",
                      f"{_q(purge, 'value_high')}/line x {lines_fault:g} lines", ids,
                      paper_value=stated.value_high, tol=printed_tolerance(cpage, "value_high"),
                      note=f"{stated.value_high:g} = {stated.value_high / lines_fault:g} x "
                           f"{lines_fault:g}: either the per-line range or the page total is off by 2x"))
    line = _v("b92-cache-line-hp700")
    out.append(_claim("hp700-fault-in-page", "3", fact(fpage),
                      caches.dma_fault_in_cycles(lines_coherency * line, line, _v(fline)),
                      "cycles", f"{_q(fline)}/line x (page of {_q(cpage)} / {_q(purge)} = "
                      f"{lines_coherency:g} lines)", [fline, cpage, purge]))
    rpc_cycles, read_cycles = paper.hp700_rpc_cycles(), paper.hp700_dma_read_cycles("low")
    out.append(_claim("device-server-only-one-component", "3", fact("b92-device-server-one-component"),
                      rpc_cycles / (rpc_cycles + read_cycles), "share",
                      f"RPC / (RPC + page-sized DMA read) on the HP-700 = {rpc_cycles:.0f} / "
                      f"({rpc_cycles:.0f} + {read_cycles:.0f}) cycles: {_q(rpc)} at {_q(ct)}; purge "
                      f"at {_q(purge)}/line + fault-in at {_q(fline)}/line, {lines_fault:g} lines",
                      [rpc, ct, purge, fpage, fline],
                      note=(_words("b92-device-server-one-component") + " of the total; the low end "
                            "of the purge range, so the RPC's share is at its largest")))
    clk, r, rc, pen = ("bdf92-clock-ds3100", "bdf92-rpc-ds3100", "bdf92-rpc-collision-ds3100",
                       "bdf92-miss-penalty-ds3100")
    out.append(_claim("ds3100-rpc-cycles", "3", fact("bdf92-rpc-cycles-ds3100"),
                      units.us_to_cycles(_v(r), _v(clk)), "cycles", f"{_q(r)} x {_q(clk)}", [r, clk]))
    out.append(_claim("ds3100-collision-cycles", "3", fact("bdf92-rpc-collision-cycles-ds3100"),
                      units.us_to_cycles(_v(rc), _v(clk)), "cycles", f"{_q(rc)} x {_q(clk)}", [rc, clk]))
    out.append(_claim("ds3100-extra-misses", "3", fact("bdf92-extra-misses-ds3100"),
                      caches.extra_misses(_v(r), _v(rc), _v(clk), _v(pen)),
                      "misses", f"({_q(rc)} - {_q(r)}) x {_q(clk)} / {_q(pen)} per miss",
                      [r, rc, clk, pen]))
    p = fact("cb93-miss-penalty-ds5000")
    out.append(_claim("miss-penalty-tens-of-cycles", "3", fact("b92-miss-penalty-1992"), p.value,
                      "cycles", f"the DECstation 5000/200's {_q(p.id)} miss penalty {p.cite()}", [p.id],
                      note=(_words("b92-miss-penalty-1992") + "; Chen & Bershad give it as a "
                            "parameter of their cache simulation, not as a measurement")))
    instr, dat, iline, dclk, drpc = ("b92-ipc-path-instructions", "b92-ipc-path-data",
                                     "cb93-icache-line-ds5000", "b92-clock-ds5000", "b92-rpc-ds5000")
    out.append(_claim("miss-penalties-dwarf-ipc", "3", fact("b92-miss-penalty-dwarfs-ipc"),
                      paper.cold_path_extra_us() / _v(drpc), "ratio",
                      f"misses on {_q(instr)} + {_q(dat)} in {_q(iline)} lines at {_q(p.id)} and "
                      f"{_q(dclk)} = {paper.cold_path_extra_us():.0f} µs, over the {_q(drpc)} warm RPC",
                      [instr, dat, iline, p.id, dclk, drpc], kind="lower-bound", tol=0.0,
                      paper_value=fact("b92-miss-penalty-dwarfs-ipc").value,
                      note=(_words("b92-miss-penalty-dwarfs-ipc") + " (at least twice); the misses "
                            "of a footprint as small as the IPC path's own, on the DS5000/200: a "
                            "service touching more lines dwarfs the IPC further")))
    return out


def _section5() -> list[Claim]:
    out = []
    emu, ipc, rpc, stub = ("mb92-emulation-library", "mb92-ipc-round-trip", "mb92-rpc-part",
                           "mb92-stub-part")
    out.append(_claim("unix-server-socket-path", "5", fact("mb92-socket-unix-server"),
                      paper.socket_access_from_parts_us(), "us",
                      f"{_q(emu)} emulation library + {_q(ipc)} IPC round trip", [emu, ipc]))
    out.append(_claim("ipc-round-trip-split", "5", fact(ipc), paper.ipc_round_trip_from_parts_us(),
                      "us", f"{_q(rpc)} RPC + {_q(stub)} stubs", [rpc, stub]))
    budget = paper.udp_budget()  # every input as published (Maeda & Bershad 1992, §2.2)
    sockets, driver = budget.sockets_us, budget.driver_us
    acc, srv, ker = "mb92-socket-accesses-per-rtt", "mb92-socket-unix-server", "mb92-socket-in-kernel"
    cross, wr, pf = "mb92-driver-crossings-per-rtt", "mb92-driver-write", "mb92-packet-filter-receive"
    sock_how = f"{_v(acc):g} x ({_q(srv)} - {_q(ker)})"
    drv_how = f"{_v(cross):g} x ({_q(wr)} + {_q(pf)})"
    bound = fact("mb92-unix-server-bound")
    out.append(_claim("unix-server-sockets-bound", "5", bound, units.us_to_ms(sockets), "ms", sock_how,
                      [acc, srv, ker], kind="upper-bound", paper_value=bound.value))
    out.append(_claim("driver-boundary", "5", fact("mb92-driver-bound"), units.us_to_ms(driver), "ms",
                      drv_how, [cross, wr, pf]))
    out.append(_claim("predicted-udp-slowdown", "5", fact("mb92-predicted-slowdown"),
                      units.us_to_ms(sockets + driver), "ms",
                      f"{sock_how} + {drv_how} (the paper adds the rounded "
                      f"{_q(bound.id)} + {_q('mb92-driver-bound')})", [acc, srv, ker, cross, wr, pf]))
    t1, t2 = "mb92-udp-rtt-unix-server", "mb92-udp-rtt-mapped-driver"
    out.append(_claim("mapped-driver-improvement", "5", fact("mb92-mapped-driver-improvement"),
                      _v(t1) - _v(t2), "ms", f"{_q(t1)} (Table 1) - {_q(t2)} (Table 2)", [t1, t2]))
    ul, k = "mb92-udp-rtt-user-level", "mb92-udp-rtt-mach25"
    out.append(_claim("user-level-udp-comparable", "5", fact("mb92-user-level-comparable"),
                      _v(ul) / _v(k), "ratio", f"{_q(ul)} user-level UDP / {_q(k)} in-kernel UDP (Table 3)",
                      [ul, k], note=_words("mb92-user-level-comparable")))
    return out


def _section6() -> list[Claim]:
    rpc, sc = "b92-rpc-ds5000", "b92-syscall-ds5000"
    return [_claim("ipc-few-tens-of-us-slower", "6", fact("b92-ipc-minus-syscall-conclusion"),
                   paper.rpc_syscall_gap_us("ds5000"), "us",
                   f"{_q(rpc)} RPC - {_q(sc)} system call on the DECstation 5000/200",
                   [rpc, sc], note=_words("b92-ipc-minus-syscall-conclusion"))]


def audit() -> list[Claim]:
    """Run the whole audit; returns the claims in the paper's section order.

    §4 has no claim here: its two mapped-socket observations calibrate the model exactly (nothing
    is left over to test), and its X11 statements hold in the simulation by construction.
    """
    return _section1() + _section2() + _section21() + _section3() + _section5() + _section6()


def audit_json(indent: int | None = 2) -> str:
    """The audit as a JSON list (keys: id, section, quote, paper_value, derived_value, unit,
    verdict, tolerance, plus how, inputs, source, locator, kind, note, relative_error)."""
    return json.dumps([c.as_json() for c in audit()], indent=indent, ensure_ascii=False)


def format_table(claims: list[Claim] | None = None) -> str:
    """A plain-text table of the audit, one claim per line."""
    claims = audit() if claims is None else claims
    head = (f"{'id':34} {'§':>4} {'source':15} {'stated':>12} {'derived':>10} {'unit':>14} {'tol':>6}"
            "  verdict")
    lines = [head, "-" * len(head)]
    bound = {"upper-bound": "<= ", "lower-bound": ">= "}
    for c in claims:
        pv = (f"{c.paper_value[0]:g}-{c.paper_value[1]:g}" if isinstance(c.paper_value, list)
              else bound.get(c.kind, "") + f"{c.paper_value:g}")
        lines.append(f"{c.id:34} {c.section:>4} {c.source:15} {pv:>12} {c.derived_value:>10.4g} "
                     f"{c.unit:>14} {c.tolerance:>6.1%}  {c.verdict}")
    counts = {v: sum(c.verdict == v for c in claims) for v in ("consistent", "approximate", "inconsistent")}
    lines.append("")
    lines.append(f"{len(claims)} claims: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    lines.append(f"consistent: within the tolerance (half a unit of the stated number's last printed "
                 f"digit; 0 for a span or bound); approximate: within {APPROX_FACTOR:g} times it; "
                 "inconsistent: further off. 'stated' is the value printed in the source.")
    return "\n".join(lines)
