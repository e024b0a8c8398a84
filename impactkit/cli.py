"""The ``impactkit`` command.

::

    impactkit --version
    impactkit report INITIATIVE.yaml [--out PATH] [--format pdf|html|docx] [--paper a4|letter]
                                     [--keep-notebook] [--quiet]
    impactkit report --all DIR [--out-dir DIR]      # every initiative.yaml under DIR
    impactkit portfolio PATH... [--out PDF] [--html HTML]   # join results.json files

Exit status: 0 on success, 2 for a bad initiative file or data (or an output that cannot be
written: a full disk, ``--out`` onto an input), 1 for any other failure, 130 / 143 when
interrupted by SIGINT / SIGTERM.  Messages go to stderr; nothing partial is left behind.
With ``--all`` every initiative that can be built is built and the failures are listed at
the end (exit 2 when any failed); output names that collide are refused before anything is
built.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from . import __version__
from .errors import (
    ConfigError,
    DataError,
    ImpactkitError,
    IndicatorDefinitionError,
    OutputError,
)
from .portfolio import command as portfolio_command

#: Errors caused by what the user gave: exit status 2.
USER_ERRORS = (ConfigError, DataError, IndicatorDefinitionError, OutputError)

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


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM raises :class:`Interrupted` while the build runs (clean-ups then run)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
    try:
        targets = _targets(args)
    except OutputError as exc:
        return _fail(exc)
    try:
        with _interruptible():
            return _build_all(targets, args)
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(
            f"impactkit: interrupted ({signal.Signals(signum).name}); nothing was written",
            file=sys.stderr,
        )
        return 128 + int(signum)


def _targets(args: argparse.Namespace) -> list[tuple[Path, Path | None]]:
    """The (initiative, output) pairs to build; colliding outputs are an OutputError."""
    if args.all is None:
        return [(args.initiative, args.out)]
    found = find_initiatives(args.all)
    if not found:
        raise OutputError(f"no */initiative.yaml under {args.all}")
    targets: list[tuple[Path, Path | None]] = []
    seen: dict[Path, Path] = {}
    for p in found:
        out = args.out_dir / f"{p.parent.name}.{args.format}"
        key = out.resolve()
        if key in seen:
            raise OutputError(
                f"{seen[key]} and {p} would both be written to {out} (their folders have the "
                "same name); rename one folder. Nothing was built"
            )
        seen[key] = p
        targets.append((p, out))
    return targets


def _build_all(targets: list[tuple[Path, Path | None]], args: argparse.Namespace) -> int:
    from .report import build

    failures: list[tuple[Path, int, str]] = []
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
        except ImpactkitError as exc:
            status = _fail(exc)
            failures.append((initiative, status, str(exc)))
            continue
        print(f"impactkit: wrote {result.report}", file=sys.stderr)
    if len(targets) > 1 and failures:
        print(f"impactkit: {len(failures)} of {len(targets)} reports failed:", file=sys.stderr)
        for initiative, _, message in failures:
            print(f"  {initiative}: {message[:300]}", file=sys.stderr)
        return 2
    return failures[0][1] if failures else 0


def _fail(exc: ImpactkitError) -> int:
    print(f"impactkit: error: {exc}", file=sys.stderr)
    return 2 if isinstance(exc, USER_ERRORS) else 1


if __name__ == "__main__":
    sys.exit(main())
