#!/usr/bin/env python3
"""The peer benchmark: the same before/after job as `cargo run --release --example scale`, done the
way a Python analyst would, on the same network, the same origins and the same facility sites:
with igraph (Dijkstra in C) and scipy's cKDTree by default, or with networkx or pandana
(`--method`). Prints the peer's stage times and peak RSS, and the ratio to travel-impact's figures
when given them.

    pip install python-igraph scipy pyproj pandas    # and networkx, pandana for those methods
    cargo run --release --example scale -- --origins 1000000 --seed 7 \
        --before centres-2017 --after hubs-2017 --write /tmp/homes.csv | tail -1 > /tmp/ours.txt
    python3 benches/peers.py --origins /tmp/homes.csv --ours /tmp/ours.txt

`benches/paired_rounds.py --rounds N` runs both, one after the other, N times, and prints the
medians.

What the peer does (drive, shortest distance): snaps origins and sites to the nearest junction
(cKDTree; travel-impact snaps to the nearest point of the nearest road segment, which is more
accurate), builds a directed graph of the car-usable edges weighted by length, then per scenario
finds every junction's distance to its nearest site junction, looks up every origin, and
summarises (mean, median, 90th percentile by a sort). The methods:
- `super` (the default, the fastest exact peer): igraph, one Dijkstra from a super-sink joined to
  every site junction;
- `per-site`: igraph, one Dijkstra per distinct site junction, then a minimum;
- `networkx`: networkx's `multi_source_dijkstra_path_length` on the reversed graph (parallel
  edges keep their shortest length, as igraph's search does);
- `pandana`: pandana's contraction hierarchy (built in the graph stage), sites set as points of
  interest and `nearest_pois` for every junction, origins snapped by its own `get_node_ids`; its
  search gives up beyond `PANDANA_MAX_M`, far beyond any trip in the county. "After load" starts once the CSV files are in memory and
projected, as travel-impact's `after_load_ms` does.
"""

import argparse
import gzip
import resource
import time
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

