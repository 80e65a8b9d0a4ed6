#!/usr/bin/env python3
"""Reference values for tests/osm_helsinki.rs, computed without travel-impact or any OSM library.

Standard library only: the PBF is decoded here with a hand-written protobuf reader and zlib;
distances are Vincenty's inverse formula on the WGS84 ellipsoid (a different algorithm from the
crate's Karney geodesics); shortest routes are Dijkstra over the raw OSM segments (the crate cuts
ways into roads first). The taking and profile rules are re-stated from the crate's documentation
(OsmOptions, Profile::walk, Profile::drive).

Run: python3 tests/reference/osm_reference.py tests/fixtures/Helsinki.osm.pbf
"""
import heapq
import math
import struct
import sys
import zlib
from collections import Counter, defaultdict

# ---------------------------------------------------------------- protobuf + PBF decoding


def varint(b, i):
    shift = result = 0
    while True:
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        if c < 0x80:
            return result, i
        shift += 7


def fields(b):
    """Yields (field number, wire type, value) of a protobuf message."""
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v = b[i:i + n]
            i += n
        elif wt == 1:
            v = b[i:i + 8]
            i += 8
        elif wt == 5:
            v = b[i:i + 4]
            i += 4
        else:
            raise ValueError("wire type %d" % wt)
        yield f, wt, v


def packed(b):
    out, i = [], 0
    while i < len(b):
        v, i = varint(b, i)
        out.append(v)
    return out


def unzig(v):
    return (v >> 1) ^ -(v & 1)


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def read_pbf(path):
    data = open(path, "rb").read()
    nodes, ways = {}, []
    i = 0
    while i < len(data):
        (hlen,) = struct.unpack(">I", data[i:i + 4])
        i += 4
        header = dict((f, v) for f, _, v in fields(data[i:i + hlen]))
        i += hlen
        size = header[3]
        blob = dict((f, v) for f, _, v in fields(data[i:i + size]))
        i += size
        raw = blob[1] if 1 in blob else zlib.decompress(blob[3])
        if header[1] != b"OSMData":
            continue
        strings, groups = [], []
        gran, lat_off, lon_off = 100, 0, 0
        for f, _, v in fields(raw):
            if f == 1:
                strings = [s for _, _, s in fields(v)]
            elif f == 2:
                groups.append(v)
            elif f == 17:
                gran = v
            elif f == 19:
                lat_off = signed64(v)
            elif f == 20:
                lon_off = signed64(v)
        for g in groups:
            for f, _, v in fields(g):
                if f == 2:  # dense nodes
                    d = defaultdict(list)
                    for df, _, dv in fields(v):
                        if df in (1, 8, 9):
                            d[df] = [unzig(x) for x in packed(dv)]
                    nid = la = lo = 0
                    for a, b_, c in zip(d[1], d[8], d[9]):
                        nid, la, lo = nid + a, la + b_, lo + c
                        nodes[nid] = ((lon_off + gran * lo) * 1e-9, (lat_off + gran * la) * 1e-9)
                elif f == 1:  # plain node
                    n = dict((nf, nv) for nf, _, nv in fields(v))
                    nodes[unzig(n[1])] = ((lon_off + gran * unzig(n[9])) * 1e-9,
                                          (lat_off + gran * unzig(n[8])) * 1e-9)
                elif f == 3:  # way
                    wid, keys, vals, refs = 0, [], [], []
                    for wf, _, wv in fields(v):
                        if wf == 1:
                            wid = wv
                        elif wf == 2:
                            keys = packed(wv)
                        elif wf == 3:
                            vals = packed(wv)
                        elif wf == 8:
                            r = 0
                            for x in packed(wv):
                                r += unzig(x)
                                refs.append(r)
                    tags = {strings[k].decode(): strings[v_].decode() for k, v_ in zip(keys, vals)}
                    ways.append((wid, refs, tags))
    return nodes, ways


# ---------------------------------------------------------------- Vincenty (WGS84)

A, F = 6378137.0, 1 / 298.257223563
B = A * (1 - F)


def vincenty(p, q):
    (lon1, lat1), (lon2, lat2) = p, q
    if p == q:
        return 0.0
    L = math.radians(lon2 - lon1)
    U1 = math.atan((1 - F) * math.tan(math.radians(lat1)))
    U2 = math.atan((1 - F) * math.tan(math.radians(lat2)))
    sU1, cU1, sU2, cU2 = math.sin(U1), math.cos(U1), math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sl, cl = math.sin(lam), math.cos(lam)
        ss = math.hypot(cU2 * sl, cU1 * sU2 - sU1 * cU2 * cl)
        if ss == 0:
            return 0.0
        cs = sU1 * sU2 + cU1 * cU2 * cl
        sigma = math.atan2(ss, cs)
        sa = cU1 * cU2 * sl / ss
        c2a = 1 - sa * sa
        c2sm = cs - 2 * sU1 * sU2 / c2a if c2a else 0.0
        C = F / 16 * c2a * (4 + F * (4 - 3 * c2a))
        prev = lam
        lam = L + (1 - C) * F * sa * (sigma + C * ss * (c2sm + C * cs * (-1 + 2 * c2sm * c2sm)))
        if abs(lam - prev) < 1e-13:
            break
    u2 = c2a * (A * A - B * B) / (B * B)
    AA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    BB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    ds = BB * ss * (c2sm + BB / 4 * (cs * (-1 + 2 * c2sm * c2sm)
                                     - BB / 6 * c2sm * (-3 + 4 * ss * ss) * (-3 + 4 * c2sm * c2sm)))
    return B * AA * (sigma - ds)


