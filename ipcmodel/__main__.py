"""Command line: ``python -m ipcmodel claims|history|measure|machines``."""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["main"]


def _claims(args) -> int:
    from ipcmodel import claims

    print(claims.audit_json() if args.json else claims.format_table())
    return 0


def _machines(args) -> int:
    from ipcmodel import machines

    for m in machines.load_machines().values():
        print(m.describe())
        print()
    return 0


def _history(args) -> int:
    from ipcmodel import history

    return history.history_main(["--json"] if args.json else [])


def _measure(args) -> int:
    from ipcmodel.measure import cli

    argv = (["--quick"] if args.quick else []) + (["--json", args.json] if args.json else [])
    return cli.main(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m ipcmodel`` and of the ``ipcmodel`` console script."""
    parser = argparse.ArgumentParser(prog="python -m ipcmodel",
                                     description="Models and audits for Bershad (1992).")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("claims", help="audit every quantitative claim of the paper")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.set_defaults(func=_claims)
    p = sub.add_parser("history", help="the paper's predictions against 1989-2026 data")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.set_defaults(func=_history)
    p = sub.add_parser("measure", help="measure this machine's system-call, IPC and memory costs")
    p.add_argument("--quick", action="store_true", help="about 10 s instead of a minute or two")
    p.add_argument("--json", metavar="PATH", help="also write the results to PATH")
    p.set_defaults(func=_measure)
    p = sub.add_parser("machines", help="list the machine records and their citations")
    p.set_defaults(func=_machines)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. `python -m ipcmodel claims | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0


if __name__ == "__main__":
    sys.exit(main())
