"""What the tests that kill processes need: a process's children, read from /proc (Linux)."""

from pathlib import Path


def children(pid: int) -> dict[int, bytes]:
    """The live child processes of ``pid``: their command lines by process id."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
    return found
