"""One restarted Daphne of ``bench.serve_multi``: it loads the application, then listens.

A socket that listens before its process can serve has connections queued that nobody
accepts until Django is set up (seconds on a loaded machine). A restarted Daphne on such a
socket held the very clients its death had dropped: the kernel (SO_REUSEPORT) or nginx
(``least_conn``: the new process has no connections) sent them to it, and none was refused,
so none went to the healthy sibling. Here the socket is made once the application is loaded,
as ``daphne --bind`` does under systemd (deploy/systemd/klubba@.service).

    python -m bench.serve_child --host H --port P [--reuseport] [--backlog N] -- DAPHNE_ARGS APP
"""

from __future__ import annotations

import argparse
import sys

from bench.serve_multi import listening_socket


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_child", description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backlog", type=int, default=4096)
    parser.add_argument("--reuseport", action="store_true")
    parser.add_argument("daphne_args", nargs=argparse.REMAINDER,
                        help="Daphne's arguments after --, the application path last")
    args = parser.parse_args(argv)
    daphne_args = args.daphne_args[1:] if args.daphne_args[:1] == ["--"] else args.daphne_args
    if not daphne_args:
        parser.error("no application path")

    from daphne.cli import CommandLineInterface
    from daphne.utils import import_by_path

    sys.path.insert(0, ".")  # as Daphne's own command line does
    import_by_path(daphne_args[-1])  # Django set up and the consumers imported: ready to serve
    sock = listening_socket(args.host, args.port, reuseport=args.reuseport,
                            backlog=args.backlog)
    CommandLineInterface().run(["--fd", str(sock.fileno()), *daphne_args])


if __name__ == "__main__":
    main()
