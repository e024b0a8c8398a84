"""``impactkit portfolio PATH... --out portfolio.pdf --html portfolio.html``.

Register with ``command.add_parser(subparsers)``; the CLI then calls ``command.run(args)``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from impactkit.errors import ImpactkitError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``portfolio`` subcommand to an ``argparse`` subparsers object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "portfolio",
        help="join several initiatives' results files into a portfolio PDF and HTML page",
        description=(
            "Read <name>.results.json files (or directories holding them) written by "
            "`impactkit report` and build a portfolio PDF and/or one self-contained HTML page. "
            "No analysis is re-run."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="results files or directories")
    parser.add_argument("--out", metavar="PDF", help="write the portfolio PDF here")
    parser.add_argument("--html", metavar="HTML", help="write the interactive HTML page here")
    parser.add_argument(
        "--method", choices=("REML", "DL"), default="REML", help="tau² estimator (default REML)"
    )
    parser.add_argument("--title", default="Impact portfolio", help="title of the PDF and page")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Build what ``args`` asks for; print the files written; 2 on bad input."""
    from impactkit.portfolio.build import build_portfolio

    if not args.out and not args.html:
        print(
            "impactkit portfolio: give --out portfolio.pdf and/or --html portfolio.html",
            file=sys.stderr,
        )
        return 2
    try:
        built = build_portfolio(
            args.paths, args.out, args.html, method=args.method, title=args.title
        )
    except ImpactkitError as exc:
        print(f"impactkit portfolio: {exc}", file=sys.stderr)
        return 2
    for analysis in built.analyses:
        print(analysis.summary())
    for note in built.notes:
        print(f"note: {note}")
    for path in (built.pdf, built.html):
        if path is not None:
            print(f"wrote {path}")
    return 0
