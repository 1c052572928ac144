"""What the tests that kill processes need: a process's children and whether it lives, read from /proc (Linux)."""

from pathlib import Path


def _state_and_parent(stat: Path) -> tuple[str, int]:
    """The state letter and parent pid in a ``/proc/PID/stat`` file (after the command name, which may hold ')')."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def children(pid: int) -> dict[int, bytes]:
    """The live child processes of ``pid``: their command lines by process id."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if _state_and_parent(stat)[1] == pid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        return _state_and_parent(Path(f"/proc/{pid}/stat"))[0] not in "ZX"
    except (OSError, IndexError, ValueError):
        return False


def worker_pids() -> list[int]:
    """The worker processes this process has spawned (a local pool of dopasim's sweeps and studies)."""
    import os

    return [pid for pid, cmdline in children(os.getpid()).items() if b"spawn_main" in cmdline]
