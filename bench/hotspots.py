"""Summarise py-spy collapsed stacks: where the samples are (self time and inclusive time).

    python -m bench.hotspots bench/results/profile/klubba-embedded-1234.txt [--top 30]
"""

from __future__ import annotations

import argparse
import collections
import re
import sys


def load(path: str) -> list[tuple[list[str], int]]:
    stacks = []
    with open(path) as fh:
        for line in fh:
            line = line.rstrip()
            if not line:
                continue
            frames, _, count = line.rpartition(" ")
            stacks.append((frames.split(";"), int(count)))
    return stacks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", default="", help="only frames matching this regex")
    args = parser.parse_args(argv)
    own: collections.Counter = collections.Counter()
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for path in args.files:
        for frames, count in load(path):
            total += count
            if frames:
                own[frames[-1]] += count
            for frame in set(frames):
                inclusive[frame] += count
    print(f"{total} samples")
    for title, counter in (("self", own), ("inclusive", inclusive)):
        print(f"\n-- {title} --")
        shown = 0
        for frame, count in counter.most_common():
            if args.match and not re.search(args.match, frame):
                continue
            print(f"{100 * count / max(total, 1):5.1f}%  {frame}")
            shown += 1
            if shown >= args.top:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
