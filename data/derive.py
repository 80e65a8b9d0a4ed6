#!/usr/bin/env python3
"""Re-derive travel-impact's bundled data from the project's shared raw folders.

Usage: python3 data/derive.py ../shared   (run from the repository root; stdlib only)

Every output is either a byte copy (optionally gzip-compressed) of a raw file or a
documented merge of raw files. Nothing is geocoded, guessed or filled in here.
See data/README.md for sources, licences and the exact rules.
"""
import csv
import glob
import gzip
import io
import os
import shutil
import sys

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
raw = os.path.join(shared, "data", "raw")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)))


def gz_copy(src, dst):
    # mtime=0 keeps the .gz byte-identical across runs.
    with open(src, "rb") as f, open(dst, "wb") as g:
        with gzip.GzipFile(filename="", mode="wb", fileobj=g, mtime=0, compresslevel=9) as z:
            shutil.copyfileobj(f, z)


def norm(pc):
    return "".join(pc.split()).upper()


def spaced(key):
    # Standard form: outward code, one space, 3-character inward code.
    return key[:-3] + " " + key[-3:]


# 1. Facilities and LSOAs: verbatim copies.
shutil.copyfile(os.path.join(shared, "research", "facilities_located.csv"),
                os.path.join(out, "facilities.csv"))
shutil.copyfile(os.path.join(raw, "derived-bucks-lsoa", "bucks_lsoa11_centroids_population_imd.csv"),
                os.path.join(out, "lsoa11_bucks.csv"))

# 2. Roads: gzip of the decoded GraphHopper export, unchanged.
os.makedirs(os.path.join(out, "roads"), exist_ok=True)
for name in ("nodes.csv", "edges.csv"):
    gz_copy(os.path.join(raw, "osm-graphhopper-bucks-2016", "decoded", name),
            os.path.join(out, "roads", name + ".gz"))

def write_vertices(w, feats, key):
    """One row per vertex: key(properties) + part, ring, lon, lat, in file order."""
    for ft in feats:
        geom = ft["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for pi, poly in enumerate(polys):
            for ri, ring in enumerate(poly):
                for lon, lat in ring:
                    w.writerow(key(ft["properties"]) + [pi, ri, repr(lon), repr(lat)])


# 2b. LSOA polygons (ONS BSC, super-generalised), for drawing synthetic homes inside the county.
import json
codes = set()
with open(os.path.join(out, "lsoa11_bucks.csv"), newline="") as f:
    for r in csv.DictReader(f):
        codes.add(r["lsoa11_code"])
with open(os.path.join(raw, "ons-lsoa11-boundaries-bsc", "LSOA_Dec_2011_BSC_EW_V3_study_region.geojson")) as f:
    g = json.load(f)
with open(os.path.join(out, "lsoa11_bucks_bsc.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["lsoa11_code", "part", "ring", "lon", "lat"])
    feats = sorted((ft for ft in g["features"] if ft["properties"]["LSOA11CD"] in codes),
                   key=lambda ft: ft["properties"]["LSOA11CD"])
    assert len(feats) == len(codes), (len(feats), len(codes))
    write_vertices(w, feats, lambda p: [p["LSOA11CD"]])

# 2c. District outlines (the four pre-2020 districts as unions of their BSC LSOAs), for maps.
with open(os.path.join(raw, "derived-bucks-lsoa", "bucks_districts_county_from_lsoa11_bsc.geojson")) as f:
    g = json.load(f)
with open(os.path.join(out, "districts_bucks.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["district_code", "name", "part", "ring", "lon", "lat"])
    feats = sorted((ft for ft in g["features"] if "lad19_code" in ft["properties"]),
                   key=lambda ft: ft["properties"]["lad19_code"])
    assert len(feats) == 4, len(feats)
    write_vertices(w, feats, lambda p: [p["lad19_code"], p["lad19_name"]])

# 3. Postcode directory: Code-Point Open (live) + NSPD (everything else it lists).
codepoint = {}
for path in sorted(glob.glob(os.path.join(raw, "os-codepoint-open-2025-05", "Data", "CSV", "*.csv"))):
    with open(path, newline="") as f:
        for r in csv.reader(f):
            codepoint[norm(r[0])] = r
lookup = {}
with open(os.path.join(raw, "ons-pcd-oa11-lsoa11-lad-may22",
                       "PCD_OA_LSOA_MSOA_LAD_MAY22_near_bucks.csv"), newline="") as f:
    for r in csv.DictReader(f):
        lookup[norm(r["pcd7"])] = r
nspd = {}
with open(os.path.join(raw, "ons-nspd-2025-11-qlacref", "nspd_postcodes_near_bucks.csv"), newline="") as f:
    for r in csv.DictReader(f):
        nspd[norm(r["pcd"])] = r

# District names for the directory's GSS codes (2022 boundaries, unchanged for every code here).
lad_name = {}
with open(os.path.join(raw, "ons-lsoa11-lsoa21-lad22-lookup",
                       "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales.csv"),
          newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        lad_name[r["LAD22CD"]] = r["LAD22NM"]

rows = []
for key in sorted(set(codepoint) | set(nspd)):
    if key in codepoint:
        r = codepoint[key]
        e, n = r[2], r[3]
        if r[1] == "90" or (e == "0" and n == "0"):
            e = n = ""
        rows.append((spaced(key), e, n, r[8], lad_name.get(r[8], ""), "live", r[1], "codepoint-2025-05"))
        continue
    r = nspd[key]
    lk = lookup.get(key)
    if lk is not None and lk["doterm"]:
        status = "terminated"
    elif lk is not None:
        status = "terminated"  # live in May 2022, absent from Code-Point April 2025
    else:
        status = "unconfirmed"  # only in NSPD Nov 2025: terminated, or new after April 2025
    rows.append((spaced(key), r["oseast1m"], r["osnrth1m"], r["laua"], lad_name.get(r["laua"], ""),
                 status, "", "nspd-2025-11"))

buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["postcode", "easting", "northing", "district", "district_name", "status", "quality", "source"])
w.writerows(rows)
with open(os.path.join(out, "postcodes.csv.gz"), "wb") as g:
    with gzip.GzipFile(filename="", mode="wb", fileobj=g, mtime=0, compresslevel=9) as z:
        z.write(buf.getvalue().encode("utf-8"))

counts = {}
for r in rows:
    counts[r[5]] = counts.get(r[5], 0) + 1
unnamed = sorted({r[3] for r in rows if r[3] and not r[4]})
print("postcodes:", len(rows), counts, "without coordinates:", sum(1 for r in rows if not r[1]),
      "district codes without a name:", unnamed)
