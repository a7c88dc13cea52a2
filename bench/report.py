"""The results table: our figures, the floors, and the ratios to the raw-websockets floor."""

from __future__ import annotations

from typing import Any


def _get(d: dict | None, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, list):
        return "/".join(_fmt(x) for x in v)
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 10 else f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.1f}"
    return str(v)


def _ratio(ours: Any, floor: Any) -> str:
    if not isinstance(ours, int | float) or not isinstance(floor, int | float) or not floor:
        return "-"
    return f"{ours / floor:.2f}x"


ROWS = [
    # label, path inside a column's result, target text
    ("clients connected", "connected", ""),
    ("handshakes failed", "connect_failed", "0"),
    ("connect all (s)", "connect_total_s", "<= 2x ref"),
    ("connect one p99 (ms)", "connect_each_ms.p99", "<= 2x ref"),
    ("light event (meeting.paused) fan-out max (ms)", "light_fanout_ms.max", "<= 1.3x ws floor",
     "fanout_ms.max"),
    ("vote.opened fan-out p50 (ms)", "fanout_ms.p50", ""),
    ("vote.opened fan-out p99 (ms)", "fanout_ms.p99", ""),
    ("vote.opened fan-out max = last client (ms)", "fanout_ms.max",
     "<= 1.3x ref, <= 2x ws floor"),
    ("fan-out missing clients", "fanout_ms.missing", "0"),
    ("  of which vote.open itself: reply (ms)", "vote_open_reply_ms", "<= 20"),
    ("server RSS per connection (KB)", "rss_per_conn_kb", "< 60"),
    ("vote storm: ballots acked", "storm.acked", ""),
    ("vote storm: ballots counted", "storm.counted", "= acked"),
    ("vote storm: lost / duplicate", "storm.lost_or_duplicate", "0"),
    ("vote storm: ack p50 (ms)", "storm.ack_ms.p50", ""),
    ("vote storm: ack p99 (ms)", "storm.ack_ms.p99", "< 250", "ping_storm_ms.p99"),
    ("  the same burst of pings: pong p99 (ms)", "ping_storm_ms.p99", ""),
    ("vote storm: ballots/s", "storm.ballots_per_s", ""),
    ("vote storm: close + tally (ms)", "storm.close_ms", "< 500"),
    ("vote.closed at the last client (ms)", "storm.closed_fanout_ms.max", ""),
    ("every client's last seq = server's", "seq.all_match", "yes"),
    ("sockets closed by the server", "closed_by_server", "0"),
    ("reconnect storm (kill -9 one process): clients dropped", "reconnect_storm.dropped", ""),
    ("  all back: kill -> last new snapshot (ms)", "reconnect_storm.back_ms.max", ""),
    ("  back p50 (ms)", "reconnect_storm.back_ms.p50", ""),
    ("  all synced: kill -> last sync reply (ms)", "reconnect_storm.synced_ms.max", ""),
    ("  all at the log's head (s)", "reconnect_storm.all_at_head_s", ""),
    ("  raw ws floor, same clients: all back (ms)", "reconnect_storm.floor.back_ms.max", ""),
    ("  raw ws floor: back p50 (ms)", "reconnect_storm.floor.back_ms.p50", ""),
    ("  not back / behind / gaps / duplicates", "reconnect_storm.counts", "0/0/0/0"),
    ("  only the killed process restarted", "reconnect_storm.siblings_kept", "yes"),
    ("machine load (1-min avg, before/after)", "loadavg_1min", ""),
]


def columns(results: dict) -> list[tuple[str, dict | None]]:
    cols = [("ws floor", _get(results, "floors.websockets")),
            ("channels floor", _get(results, "floors.channels"))]
    if _get(results, "floors.local"):
        cols.append(("local fan-out (ref)", _get(results, "floors.local")))
    procs = _get(results, "params.processes")
    for key, label in (("channels-redis", f"channels redis x{procs}"),
                       ("local-redis", f"local redis x{procs} (ref)"),
                       ("local-front", f"local x{procs} nginx (ref)")):
        if _get(results, f"floors.{key}"):
            cols.append((label, _get(results, f"floors.{key}")))
    for name, res in (results.get("klubba") or {}).items():
        if name == "minutes":
            continue
        cols.append((f"klubba {name}", res))
    return cols


