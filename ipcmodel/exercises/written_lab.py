"""Written questions of notebook 02b, the cache lab (:mod:`ipcmodel.exercises.written` shows them).

Kept apart because they run the cache simulator (:mod:`ipcmodel.cachesim`, through
:mod:`ipcmodel.paper`'s lab functions) when the text is built. As everywhere, every number in a
prompt or model answer is read from ``data/`` or computed by ``ipcmodel``; the lab's kernel is
synthetic and the answers say so.
"""

from __future__ import annotations

from ipcmodel import paper
from ipcmodel.cachesim import CacheGeometry, simulate
from ipcmodel.data import fact
from ipcmodel.exercises.written import WrittenQuestion
from ipcmodel.paper import cachelab as _lab

__all__ = ["questions_02b"]


def questions_02b() -> list[WrittenQuestion]:
    """Notebook 02b's written questions (objectives 1, 3 and 4)."""
    ic, dc = paper.lab_caches()
    sets = ic.size_bytes // ic.line_bytes
    one = simulate([0, ic.size_bytes] * 10, ic)
    two = simulate([0, ic.size_bytes] * 10, CacheGeometry(ic.size_bytes, ic.line_bytes, ways=2))
    page = paper.lab_page_bytes()
    colours = ic.size_bytes // page
    full = paper.remedy_cost(_lab.FULL_WORKING_SET_BYTES)
    half = paper.remedy_cost(_lab.FULL_WORKING_SET_BYTES // 2)
    apart = paper.remedy_cost(_lab.FULL_WORKING_SET_BYTES // 2, service_colour=1)
    pen, clk = fact("bdf92-miss-penalty-ds3100").value, fact("bdf92-clock-ds3100").value
    warm_pct, warm_us = paper.flush_growth_percent("warm"), paper.flush_growth_us("warm")
    worst_pct, worst_us = paper.flush_growth_percent("worst_case"), paper.flush_growth_us("worst_case")
    return [
        WrittenQuestion(
            "direct-mapped", "02b", 1,
            "Explain how the lab's direct-mapped instruction cache decides where a line goes, and "
            "why two addresses exactly one cache size apart, read in turn, miss on every access. "
            "Classify those misses as cold, conflict or capacity, and say why two slots per set "
            "cure them.",
            f"The cache has {ic.size_bytes // 1024} KB in lines of {ic.line_bytes} bytes, so "
            f"{sets} sets of one slot each: a line's set is (address ÷ {ic.line_bytes}) mod "
            f"{sets}, and it may live nowhere else. Two addresses one cache size apart have the same "
            "remainder, so they map to the same set and each evicts the other. Read in turn "
            f"{one.accesses // 2} times each, they miss {one.misses} times: {one.cold_misses} cold "
            f"(the first touch of each line), {one.conflict_misses} conflict (a fully associative "
            f"cache of the same size would have kept both) and {one.capacity_misses} capacity (two "
            "lines fit easily). With two slots per set (LRU) both lines stay: "
            f"{two.misses} misses, the cold ones.",
            ((2, "set = line address mod number of sets; one slot, no choice"),
             (2, "same set, mutual eviction, with the lab's numbers"),
             (2, "classification: cold first, then conflict, no capacity; 2-way keeps both"))),
        WrittenQuestion(
            "remedy", "02b", 3,
            "Explain §3's remedy as the lab implements it (cache colours reserved for the IPC path) "
            "and what it costs. Using the lab's measurements, say when the reservation pays and "
            "when it costs the service more than it saves the IPC path.",
            f"A colour is the group of sets one page maps to: {ic.size_bytes // 1024} KB ÷ "
            f"{page // 1024} KB pages = {colours} colours per cache. The lab moves the path's code "
            "and data onto colours of their own, separately in the instruction and the data cache, "
            f"and lets no other page use them: {full.reserved_instruction_bytes} bytes of the "
            f"instruction cache and {full.reserved_data_bytes} of the data cache. The path's misses "
            "then no longer depend on any file's size or the link order: with the lab's service "
            f"they fall from {full.path_misses_off} to {full.path_misses_on} per round trip. The "
            "price is that everything else has fewer colours: a service whose working set fills the "
            f"data cache ({_lab.FULL_WORKING_SET_BYTES // 1024} KB) rises from "
            f"{full.service_misses_off} to {full.service_misses_on} misses, a net "
            f"{full.net_extra_misses:+d} misses, {full.net_extra_misses * pen / clk:.0f} µs per "
            f"request at the DECstation 3100's {pen:g} cycles and {clk:g} MHz. With half that "
            f"working set the net is {half.net_extra_misses:+d}: the remedy pays, but only because "
            "the lab puts the service's data on the path's colour; started one page further on, "
            f"the same working set nets {apart.net_extra_misses:+d}. The remedy pays when, without "
            "it, the service would land on the path's colours, and costs when the service needs "
            "every colour.",
            ((2, "colours from pages; reserved separately for code and data"),
             (2, "the path's misses become layout-independent (numbers)"),
             (2, "the cost to the service, and the condition under which it pays (numbers)"))),
        WrittenQuestion(
            "flush-subtract", "02b", 4,
            "BDF92 advise flushing the cache in every iteration of a microbenchmark and subtracting "
            "the flush. Explain why that makes the numbers reproducible and why they are a worst "
            "case, and use the lab to say what flushing does not remove.",
            "Every iteration then starts from the same, empty cache, so its time no longer depends "
            "on what the previous iteration or another program left behind; every line misses at "
            "least once, hence a worst case; subtracting the flush's own time (measured separately) "
            "leaves the benchmark's. In the lab the grown link is "
            f"{warm_pct:.0f}% ({warm_us:.1f} µs) slower than the link as built when warm, but only "
            f"{worst_pct:.0f}% when flushed: the percentage shrinks mostly because the denominator "
            f"grew, and the collision still costs {worst_us:.1f} µs (the path's second pass still "
            "meets it). Flushing buys repeatability, not independence from the layout. (In the "
            "simulator the flush is exactly additive; on hardware its overhead must be measured.)",
            ((2, "same empty start each iteration: reproducible"),
             (1, "every line misses: worst case; subtract the flush"),
             (3, "the layout's effect shrinks in percent but remains in µs (lab numbers)"))),
    ]
