#!/usr/bin/env python3
"""Paired rounds of travel-impact against the peer: the README's side-by-side comparison in one
command. Each round runs the `scale` example (1M homes, drive, centres-2017 then hubs-2017, and
the extra scenario) and then `peers.py` on the same homes, one right after the other, so
that both see the same machine; it prints every round and the medians. The ratio is against the
first of `--methods` (by default igraph from a super-sink, the fastest exact peer); the issue's
whole table is `--methods super,per-site,networkx,pandana`.

    pip install python-igraph scipy pyproj pandas    # and networkx pandana for those methods
    cargo build --release --example scale
    python3 benches/paired_rounds.py --rounds 10

The homes are written once (`scale --write`, seed 7) to --homes unless that file exists. Timings
on a shared machine move from minute to minute, the peer's most of all: read the ratio per round
and its median, not one run.
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE = ROOT / "target" / "release" / "examples" / "scale"
PEER = ROOT / "benches" / "peers.py"
JOB = ["--seed", "7", "--before", "centres-2017", "--after", "hubs-2017"]


def key_values(line):
    """The `key=value` pairs of a stage line, numbers as floats."""
    out = {}
    for kv in line.split():
        k, sep, v = kv.partition("=")
        if sep:
            try:
                out[k] = float(v)
            except ValueError:
                out[k] = v
    return out


def run(cmd):
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, cmd))}\n{done.stderr}")
    return done.stdout.splitlines()


def last_with(lines, prefix):
    found = [l for l in lines if l.startswith(prefix)]
    if not found:
        sys.exit(f"no line starting {prefix!r} in:\n" + "\n".join(lines))
    return found[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="paired rounds (default 5)")
    ap.add_argument("--origins", type=int, default=1_000_000, help="synthetic homes (default 1M)")
    ap.add_argument("--homes", default="/tmp/travel-impact-homes.csv", help="where the homes go")
    ap.add_argument("--extra", default="family-centres-2019", help="extra scenario ('' for none)")
    ap.add_argument("--methods", default="super", help="peers.py methods, comma-separated; the ratio is to the first")
    a = ap.parse_args()
    methods = a.methods.split(",")
    if a.rounds < 1:
        sys.exit("--rounds must be at least 1")
    if not SCALE.exists():
        sys.exit(f"{SCALE} is missing: run `cargo build --release --example scale` first")
    homes = Path(a.homes)
    if not homes.exists():
        print(f"writing {a.origins} homes to {homes} ...", flush=True)
        run([SCALE, "--origins", str(a.origins), *JOB, "--write", homes])
    ours_file = homes.with_suffix(".ours.txt")
    extra = ["--extra", a.extra] if a.extra else []

    rows = []
    others = "".join(f"  {m:>18}" for m in methods[1:])
    print("round  load avg  ours after load  extra  peer after load  ratio  ours RSS  peer RSS" + others)
    for r in range(1, a.rounds + 1):
        load = os.getloadavg()[0]
        lines = run([SCALE, "--origins", str(a.origins), *JOB, *extra])
        line = last_with(lines, "origins=")
        ours_file.write_text(line + "\n")
        ours = key_values(line)
        peers = [
            key_values(last_with(run([sys.executable, PEER, "--origins", homes, "--ours", ours_file, "--method", m]), "peer="))
            for m in methods
        ]
        for p in peers:
            if ours["origins"] != p["origins"]:
                sys.exit(f"the two ran on different homes: {ours['origins']:.0f} and {p['origins']:.0f}")
        peer = peers[0]
        ratio = ours["after_load_ms"] / peer["after_load_ms"]
        rows.append((ours, peer, ratio, peers[1:]))
        extra_ms = ours.get("extra_ms", float("nan"))
        print(
            f"{r:5}  {load:8.2f}  {ours['after_load_ms']:12.0f} ms  {extra_ms:5.0f}  "
            f"{peer['after_load_ms']:12.0f} ms  {ratio:5.2f}  {ours['peak_rss_mb']:5.0f} MB  {peer['peak_rss_mb']:5.0f} MB"
            + "".join(f"  {p['after_load_ms']:7.0f} ms {p['peak_rss_mb']:4.0f} MB" for p in peers[1:]),
            flush=True,
        )

    def med(xs):
        return statistics.median(xs)

    ratios = [x[2] for x in rows]
    print(
        f"medians of {len(rows)}: ours {med([x[0]['after_load_ms'] for x in rows]):.1f} ms, "
        f"peer {med([x[1]['after_load_ms'] for x in rows]):.1f} ms, ratio {med(ratios):.3f} "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}; {sum(q <= 0.5 for q in ratios)} of {len(rows)} at or under 0.5)"
    )
    for k, m in enumerate(methods[1:]):
        print(
            f"{m}: after load {med([x[3][k]['after_load_ms'] for x in rows]):.1f} ms, "
            f"peak RSS {med([x[3][k]['peak_rss_mb'] for x in rows]):.0f} MB (medians)"
        )
    stages = ["index_ms", "snap_ms", "route_ms", "lookup_ms", "summary_ms", "extra_ms"]
    print("ours, stage medians: " + ", ".join(
        f"{s[:-3]} {med([x[0][s] for x in rows]):.1f} ms"
        for s in stages
        if all(isinstance(x[0].get(s), float) and x[0][s] == x[0][s] for x in rows)  # not NaN
    ))


if __name__ == "__main__":
    main()
