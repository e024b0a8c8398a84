"""The ``impactkit`` command.

::

    impactkit --version
    impactkit report INITIATIVE.yaml [--out PATH] [--format pdf|html|docx] [--paper a4|letter]
                                     [--keep-notebook] [--quiet]
    impactkit report --all DIR [--out-dir DIR]      # every initiative.yaml under DIR
    impactkit portfolio PATH... [--out PDF] [--html HTML]   # join results.json files

Exit status: 0 on success, 2 for a bad initiative file or data, 1 for any other failure.
Messages go to stderr; nothing partial is left behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import ConfigError, DataError, ImpactkitError, IndicatorDefinitionError
from .portfolio import command as portfolio_command

__all__ = ["main", "find_initiatives"]


def find_initiatives(folder: Path) -> list[Path]:
    """Every ``initiative.yaml`` below ``folder``, sorted by path."""
    return sorted(folder.glob("*/initiative.yaml")) + sorted(folder.glob("*/*/initiative.yaml"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="impactkit",
        description="Measure whether an initiative really changed anything, and report it.",
    )
    parser.add_argument("--version", action="version", version=f"impactkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    rep = sub.add_parser("report", help="build an impact report from an initiative file")
    rep.add_argument("initiative", nargs="?", type=Path, help="the initiative.yaml file")
    rep.add_argument(
        "--all", type=Path, metavar="DIR", help="build every */initiative.yaml under DIR"
    )
    rep.add_argument("--out", type=Path, help="output file (default reports/<initiative>.<format>)")
    rep.add_argument(
        "--out-dir", type=Path, default=Path("reports"), help="output folder for --all"
    )
    rep.add_argument("--format", choices=("pdf", "html", "docx"), default="pdf")
    rep.add_argument("--paper", choices=("a4", "letter"), default="a4")
    rep.add_argument("--keep-notebook", action="store_true", help="keep the executed notebook")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    portfolio_command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "portfolio":
        return int(portfolio_command.run(args))
    if args.command != "report":
        parser.print_help(sys.stderr)
        return 2
    if (args.initiative is None) == (args.all is None):
        parser.error("give one initiative file, or --all DIR")
    from .report import build

    if args.all is not None:
        targets = [
            (p, args.out_dir / f"{p.parent.name}.{args.format}") for p in find_initiatives(args.all)
        ]
        if not targets:
            print(f"impactkit: error: no */initiative.yaml under {args.all}", file=sys.stderr)
            return 2
    else:
        targets = [(args.initiative, args.out)]
    for initiative, out in targets:
        try:
            result = build(
                initiative,
                out=out,
                format=args.format,
                paper=args.paper,
                keep_notebook=args.keep_notebook,
                progress=not args.quiet,
            )
        except (ConfigError, DataError, IndicatorDefinitionError) as exc:
            print(f"impactkit: error: {exc}", file=sys.stderr)
            return 2
        except ImpactkitError as exc:
            print(f"impactkit: error: {exc}", file=sys.stderr)
            return 1
        print(f"impactkit: wrote {result.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
