"""Command line: ``python -m ipcmodel claims|history|workload|measure|machines|answers|assignments``.

The one parser of the package: each subcommand calls a plain function that returns the text to
print (or, for ``measure``, runs the probe and returns the exit status).  ``python -m
ipcmodel.measure`` is ``python -m ipcmodel measure``.
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["main", "parser"]


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
    from ipcmodel.history.cli import report

    print(report(as_json=args.json))
    return 0


def _workload(args) -> int:
    import json

    from ipcmodel import workload

    print(json.dumps(workload.macrobenchmarks_json(), indent=2, ensure_ascii=False) if args.json
          else workload.format_macrobenchmarks() + "\n" + workload.format_haertig97())
    return 0


def _measure(args) -> int:
    from ipcmodel.measure import cli

    if args.json is not None:
        problem = cli.json_path_problem(args.json)
        if problem:
            args.parser.error(problem)
    return cli.run(quick=args.quick, json_path=args.json)


def _answers(args) -> int:
    from ipcmodel import answers

    seed = args.student if args.student is not None else args.seed
    try:
        print(answers.key_json(args.notebook, seed) if args.json
              else answers.format_key(answers.answer_key(args.notebook, seed)), end="" if not args.json else "\n")
    except ValueError as exc:
        args.parser.error(str(exc))
    return 0


def _assignments(args) -> int:
    from ipcmodel.course import assignments

    return assignments.run(args)


def parser() -> argparse.ArgumentParser:
    """The parser of ``python -m ipcmodel`` (each subcommand sets ``func``)."""
    top = argparse.ArgumentParser(prog="python -m ipcmodel",
                                  description="Models and audits for Bershad (1992).")
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("claims", help="audit every quantitative claim of the paper")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.set_defaults(func=_claims)
    p = sub.add_parser("history", help="the paper's predictions against 1989-2026 data")
    p.add_argument("--json", action="store_true",
                   help="print a JSON list (keys id, section, prediction, evidence, verdict, reasoning)")
    p.set_defaults(func=_history)
    p = sub.add_parser("workload", help="the whole-program model against Chen & Bershad's "
                                        "macrobenchmarks (Mach 3.0 vs Ultrix, 1993)")
    p.add_argument("--json", action="store_true",
                   help="print a JSON list (keys id, benchmark, measured_mach_s, measured_ultrix_s, "
                        "model_ipc_s, explained_fraction, inputs, verdict)")
    p.set_defaults(func=_workload)
    p = sub.add_parser("measure", help="measure this machine's system-call, IPC and memory costs",
                       description="Measure this machine's null system call, clock reads, IPC round "
                                   "trips, copy bandwidth and memory latency (all times in microseconds).")
    p.add_argument("--quick", action="store_true", help="about 10 s instead of a minute or two")
    p.add_argument("--json", metavar="PATH", help="also write the full result as JSON to PATH (and nothing else)")
    p.set_defaults(func=_measure, parser=p)
    p = sub.add_parser("machines", help="list the machine records and their citations")
    p.set_defaults(func=_machines)
    p = sub.add_parser("answers", help="the exercises' answer key for a seed or a student",
                       description="The answer key of the notebooks' exercises, computed by the "
                                   "same code as their check (for instructors).")
    p.add_argument("--notebook", metavar="NN", help="one notebook (00, 01, 02, 02b, ...); default all")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--seed", type=int, default=0, help="variant seed (default 0, the paper's examples)")
    who.add_argument("--student", metavar="ID", help="a student identifier (login or e-mail): "
                                                    "the variants that student's notebook shows")
    p.add_argument("--json", action="store_true", help="print JSON (one object per notebook)")
    p.set_defaults(func=_answers, parser=p)
    from ipcmodel.course.assignments import add_arguments

    p = sub.add_parser("assignments", help="write nbgrader source assignments from the exercises "
                                           "(instructors; needs the course extra)",
                       description="Write an nbgrader source assignment per notebook from its "
                                   "exercises, and an nbgrader_config.py template "
                                   "(pip install -e \".[course]\").")
    add_arguments(p)
    p.set_defaults(func=_assignments)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m ipcmodel`` and of the ``ipcmodel`` console script."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. `python -m ipcmodel claims | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0


if __name__ == "__main__":
    sys.exit(main())
