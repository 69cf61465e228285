#!/usr/bin/env bash
# Load time of large pattern files: generates files for the str, beg, ip and
# dom methods and a map, references each from an ACL and the map from a
# converter, and times a configuration check (-c) of hearth and of haproxy on
# the same files, best of 3 runs each.
# Usage: bench/pattern-load.sh [HEARTH_BINARY] [ENTRIES]
#   ENTRIES: the size of each file (default 100000). With "large", the sizes
#   are those of big deployments: 1,000,000 IPs, 500,000 strings, domains and
#   prefixes, and 200,000 map entries.
set -eu
cd "$(dirname "$0")/.."
HEARTH=${1:-./build/release/hearth}
N=${2:-100000}
if [ "$N" = large ]; then
  N_IP=1000000 N_STR=500000 N_MAP=200000
else
  N_IP=$N N_STR=$N N_MAP=$N
fi
DIR=$(mktemp -d /tmp/pattern-load.XXXXXX)
trap 'rm -rf "$DIR"' EXIT

python3 - "$DIR" "$N_IP" "$N_STR" "$N_MAP" <<'PY'
import sys
d, n_ip, n, n_map = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def write(name, lines):
    with open(f"{d}/{name}", "w") as f:
        f.write("\n".join(lines) + "\n")
write("str.lst", [f"host{i}.example.com" for i in range(n)])
write("beg.lst", [f"/api/v{i % 97}/item{i}" for i in range(n)])
write("ip.lst", [f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}/{24 + i % 9}" if i % 4
                 else f"2001:db8:{i >> 16:x}:{i & 0xffff:x}::/{48 + i % 17}" for i in range(n_ip)])
write("dom.lst", [f"site{i}.example.org" for i in range(n)])
write("host.map", [f"host{i}.example.com be{i % 2}" for i in range(n_map)])
PY

cat > "$DIR/cfg" <<CFG
defaults
  mode http
  timeout client 5s
  timeout server 5s
  timeout connect 5s
frontend fe
  bind 127.0.0.1:18999
  acl a_str req.hdr(host) -f $DIR/str.lst
  acl a_beg path -m beg -f $DIR/beg.lst
  acl a_ip src -f $DIR/ip.lst
  acl a_dom req.hdr(host) -m dom -f $DIR/dom.lst
  http-request deny if a_str a_beg a_ip a_dom
  use_backend %[req.hdr(host),lower,map($DIR/host.map,be0)]
backend be0
  server s 127.0.0.1:1
backend be1
  server s 127.0.0.1:1
CFG

# Prints the best wall time of 3 config checks by "$@", in seconds.
best_of_3() {
  local best=
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" -c -f "$DIR/cfg" >/dev/null 2>&1 || { echo "FAILED: $* -c" >&2; return 1; }
    t1=$(date +%s.%N)
    best=$(python3 -c "b='$best'; t=$t1-$t0; print(f'{min(float(b), t) if b else t:.3f}')")
  done
  echo "$best"
}

echo "pattern files: $N_IP ip, $N_STR str/beg/dom, $N_MAP map entries"
echo "hearth  $(best_of_3 "$HEARTH") s"
if command -v haproxy >/dev/null; then
  echo "haproxy $(best_of_3 haproxy) s"
fi
