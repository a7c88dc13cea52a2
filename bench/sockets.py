"""Which server process holds the other end of a client's TCP connection (Linux /proc).

Used by the multi-process test to prove its clients really are spread over processes.
"""

from __future__ import annotations

import os


def _hex_addr(host: str, port: int) -> str:
    a, b, c, d = (int(x) for x in host.split("."))
    return f"{d:02X}{c:02X}{b:02X}{a:02X}:{port:04X}"


def server_side_inode(host: str, server_port: int, client_port: int) -> int | None:
    """Inode of the accepted socket whose local end is server_port and peer is client_port."""
    local = _hex_addr(host, server_port)
    remote = _hex_addr(host, client_port)
    with open("/proc/net/tcp") as fh:
        next(fh)
        for line in fh:
            parts = line.split()
            if parts[1] == local and parts[2] == remote:
                return int(parts[9])
    return None


def pid_holding(inode: int, pids: list[int]) -> int | None:
    target = f"socket:[{inode}]"
    for pid in pids:
        fd_dir = f"/proc/{pid}/fd"
        try:
            names = os.listdir(fd_dir)
        except OSError:
            continue
        for name in names:
            try:
                if os.readlink(f"{fd_dir}/{name}") == target:
                    return pid
            except OSError:
                continue
    return None


def serving_pid(host: str, server_port: int, client_port: int, pids: list[int]) -> int | None:
    inode = server_side_inode(host, server_port, client_port)
    return pid_holding(inode, pids) if inode else None
