#!/usr/bin/env bash
# saban-server on SQLite and on PostgreSQL vs MapServer 8's OGC API – Features:
#   bench-server.sh BUILD_DIR [SECONDS]
# wrk on loopback against /collections/parcels/items?limit=100&bbox=… for
# each, one after the other (2 threads, 8 connections): saban-server with its
# SQLite store serving the GeoPackage, saban-server with its PostgreSQL store
# serving the same parcels from PostGIS (--data PG:…), and MapServer as a
# CGI under lighttpd + mod_cgi (a fork and exec per request, the way
# Debian's cgi-mapserver is meant to be hosted). Prints one JSON line per
# run (requests/s, p50, p99) and the ratios. Then the store itself: a page
# of 100 Command API tasks (GET /collections/tasks/items, signed in) from
# each store.
#
#   bench-server.sh BUILD_DIR soak [SECONDS [RATE]]
# saban-server (SQLite) alone on the same request at RATE a second (default
# 200) for SECONDS (default 3600: the release check), its RSS sampled every
# 10 s (soak.py); exits non-zero if memory grew or a request failed.
# All files stay in BUILD_DIR/bench-server (the PostgreSQL cluster too, run as
# `postgres` when this runs as root, stopped at the end).
set -euo pipefail

build=$(cd "$1" && pwd)
mode=compare
if [ "${2:-}" = soak ]; then
  mode=soak
  seconds=${3:-3600}
  rate=${4:-200}
else
  seconds=${2:-15}
fi
work="$build/bench-server"
rm -rf "$work"
mkdir -p "$work"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
pgbin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pg() { :; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_pg
}
trap cleanup EXIT

# The demo parcels with an id column: MapServer 8 needs oga_featureid to name
# an attribute (not the GeoPackage FID). Both servers read this one file.
# The rest of the demo province stays beside them: --demo needs its communes and sensor sites.
gpkg="$work/parcels.gpkg"
cp "$build/src/lao-cai-demo.gpkg" "$gpkg"
ogr2ogr -f GPKG -update -overwrite "$gpkg" "$build/src/lao-cai-demo.gpkg" -nln parcels \
  -sql "SELECT fid, fid + 0 AS pid, sheet, parcel, landuse, area_m2, commune_code, geom FROM parcels" -a_srs EPSG:9208
count=$(ogrinfo -so "$gpkg" parcels | sed -n 's/^Feature Count: //p')

# Lào Cai city and around: a bbox that matches well over 100 parcels.
bbox="103.90,22.38,104.10,22.56"

# Both stores with the demo accounts (--demo), so the Command API can be read signed in;
# the soak needs only the first.
saban_port=$(free_port)
"$build/src/server/saban-server" --demo --db "$work/saban.db" --data "$gpkg" --listen "127.0.0.1:$saban_port" \
  --rate-limit 0 >"$work/saban-server.log" 2>&1 &
saban_pid=$!
pids+=($saban_pid)

wait_for_100() {
  python3 - "$@" <<'PY'
import json, sys, time, urllib.request
for url in sys.argv[1:]:
    for _ in range(1200):
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                doc = json.load(r)
            break
        except Exception:
            time.sleep(0.1)
    else:
        sys.exit(f"no answer from {url}")
    n = len(doc["features"])
    if n != 100:
        sys.exit(f"{url}: {n} features, wanted 100")
PY
}

if [ "$mode" = soak ]; then
  saban_url="http://127.0.0.1:$saban_port/collections/parcels/items?limit=100&bbox=$bbox"
  wait_for_100 "$saban_url"
  echo "soak: $rate requests/s for $seconds s; RSS over time in $work/soak.jsonl" >&2
  python3 "$(dirname "$0")/soak.py" "$saban_url" "$saban_pid" "$seconds" "$rate" "$work/soak.jsonl" \
    | tee "$work/results.jsonl"
  exit "${PIPESTATUS[0]}"
fi

# A throw-away PostgreSQL 15 + PostGIS 3 cluster with the same layers, FIDs kept.
mkdir -p "$work/pg"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres --auth=trust --no-locale -E UTF8 >"$work/initdb.log"
pg_port=$(free_port)
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
stop_pg() { as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true; }
"$pgbin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'CREATE DATABASE saban'
"$pgbin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d saban -c 'CREATE EXTENSION postgis'
pg_data="PG:host=127.0.0.1 port=$pg_port dbname=saban user=postgres"
ogr2ogr -f PostgreSQL "$pg_data" "$gpkg" -lco GEOMETRY_NAME=geom -lco FID=fid -preserve_fid

pg_server_port=$(free_port)
"$build/src/server/saban-server" --demo --db "postgresql://postgres@127.0.0.1:$pg_port/saban" --data "$pg_data" \
  --listen "127.0.0.1:$pg_server_port" --rate-limit 0 >"$work/saban-server-pg.log" 2>&1 &
pids+=($!)

ms_port=$(free_port)
cat >"$work/saban.map" <<END_OF_MAP
MAP
  NAME "saban"
  EXTENT 376000 2360000 538000 2525000
  PROJECTION "init=epsg:9208" END
  WEB
    METADATA
      "ows_enable_request" "*"
      "oga_enable_request" "*"
      "ows_title" "Sa Bàn benchmark"
      "oga_onlineresource" "http://127.0.0.1:$ms_port/mapserv/saban/ogcapi"
      "ows_srs" "EPSG:9208 EPSG:4326"
    END
  END
  LAYER
    NAME "parcels"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION "$gpkg"
    DATA "parcels"
    PROJECTION "init=epsg:9208" END
    TEMPLATE "void"
    METADATA
      "ows_title" "parcels"
      "oga_featureid" "pid"
      "gml_featureid" "pid"
      "gml_include_items" "all"
      "ows_include_items" "all"
      "ows_extent" "376000 2360000 538000 2525000"
    END
  END