DATA = Path(__file__).resolve().parent.parent / "data"
# pandana's search radius (metres): the county is about 80 km long.
PANDANA_MAX_M = 250_000.0


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--origins", required=True, help="CSV written by `scale --write` (origin_id,easting,northing,...)")
    ap.add_argument("--sites", help="its .sites.csv (default: beside --origins)")
    ap.add_argument("--method", choices=["super", "per-site", "networkx", "pandana"], default="super")
    ap.add_argument("--ours", help="a file holding the scale example's last line, for the ratio")
    a = ap.parse_args()
    sites_path = a.sites or str(Path(a.origins).with_suffix(".sites.csv"))

    # Load: CSVs into memory, lon/lat projected to British National Grid (not timed as work).
    t0 = time.perf_counter()
    with gzip.open(DATA / "roads" / "nodes.csv.gz", "rt") as f:
        nodes = pd.read_csv(f)
    with gzip.open(DATA / "roads" / "edges.csv.gz", "rt") as f:
        edges = pd.read_csv(f, usecols=["from_node", "to_node", "length_m", "car_forward", "car_backward"])
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    nx, ny = to_bng.transform(nodes["lon"].to_numpy(), nodes["lat"].to_numpy())
    origins = pd.read_csv(a.origins, usecols=["easting", "northing"])
    sites = pd.read_csv(sites_path)
    load_s = time.perf_counter() - t0

    t = time.perf_counter()
    index = pd.Series(np.arange(len(nodes)), index=nodes["node_id"].to_numpy())
    u = index[edges["from_node"].to_numpy()].to_numpy()
    v = index[edges["to_node"].to_numpy()].to_numpy()
    w = edges["length_m"].to_numpy()
    fwd = edges["car_forward"].to_numpy() == 1
    bwd = edges["car_backward"].to_numpy() == 1
    src = np.concatenate([u[fwd], v[bwd]])
    dst = np.concatenate([v[fwd], u[bwd]])
    weight = np.concatenate([w[fwd], w[bwd]])
    n = len(nodes)
    if a.method in ("super", "per-site"):
        g = ig.Graph(n=n + 1, edges=np.column_stack([src, dst]).tolist(), directed=True)
        g.es["w"] = weight.tolist()
    elif a.method == "networkx":
        import networkx

        # Reversed, so that a search from the sites gives distances to them; one edge per pair,
        # the shortest (a DiGraph would keep the last one added).
        short = pd.DataFrame({"u": dst, "v": src, "w": weight}).groupby(["u", "v"], sort=False)["w"].min()
        g = networkx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(zip(short.index.get_level_values(0), short.index.get_level_values(1), short.to_numpy()))
    else:
        import pandana

        g = pandana.Network(
            pd.Series(nx), pd.Series(ny), pd.Series(src), pd.Series(dst),
            pd.DataFrame({"w": weight}), twoway=False,
        )
    tree = cKDTree(np.column_stack([nx, ny]))
    graph_s = time.perf_counter() - t

    t = time.perf_counter()
    if a.method == "pandana":
        origin_node = g.get_node_ids(origins["easting"], origins["northing"]).to_numpy()
    else:
        _, origin_node = tree.query(origins[["easting", "northing"]].to_numpy(), workers=-1)
    snap_s = time.perf_counter() - t

    results = {}
    route_s = lookup_s = 0.0
    for name, group in sites.groupby("scenario", sort=False):
        _, site_node = tree.query(group[["easting", "northing"]].to_numpy())
        t = time.perf_counter()
        if a.method == "super":
            sg = g.copy()
            sg.add_edges([(int(s), n) for s in site_node])
            sg.es[sg.ecount() - len(site_node):]["w"] = [0.0] * len(site_node)
            # Distance from every junction TO the super-sink: edges followed backwards.
            d = np.array(sg.distances(source=[n], weights="w", mode="in")[0][:n])
        elif a.method == "per-site":
            d = np.array(g.distances(source=sorted(set(int(s) for s in site_node)), weights="w", mode="in"))[:, :n].min(axis=0)
        elif a.method == "networkx":
            import networkx

            found = networkx.multi_source_dijkstra_path_length(g, set(int(s) for s in site_node), weight="weight")
            d = np.full(n, np.inf)
            d[np.fromiter(found.keys(), dtype=np.int64)] = np.fromiter(found.values(), dtype=float)
        else:
            g.set_pois(category=name, maxdist=PANDANA_MAX_M, maxitems=1, x_col=group["easting"], y_col=group["northing"])
            near = g.nearest_pois(PANDANA_MAX_M, name, num_pois=1)[1]
            # pandana fills "none within maxdist" with maxdist itself.
            d = np.where(near.to_numpy() >= PANDANA_MAX_M, np.inf, near.to_numpy())
        route_s += time.perf_counter() - t
        t = time.perf_counter()
        results[name] = d[origin_node]
        lookup_s += time.perf_counter() - t

    t = time.perf_counter()
    lines = []
    for name, d in results.items():
        ok = np.isfinite(d)
        x = np.sort(d[ok])
        lines.append(f"{name}: reached {ok.sum()}, mean {x.mean():.0f} m, median {x[len(x) // 2]:.0f} m, p90 {x[int(0.9 * len(x))]:.0f} m")
    summary_s = time.perf_counter() - t

    after_load_ms = (graph_s + snap_s + route_s + lookup_s + summary_s) * 1000
    for l in lines:
        print(l)
    print(
        f"peer={a.method if a.method in ('networkx', 'pandana') else 'igraph-' + a.method} origins={len(origins)} load_ms={load_s * 1000:.0f} graph_ms={graph_s * 1000:.0f} "
        f"snap_ms={snap_s * 1000:.0f} route_ms={route_s * 1000:.0f} lookup_ms={lookup_s * 1000:.0f} "
        f"summary_ms={summary_s * 1000:.0f} after_load_ms={after_load_ms:.0f} peak_rss_mb={peak_rss_mb():.0f}"
    )
    if a.ours:
        ours = dict(kv.split("=") for kv in Path(a.ours).read_text().split() if "=" in kv)
        mine = float(ours["after_load_ms"])
        print(
            f"ratio: travel-impact after load {mine:.0f} ms / peer {after_load_ms:.0f} ms = {mine / after_load_ms:.2f}; "
            f"peak RSS {float(ours['peak_rss_mb']):.0f} MB / {peak_rss_mb():.0f} MB = {float(ours['peak_rss_mb']) / peak_rss_mb():.2f}"
        )


if __name__ == "__main__":
    main()