# ---------------------------------------------------------------- the crate's documented rules

TAKEN = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary",
         "secondary_link", "tertiary", "tertiary_link", "unclassified", "residential", "service",
         "living_street", "pedestrian", "track", "footway", "cycleway", "path", "steps",
         "bridleway", "road"}
MOTOR = {"motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
         "service", "living_street", "road"}


def base(h):
    return h[:-5] if h.endswith("_link") else h


def first_access(tags, keys):
    for k in keys:
        if k in tags:
            return tags[k]
    return None


def oneway_of(tags):
    v = tags.get("oneway")
    if v in ("yes", "true", "1"):
        return 1
    if v in ("-1", "reverse"):
        return -1
    if v in ("no", "false", "0"):
        return 0
    implied = tags.get("junction") in ("roundabout", "circular") or tags["highway"] == "motorway"
    return 1 if implied else 0


def walk_dirs(tags):
    """(forward, backward) for Profile::walk, or None if not used."""
    h = tags["highway"]
    if first_access(tags, ["foot", "access"]) in ("no", "private", "agricultural", "forestry",
                                                   "use_sidepath"):
        return None
    included = tags.get("foot") in ("yes", "designated", "permissive")
    excluded = (base(h) in ("motorway", "cycleway") or tags.get("motorroad") == "yes"
                or (base(h) == "trunk" and tags.get("sidewalk") in ("no", "none", "separate")))
    # (The unnamed >= 100 km/h rule never fires in central Helsinki: no road is that fast.)
    if excluded and not included:
        return None
    ow = {"yes": 1, "true": 1, "1": 1, "-1": -1, "reverse": -1}.get(tags.get("oneway:foot"), 0)
    return (ow >= 0, ow <= 0)


def drive_dirs(tags):
    """(forward, backward) for Profile::drive, or None if not used."""
    h = tags["highway"]
    if first_access(tags, ["motorcar", "motor_vehicle", "vehicle", "access"]) in (
            "no", "private", "agricultural", "forestry", "emergency", "psv"):
        return None
    if base(h) not in MOTOR or tags.get("oneway") in ("reversible", "alternating"):
        return None
    ow = oneway_of(tags)
    return (ow >= 0, ow <= 0)


def main(path):
    nodes, all_ways = read_pbf(path)
    ways = [(w, r, t) for (w, r, t) in all_ways
            if t.get("highway") in TAKEN and t.get("area") != "yes"]
    print("ways in file", len(all_ways), "nodes in file", len(nodes), "ways taken", len(ways))
    skipped = Counter("highway=" + t["highway"] for _, _, t in all_ways
                      if "highway" in t and t["highway"] not in TAKEN)
    skipped.update("area=yes" for _, _, t in all_ways
                   if t.get("highway") in TAKEN and t.get("area") == "yes")
    print("not taken", sorted(skipped.items()))

    # Runs of located nodes (repeats in a row dropped), cut at shared nodes.
    runs = []
    for wid, refs, tags in ways:
        run = []
        for r in refs:
            if r not in nodes:
                if len(run) >= 2:
                    runs.append((wid, tags, run))
                run = []
                continue
            if not run or run[-1] != r:
                run.append(r)
        if len(run) >= 2:
            runs.append((wid, tags, run))
    uses = Counter(n for _, _, run in runs for n in run)
    junction = {n for n, c in uses.items() if c >= 2}
    for _, _, run in runs:
        junction.add(run[0])
        junction.add(run[-1])
    roads = Counter()
    km = defaultdict(float)
    for _, tags, run in runs:
        h = tags["highway"]
        roads[h] += sum(1 for n in run[1:] if n in junction)
        km[h] += sum(vincenty(nodes[a], nodes[b]) for a, b in zip(run, run[1:])) / 1000
    print("junctions", len(junction), "roads", sum(roads.values()))
    for h in sorted(km):
        print("  %-14s %5d roads %.6f km" % (h, roads[h], km[h]))

    # Shortest routes over the raw segments.
    def graph(dirs_of):
        g = defaultdict(list)
        for _, tags, run in runs:
            d = dirs_of(tags)
            if d is None:
                continue
            for a, b in zip(run, run[1:]):
                m = vincenty(nodes[a], nodes[b])
                if d[0]:
                    g[a].append((b, m))
                if d[1]:
                    g[b].append((a, m))
        return g

    def dijkstra(g, s, t):
        dist, heap = {s: 0.0}, [(0.0, s)]
        while heap:
            d, u = heapq.heappop(heap)
            if u == t:
                return d
            if d > dist[u]:
                continue
            for v, m in g[u]:
                if d + m < dist.get(v, math.inf):
                    dist[v] = d + m
                    heapq.heappush(heap, (d + m, v))
        return None

    if "Helsinki" not in path:
        return
    walk, drive = graph(walk_dirs), graph(drive_dirs)
    # Junctions nearest two points: the Kiasma corner and the Kauppatori (market square) side.
    def nearest(lon, lat, g):
        return min((n for n in junction if g.get(n)),
                   key=lambda n: vincenty(nodes[n], (lon, lat)))
    for name, g in (("walk", walk), ("drive", drive)):
        a, b = nearest(24.9368, 60.1718, g), nearest(24.9520, 60.1675, g)
        there, back = dijkstra(g, a, b), dijkstra(g, b, a)
        print("%s: node %d (%.7f, %.7f) -> node %d (%.7f, %.7f): %.4f m, back %.4f m"
              % (name, a, *nodes[a], b, *nodes[b], there, back))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/Helsinki.osm.pbf")
