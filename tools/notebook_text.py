"""Number templates for notebook prose: numbers come from data/ and ipcmodel, never typed in.

Templates (in the Markdown of ``notebooks/src/*.md``):

``{{value:ID}}``      the fact's value as printed, e.g. ``57 µs``
``{{fact:ID}}``       value and citation, e.g. ``57 µs [Bershad92, §2, p. 3]``
``{{quote:ID}}``      the fact's quote with its citation
``{{cite:KEY}}``      an author-year citation, e.g. ``Bershad (1992)``
``{{calc:EXPR|FMT}}`` EXPR evaluated with ``v(id)`` (a fact's value), ``m(id)`` (a machine),
                      ``claim(id)`` (an audited claim) and the ipcmodel modules; formatted with FMT
``{{claim:ID}}``      the audit's reading of a claim, e.g. ``inconsistent: the paper says 896 cycles, the model derives 1792``
"""

from __future__ import annotations

import re

from ipcmodel import caches, claims, data, firewall, machines, service, transfer, trends, units

__all__ = ["render", "USED_KEYS"]

UNIT_TEXT = {"us": "µs", "percent": "%"}
USED_KEYS: set[str] = set()
_TEMPLATE = re.compile(r"\{\{(\w+):(.*?)\}\}")


def _unit(u: str) -> str:
    return UNIT_TEXT.get(u, u)


def _fact_value(fid: str) -> str:
    f = data.fact(fid)
    v = f"{f.value:g}" + (f"–{f.value_high:g}" if f.is_range else "")
    sep = "" if f.unit == "percent" else " "
    return f"{v}{sep}{_unit(f.unit)}" if f.unit not in ("count", "ratio") else v


def _cite(fid: str) -> str:
    f = data.fact(fid)
    USED_KEYS.add(f.source)
    return f"[{f.source}, {f.locator}]"


def _quantity(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value:.4g}×"
    return f"{value:.4g} {_unit(unit)}"


def _claim_text(cid: str) -> str:
    c = {c.id: c for c in claims.audit()}[cid]
    USED_KEYS.add(c.source)
    if isinstance(c.paper_value, list):
        pv = f"{c.paper_value[0]:g}–{c.paper_value[1]:g} {_unit(c.unit)}"
    else:
        pv = ("at most " if c.kind == "upper-bound" else "") + _quantity(c.paper_value, c.unit)
    source = "" if c.source == "Bershad92" else f" ({c.source}, {c.locator})"
    meaning = {"consistent": "within the tolerance", "approximate": "off by more than the tolerance "
               "but less than four times it", "inconsistent": "off by more than four times the tolerance"}
    return (f"**{c.verdict}** ({meaning[c.verdict]}): the paper{source} says {pv}, the model derives "
            f"{_quantity(c.derived_value, c.unit)} from its inputs ({c.how}; tolerance {c.tolerance:.0%})")


def _namespace() -> dict:
    audit = {c.id: c for c in claims.audit()}
    return dict(v=lambda fid: data.fact(fid).value, vh=lambda fid: data.fact(fid).value_high,
                m=machines.machine, claim=audit.__getitem__, units=units, service=service,
                trends=trends, caches=caches, transfer=transfer, firewall=firewall, abs=abs, history=__import__("ipcmodel.history", fromlist=["history"]),
                min=min, max=max, round=round)


def render(text: str, where: str = "") -> str:
    """Replace every template in ``text``; an unknown template is an error naming ``where``."""
    ns = _namespace()

    def sub(m: re.Match) -> str:
        kind, arg = m.group(1), m.group(2).strip()
        try:
            if kind == "value":
                return _fact_value(arg)
            if kind == "fact":
                return f"{_fact_value(arg)} {_cite(arg)}"
            if kind == "quote":
                return f"“{data.fact(arg).quote}” {_cite(arg)}"
            if kind == "cite":
                ref = data.load_bibliography()[arg]
                USED_KEYS.add(arg)
                author, _, year = ref.short().rpartition(" ")
                return f"{author} ({year})"
            if kind == "claim":
                return _claim_text(arg)
            if kind == "calc":
                expr, _, fmt = arg.partition("|")
                return format(eval(expr, {"__builtins__": {}}, ns), fmt or "g")  # noqa: S307
        except Exception as exc:  # a broken template must stop the build, loudly
            raise ValueError(f"{where}: template {m.group(0)!r} failed: {exc}") from exc
        raise ValueError(f"{where}: unknown template kind {kind!r} in {m.group(0)!r}")

    return _TEMPLATE.sub(sub, text)
