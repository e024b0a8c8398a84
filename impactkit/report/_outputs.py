"""All-or-nothing output sets: a report and its results files appear together or not at all.

Every file of a build is written to a hidden temporary name in the output folder
(``.<name>.ik-<pid>-<token>.part``).  Only when every one is complete are they renamed onto
their targets, with SIGINT/SIGTERM blocked for the few renames, after a journal
(``.<name>.ik-<pid>-<token>.commit``) listing the renames has been written.  So:

* a failure or an interruption before the commit removes every temporary file and leaves the
  previous set untouched;
* a SIGKILL before the journal leaves ``.part`` files that the next build to the same folder
  recognises (their process is gone) and removes;
* a SIGKILL during the renames leaves the journal: the next build finishes those renames
  first (roll forward), so the set is never half old, half new.

A write that fails (a full disk, a read-only folder) is an :class:`~impactkit.errors.OutputError`
naming the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError

__all__ = ["OutputSet", "recover"]

_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.ik-(?P<pid>\d+)-[0-9a-f]{8}\.(?P<kind>part|commit)$")
#: Leftovers older than this are removed even if their process id is in use again.
STALE_SECONDS = 24 * 3600


class OutputSet:
    """The files of one build, staged beside their targets and committed together."""

    def __init__(self, targets: list[Path]) -> None:
        self.targets = [Path(t) for t in targets]
        self.token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.staged: dict[Path, Path] = {}

    def temporary(self, target: Path) -> Path:
        """The temporary name of ``target`` (created empty, so that it is ours)."""
        tmp = target.with_name(f".{target.name}.ik-{self.token}.part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.touch(exist_ok=False)
        except OSError as exc:
            raise _error(target, exc) from None
        self.staged[target] = tmp
        return tmp

    @contextlib.contextmanager
    def writing(self, target: Path) -> Iterator[Path]:
        """Yield the temporary path of ``target``; an ``OSError`` becomes an OutputError."""
        tmp = self.temporary(target)
        try:
            yield tmp
        except OSError as exc:
            raise _error(target, exc) from None

    def write_text(self, target: Path, text: str) -> None:
        with self.writing(target) as tmp:
            with tmp.open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())

    def commit(self) -> None:
        """Rename every staged file onto its target (signals blocked, journal first)."""
        mode = 0o666 & ~_umask()  # temporary files are private; reports are shared
        with _signals_blocked():
            journal = self._journal()
            for target, tmp in self.staged.items():
                try:
                    os.chmod(tmp, mode)
                    os.replace(tmp, target)
                except OSError as exc:
                    raise _error(target, exc) from None
            journal.unlink(missing_ok=True)
            self.staged.clear()

    def discard(self) -> None:
        """Remove every staged file (the previous outputs stay as they were)."""
        for tmp in self.staged.values():
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        self.staged.clear()

    def _journal(self) -> Path:
        first = next(iter(self.staged), self.targets[0])
        journal = first.with_name(f".{first.name}.ik-{self.token}.commit")
        pairs = [[str(tmp), str(target)] for target, tmp in self.staged.items()]
        part = journal.with_name(journal.name + ".new")
        try:
            part.write_text(json.dumps(pairs), encoding="utf-8")
            os.replace(part, journal)
        except OSError as exc:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
            raise _error(journal, exc) from None
        return journal


def recover(folder: Path) -> list[str]:
    """Finish or remove what a killed build left in ``folder``; returns what was done.

    A journal (``.commit``) is rolled forward: its remaining renames are made.  Temporary
    files (``.part``) of a process that no longer runs, or older than a day, are removed.
    """
    done: list[str] = []
    if not folder.is_dir():
        return done
    entries = sorted(folder.iterdir(), key=lambda p: p.name.endswith(".part"))
    for path in entries:  # journals first, then the parts they did not take
        match = _LEFTOVER.match(path.name)
        if match is None or not _abandoned(path, int(match["pid"])):
            continue
        if match["kind"] == "commit":
            done += _roll_forward(path)
        elif path.exists():
            with contextlib.suppress(OSError):
                path.unlink()
                done.append(f"removed {path.name}")
    return done


def _roll_forward(journal: Path) -> list[str]:
    done = []
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pairs = []
    for tmp_name, target_name in pairs if isinstance(pairs, list) else []:
        tmp, target = Path(tmp_name), Path(target_name)
        if tmp.parent == journal.parent == target.parent and tmp.exists():
            with contextlib.suppress(OSError):
                os.replace(tmp, target)
                done.append(f"completed {target.name}")
    with contextlib.suppress(OSError):
        journal.unlink()
    return done


def _abandoned(path: Path, pid: int) -> bool:
    try:
        age = time.time() - path.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_SECONDS:
        return True
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it runs, under another user
        return False
    return False


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _error(target: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(f"cannot write {target}: {reason}; nothing was written")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
