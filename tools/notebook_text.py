"""Number templates for notebook prose: numbers come from data/ and ipcmodel, never typed in.

Templates (in the Markdown cells of ``notebooks/src/*.md``):

``{{value:ID}}``      the fact's value as printed, e.g. ``57 µs``
``{{fact:ID}}``       value and citation, e.g. ``57 µs [Bershad92, §2, p. 3]``
``{{quote:ID}}``      the fact's quote with its citation
``{{cite:KEY}}``      an author-year citation, e.g. ``Bershad (1992)``
``{{calc:EXPR|FMT}}`` EXPR evaluated with ``v(id)`` (a fact's value), ``vh(id)`` (a range's high
                      end), ``m(id)`` (a machine), ``claim(id)`` (an audited claim) and the
                      ipcmodel modules; formatted with FMT
``{{word:EXPR}}``     EXPR evaluated as for ``calc``, to one of the :data:`WORDS` the model computes
                      (which side of the regime map's boundary line a machine is on); any other
                      result stops the build, so no sentence hides in a template
``{{claim:ID}}``      the audit's reading of a claim, e.g. ``inconsistent: the paper says 896 cycles, the model derives 1792``

The renderer keeps no state between calls: :func:`render` returns the text together with the
citation keys it used, and everything expensive (the claims audit, the ``calc`` namespace) lives
in a :class:`Context` made once per build with :func:`make_context`.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ipcmodel import claims, data, machines, workload

__all__ = ["WORDS", "Context", "Rendered", "make_context", "render"]

#: The words a ``{{word:...}}`` template may produce: computed by the model, never typed.
WORDS = frozenset(workload.MAP_SIDES)

UNIT_TEXT = {"us": "µs", "percent": "%"}
_TEMPLATE = re.compile(r"\{\{(\w+):(.*?)\}\}")
#: ipcmodel modules a ``{{calc:...}}`` expression may use by name (those that exist).
CALC_MODULES = ("units", "service", "trends", "caches", "transfer", "firewall", "history", "paper",
                "workload", "claims")


@dataclass(frozen=True)
class Context:
    """What rendering needs, computed once per build.

    Attributes
    ----------
    audit : dict
        The claims audit (``claims.audit()``), by claim id.
    namespace : dict
        Names a ``{{calc:...}}`` expression may use.
    """

    audit: dict = field(repr=False)
    namespace: dict = field(repr=False)


class Rendered(NamedTuple):
    """A rendered text and the citation keys its templates used."""

    text: str
    keys: frozenset


def make_context() -> Context:
    """Run the claims audit once and build the ``calc`` namespace around it."""
    audit = {c.id: c for c in claims.audit()}
    ns = dict(v=lambda fid: data.fact(fid).value, vh=lambda fid: data.fact(fid).value_high,
              m=machines.machine, claim=audit.__getitem__, abs=abs, min=min, max=max, round=round)
    for name in CALC_MODULES:
        if importlib.util.find_spec(f"ipcmodel.{name}") is not None:
            ns[name] = importlib.import_module(f"ipcmodel.{name}")
    return Context(audit=audit, namespace=ns)


def _unit(u: str) -> str:
    return UNIT_TEXT.get(u, u)


def _fact_value(fid: str) -> str:
    f = data.fact(fid)
    v = f"{f.value:g}" + (f"–{f.value_high:g}" if f.is_range else "")
    sep = "" if f.unit == "percent" else " "
    return f"{v}{sep}{_unit(f.unit)}" if f.unit not in ("count", "ratio") else v


def _cite(fid: str, keys: set) -> str:
    f = data.fact(fid)
    keys.add(f.source)
    return f"[{f.source}, {f.locator}]"


def _quantity(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value:.4g}×"
    return f"{value:.4g} {_unit(unit)}"


_MEANING = {"consistent": "within the tolerance",
            "approximate": "off by more than the tolerance but less than four times it",
            "inconsistent": "off by more than four times the tolerance"}


def _claim_text(c, keys: set) -> str:
    keys.add(c.source)
    if isinstance(c.paper_value, list):
        pv = f"{c.paper_value[0]:g}–{c.paper_value[1]:g} {_unit(c.unit)}"
    else:
        pv = ("at most " if c.kind == "upper-bound" else "") + _quantity(c.paper_value, c.unit)
    source = "" if c.source == "Bershad92" else f" ({c.source}, {c.locator})"
    return (f"**{c.verdict}** ({_MEANING[c.verdict]}): the paper{source} says {pv}, the model derives "
            f"{_quantity(c.derived_value, c.unit)} from its inputs ({c.how}; {_tolerance(c.tolerance)})")


def _tolerance(tol: float) -> str:
    """A claim's tolerance as a percentage with its significant digits (0.23%, not 0%)."""
    return "no tolerance" if tol == 0 else f"tolerance ±{100 * tol:.2g}%"


def render(text: str, context: Context | None = None, where: str = "") -> Rendered:
    """Replace every template in ``text``.

    Parameters
    ----------
    text : str
        Markdown with ``{{kind:arg}}`` templates.
    context : Context, optional
        From :func:`make_context`; pass one per build (made here when omitted, which runs the
        claims audit).
    where : str
        Named in the error when a template fails (e.g. the source file).

    Returns
    -------
    Rendered
        The text with every template replaced, and the citation keys the templates used.

    Raises
    ------
    ValueError
        A template of unknown kind, or one whose fact, key, claim or expression fails.
    """
    ctx = context if context is not None else make_context()
    keys: set[str] = set()

    def sub(m: re.Match) -> str:
        kind, arg = m.group(1), m.group(2).strip()
        try:
            if kind == "value":
                return _fact_value(arg)
            if kind == "fact":
                return f"{_fact_value(arg)} {_cite(arg, keys)}"
            if kind == "quote":
                return f"“{data.fact(arg).quote}” {_cite(arg, keys)}"
            if kind == "cite":
                ref = data.load_bibliography()[arg]
                keys.add(arg)
                author, _, year = ref.short().rpartition(" ")
                return f"{author} ({year})"
            if kind == "claim":
                return _claim_text(ctx.audit[arg], keys)
            if kind == "word":
                word = eval(arg, {"__builtins__": {}}, dict(ctx.namespace))  # noqa: S307
                if word not in WORDS:
                    raise ValueError(f"{word!r} is not one of the computed words {sorted(WORDS)}")
                return word
            if kind == "calc":
                expr, _, fmt = arg.partition("|")
                if fmt == "s":
                    raise ValueError("calc templates are numbers; computed words use {{word:EXPR}}")
                return format(eval(expr, {"__builtins__": {}}, dict(ctx.namespace)), fmt or "g")  # noqa: S307
        except Exception as exc:  # a broken template must stop the build, loudly
            raise ValueError(f"{where}: template {m.group(0)!r} failed: {exc}") from exc
        raise ValueError(f"{where}: unknown template kind {kind!r} in {m.group(0)!r}")

    return Rendered(_TEMPLATE.sub(sub, text), frozenset(keys))