def table(results: dict) -> str:
    cols = columns(results)
    floor = cols[0][1]
    head = ["metric"] + [c[0] for c in cols] + [f"{c[0]} / ws" for c in cols[1:]] + ["target"]
    lines = [head]
    for label, path, target, *compare in ROWS:
        values = [_get(res, path) for _name, res in cols]
        if all(v is None for v in values):
            continue
        floor_path = compare[0] if compare else path
        ratios = []
        for v in values[1:]:
            ratios.append(_ratio(v, _get(floor, floor_path))
                          if floor_path.startswith(("fanout", "connect", "rss", "ping_storm"))
                          else "")
        lines.append([label] + [_fmt(v) for v in values] + ratios + [target])
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    out = []
    for i, row in enumerate(lines):
        out.append("| " + " | ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)) + " |")
        if i == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    out += ["", *against_targets(results)]
    minutes = _get(results, "klubba.minutes")
    if minutes:
        out.append("")
        if minutes.get("measured"):
            out.append(f"minutes of the big meeting ({minutes.get('shape')}): build "
                       f"{_fmt(minutes.get('build_s'))} s, render {_fmt(minutes.get('render_s'))}"
                       f" s, sign x3 {_fmt(minutes.get('sign_s'))} s, total "
                       f"{_fmt(minutes.get('total_s'))} s (target < 3 s: "
                       f"{'met' if (minutes.get('total_s') or 99) < 3 else 'NOT MET'})")
        else:
            out.append(f"minutes of the big meeting: not measured ({minutes.get('reason')})")
    m = results.get("machine", {})
    out.append("")
    out.append(f"machine: {m.get('nproc')} CPU ({m.get('cpu')}), {m.get('memory_gib')} GiB, "
               f"Python {m.get('python')}, {m.get('date')}; V={_get(results, 'params.voters')} "
               f"P={_get(results, 'params.public')} processes="
               f"{_get(results, 'params.processes')} snapshot="
               f"{_get(results, 'params.snapshot') or 'full'}")
    for name, res in (results.get("klubba") or {}).items():
        if isinstance(res, dict) and res.get("stopped"):
            out.append(f"NOT REACHED klubba {name}: {res['stopped']}")
    for key, err in (results.get("errors") or {}).items():
        out.append(f"ERROR {key}: {err}")
    return "\n".join(out)


#: Issue 17's targets: label, path in a Klubba column, and the bounds: ("ref", k) is at most
#: k times the reference of the same topology (production behind nginx is read against the
#: reference behind the same nginx when the run has it), ("ws", k) k times the raw floor,
#: ("max", v) an absolute bound. The floors' figure is read at ``floor_path`` when given.
TARGETS: list[tuple[str, str, list[tuple[str, float]], str | None]] = [
    ("connect all", "connect_total_s", [("ref", 2.0)], None),
    ("connect one p99", "connect_each_ms.p99", [("ref", 2.0)], None),
    ("vote.opened, last client", "fanout_ms.max", [("ref", 1.3), ("ws", 2.0)], None),
    ("vote.open reply (ms)", "vote_open_reply_ms", [("max", 20)], None),
    ("light event, last client", "light_fanout_ms.max", [("ws", 1.3)], "fanout_ms.max"),
    ("ballot ack p99 (ms)", "storm.ack_ms.p99", [("max", 250)], None),
    ("close + tally (ms)", "storm.close_ms", [("max", 500)], None),
    ("RSS per connection (KB)", "rss_per_conn_kb", [("max", 60)], None),
]


def _reference(results: dict, name: str) -> tuple[str, dict | None]:
    if "nginx" in name and _get(results, "floors.local-front"):
        return "local nginx ref", _get(results, "floors.local-front")
    return "ref", _get(results, "floors.local")


def against_targets(results: dict) -> list[str]:
    """One line per target: each Klubba column's figure, what it is read against, met or not."""
    lines = ["targets:"]
    ws = _get(results, "floors.websockets")
    for label, path, bounds, floor_path in TARGETS:
        cells = []
        for name, res in (results.get("klubba") or {}).items():
            ours = _get(res, path)
            if name == "minutes" or not isinstance(ours, int | float):
                continue
            ref_name, ref = _reference(results, name)
            parts, met = [], True
            for kind, k in bounds:
                if kind == "max":
                    met = met and ours <= k
                    continue
                base_name, base = (ref_name, ref) if kind == "ref" else ("ws floor", ws)
                floor = _get(base, floor_path or path)
                if not isinstance(floor, int | float) or not floor:
                    parts.append(f"no {base_name}")
                    continue
                met = met and ours <= k * floor
                parts.append(f"{ours / floor:.2f}x {base_name} (<= {k:g}x)")
            pings = _get(res, "ping_storm_ms.p99") if path.startswith("storm.ack") else None
            if isinstance(pings, int | float):  # the stack's own share of the same burst
                parts.append(f"the same burst of pings {_fmt(pings)}")
            cells.append(f"{name} {_fmt(ours)}" + (f" = {', '.join(parts)}" if parts else "")
                         + (": met" if met else ": NOT MET"))
        limit = " and ".join(f"<= {k:g}" if kind == "max" else f"<= {k:g}x {kind}"
                             for kind, k in bounds)
        if cells:
            lines.append(f"  {label} [{limit}]: " + "; ".join(cells))
    storm = [(name, _get(res, "reconnect_storm.back_ms.max"),
              _get(res, "reconnect_storm.floor.back_ms.max"))
             for name, res in (results.get("klubba") or {}).items()]
    for name, back, floor in storm:
        if isinstance(back, int | float) and isinstance(floor, int | float) and floor:
            lines.append(f"  reconnect storm, all back [against the raw floor]: {name} "
                         f"{_fmt(back)} ms = {back / floor:.2f}x the raw floor's {_fmt(floor)} ms")
    return lines


#: What must hold in every Klubba column, whatever the speed: path, what it must equal.
CORRECTNESS = [
    ("connect_failed", 0),
    ("fanout_ms.missing", 0),
    ("light_fanout_ms.missing", 0),
    ("storm.lost_or_duplicate", 0),
    ("storm.closed_fanout_ms.missing", 0),
    ("seq.all_match", True),
    ("closed_by_server", 0),
    ("reconnect_storm.correct", True),
]


def broken(results: dict) -> list[str]:
    """Every correctness check a run failed (a figure that was not measured is not checked):
    a fast run that lost a ballot or an event is a failed run, not a good figure."""
    runs = results.get("growth") or {"": results}
    failed = []
    for n, one in runs.items():
        for name, res in (one.get("klubba") or {}).items():
            for path, expected in CORRECTNESS:
                value = _get(res, path)
                if value is not None and value != expected:
                    where = f"N={n} " if n else ""
                    failed.append(f"{where}klubba {name}: {path} = {_fmt(value)}, "
                                  f"expected {_fmt(expected)}")
    return failed


GROWTH_ROWS = [
    ("connect all (s)", "connect_total_s"),
    ("connect one p99 (ms)", "connect_each_ms.p99"),
    ("vote.opened, last client (ms)", "fanout_ms.max"),
    ("vote.open reply (ms)", "vote_open_reply_ms"),
    ("light event, last client (ms)", "light_fanout_ms.max"),
    ("ping storm pong p99 (ms)", "ping_storm_ms.p99"),
    ("ballot ack p99 (ms)", "storm.ack_ms.p99"),
    ("reconnect storm: all back (ms)", "reconnect_storm.back_ms.max"),
    ("  raw floor, same clients (ms)", "reconnect_storm.floor.back_ms.max"),
    ("RSS per connection (KB)", "rss_per_conn_kb"),
    ("lost / duplicate ballots", "storm.lost_or_duplicate"),
    ("every client's last seq = head", "seq.all_match"),
    ("reconnect: not back/behind/gaps/dups", "reconnect_storm.counts"),
]


def growth_table(results: dict) -> str:
    """Each figure per N (``--growth``): one line per figure and column, N across."""
    sizes = list(results.get("growth", {}))
    lines = [["figure", "column", *[f"N={n}" for n in sizes]]]
    for label, path in GROWTH_ROWS:
        names: list[str] = []
        for one in results["growth"].values():
            names += [name for name, _res in columns(one) if name not in names]
        for name in names:
            values = [dict(columns(one)).get(name) for one in results["growth"].values()]
            cells = [_fmt(_get(v, path)) for v in values]
            if any(c != "-" for c in cells):
                lines.append([label, name, *cells])
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]
    out = []
    for i, row in enumerate(lines):
        out.append("| " + " | ".join(c.ljust(widths[j]) for j, c in enumerate(row)) + " |")
        if i == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for key, err in (results.get("errors") or {}).items():
        out.append(f"ERROR {key}: {err}")
    return "\n".join(out)


if __name__ == "__main__":
    import json
    import sys

    for path in sys.argv[1:] or ["bench/results/latest.json"]:
        with open(path) as fh:
            data = json.load(fh)
            print(growth_table(data) if "growth" in data else table(data))