END
END_OF_MAP
cat >"$work/mapserver.conf" <<CONF
CONFIG
  ENV
    MS_MAP_PATTERN "^$work/.*\\.map\$"
  END
  MAPS
    "saban" "$work/saban.map"
  END
END
CONF
cat >"$work/lighttpd.conf" <<CONF
server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
server.document-root = "$work"
server.bind = "127.0.0.1"
server.port = $ms_port
server.errorlog = "$work/lighttpd-error.log"
server.max-connections = 256
alias.url = ("/mapserv" => "/usr/lib/cgi-bin/mapserv")
setenv.add-environment = ("MAPSERVER_CONFIG_FILE" => "$work/mapserver.conf")
\$HTTP["url"] =~ "^/mapserv" { cgi.assign = ("" => "") }
CONF
lighttpd -D -f "$work/lighttpd.conf" >"$work/lighttpd.log" 2>&1 &
pids+=($!)

saban_url="http://127.0.0.1:$saban_port/collections/parcels/items?limit=100&bbox=$bbox"
pg_url="http://127.0.0.1:$pg_server_port/collections/parcels/items?limit=100&bbox=$bbox"
ms_url="http://127.0.0.1:$ms_port/mapserv/saban/ogcapi/collections/parcels/items?f=json&limit=100&bbox=$bbox"

# Both serving before anything is asked of them: the PostgreSQL one seeds the demo
# (indicators and all) into its database first, which takes a while on a busy machine.
wait_for_100 "$saban_url" "$pg_url"

# 500 tasks in one scenario in each store, made through the API as a dispatcher would.
tokens=$(python3 - "http://127.0.0.1:$saban_port" "http://127.0.0.1:$pg_server_port" <<'PY'
import json, sys, urllib.request
def call(base, method, path, body=None, token=None, headers={}):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers=dict({"Content-Type": "application/json"}, **headers))
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
out = []
for base in sys.argv[1:]:
    token = call(base, "POST", "/auth/token", {"username": "dieuphoi", "password": "saban-demo"})["access_token"]
    sc = call(base, "POST", "/collections/scenarios/items",
              {"type": "Feature", "geometry": None, "properties": {"title": "Đo tải"}}, token)["id"]
    for i in range(500):
        call(base, "POST", "/collections/tasks/items",
             {"type": "Feature", "geometry": {"type": "Point", "coordinates": [103.97 + i * 1e-4, 22.48]},
              "properties": {"scenarioId": sc, "title": f"Nhiệm vụ {i}", "kind": "inspect"}}, token)
    out.append(token)
print(" ".join(out))
PY
)
read -r sqlite_token pg_token <<<"$tokens"
tasks_path="/collections/tasks/items?limit=100&offset=200"

run_wrk() {
  # a short warm-up, then the measured run ($3: a bearer token, $4: items a response holds)
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  wrk -t2 -c8 -d3s "${auth[@]}" "$2" >/dev/null
  wrk -t2 -c8 -d"${seconds}s" --latency "${auth[@]}" "$2" >"$work/wrk-$1.txt"
  python3 - "$1" "$work/wrk-$1.txt" "$count" "${4:-100}" <<'PY'
import json, re, sys
text = open(sys.argv[2]).read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({"server": sys.argv[1], "parcels": int(sys.argv[3]), "requests_per_s": rps,
                  "items_per_s": rps * int(sys.argv[4]),
                  "p50_ms": ms(*p50.groups()), "p99_ms": ms(*p99.groups()),
                  "non_2xx": int(errors.group(1)) if errors else 0}))
PY
}

{
  run_wrk saban-server "$saban_url"
  run_wrk saban-server-postgresql "$pg_url"
  run_wrk mapserver "$ms_url"
  run_wrk tasks-sqlite "http://127.0.0.1:$saban_port$tasks_path" "$sqlite_token"
  run_wrk tasks-postgresql "http://127.0.0.1:$pg_server_port$tasks_path" "$pg_token"
} | tee "$work/results.jsonl"
python3 - "$work/results.jsonl" <<'PY'
import json, sys
r = {d["server"]: d for d in map(json.loads, open(sys.argv[1]))}
s, p, m = r["saban-server"], r["saban-server-postgresql"], r["mapserver"]
print(f"parcels: saban-server (SQLite store, GeoPackage) / MapServer = {s['requests_per_s'] / m['requests_per_s']:.1f}x, "
      f"(PostgreSQL store, PostGIS) / MapServer = {p['requests_per_s'] / m['requests_per_s']:.1f}x; "
      f"p99 {s['p99_ms']:.1f} / {p['p99_ms']:.1f} / {m['p99_ms']:.1f} ms", file=sys.stderr)
ts, tp = r["tasks-sqlite"], r["tasks-postgresql"]
print(f"tasks: PostgreSQL / SQLite = {tp['requests_per_s'] / ts['requests_per_s']:.2f}x; "
      f"p99 {ts['p99_ms']:.1f} / {tp['p99_ms']:.1f} ms", file=sys.stderr)
PY
