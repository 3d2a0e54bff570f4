"""What a benchmark ran on, and how much memory a process tree used."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def describe(database_version: str = "") -> str:
    """One line per fact: CPU model, cores, RAM, Python, SQLite, and the database server."""
    lines = [
        f"cpu: {_first('/proc/cpuinfo', 'model name')}",
        f"cores: {os.cpu_count()}",
        f"ram: {_first('/proc/meminfo', 'MemTotal')}",
        f"python: {platform.python_version()} ({platform.platform()})",
        f"sqlite: {sqlite3.sqlite_version}",
    ]
    lines.append(f"load average at start: {load()}")
    if database_version:
        lines.append(f"database: {database_version}")
    return "\n".join(lines)


def load() -> str:
    """The 1/5/15-minute load averages: on a shared 2-core machine, read figures with them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _kb(pid: int, field: str) -> int:
    value = _first(f"/proc/{pid}/status", field + ":")
    return int(value.split()[0]) if value != "?" else 0


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc/<pid>/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def rss_kb(pids: list[int], field: str = "VmRSS") -> int:
    """Current resident memory of these processes, summed. `RssAnon` leaves out the pages
    of files mapped in memory (SQLite's mmap of the database), which the OS shares."""
    return sum(_kb(pid, field) for pid in pids)


def peak_rss_kb(pid: int) -> int:
    """A process's high-water mark of resident memory (VmHWM)."""
    return _kb(pid, "VmHWM")
