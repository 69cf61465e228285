#!/usr/bin/env bash
# New TLS handshakes toward the server per 1,000 HTTPS requests under
# `http-reuse safe`, side by side for HAProxy and Hearth in one run. Each proxy
# takes plain HTTP from curl and re-encrypts to its own nginx listener
# (`ssl verify required`, SNI, TLS 1.3 or 1.2); nginx's access log says, per
# request, its connection and whether the session was resumed, so the
# handshakes are counted on the server side.
# usage: bench/tls_server_reuse.sh [CLIENTS=100] [REQS_PER_CLIENT=10] [PARALLEL=10] [PROTO=TLSv1.3]
#   HEARTH=path/to/hearth (default: build/release/hearth, else build/debug/hearth)
set -u
CLIENTS=${1:-100}
REQS=${2:-10}
PAR=${3:-10}
PROTO=${4:-TLSv1.3}
HEARTH=${HEARTH:-./build/release/hearth}
[ -x "$HEARTH" ] || HEARTH=./build/debug/hearth
W=$(mktemp -d /tmp/tlsreuse.XXXX)
trap 'kill $NG $HA $HE 2>/dev/null; wait 2>/dev/null; rm -rf $W' EXIT

# A CA and a server certificate for a.example, made now (never committed).
openssl req -x509 -newkey rsa:2048 -nodes -keyout $W/ca.key -out $W/ca.pem -days 2 \
  -subj "/CN=Bench CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout $W/srv.key -out $W/srv.csr -subj "/CN=a.example" \
  2>/dev/null
printf "subjectAltName=DNS:a.example\n" > $W/ext
openssl x509 -req -in $W/srv.csr -CA $W/ca.pem -CAkey $W/ca.key -CAcreateserial \
  -out $W/srv.pem -days 2 -extfile $W/ext 2>/dev/null

cat > $W/nginx.conf <<NG
worker_processes 1; daemon off; pid $W/ng.pid; error_log $W/ng.err;
events { worker_connections 4096; }
http {
  log_format b '\$server_port \$connection \$ssl_session_reused';
  access_log $W/access.log b;
  keepalive_timeout 60s; keepalive_requests 100000;
  ssl_certificate $W/srv.pem; ssl_certificate_key $W/srv.key;
  ssl_protocols $PROTO; ssl_session_cache shared:b:10m;
  server { listen 127.0.0.1:9211 ssl; listen 127.0.0.1:9212 ssl;
           location / { return 200 "ok\n"; } } }
NG
proxy_cfg() {  # $1: frontend port, $2: server port
  cat <<CFG
global
  nbthread 1
defaults
  mode http
  http-reuse safe
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:$1
  default_backend be
backend be
  server s1 127.0.0.1:$2 ssl verify required ca-file $W/ca.pem sni str(a.example)
CFG
}
proxy_cfg 9201 9211 > $W/haproxy.cfg
proxy_cfg 9202 9212 > $W/hearth.cfg
nginx -c $W/nginx.conf -p $W 2>/dev/null & NG=$!
haproxy -f $W/haproxy.cfg -db > $W/ha.log 2>&1 & HA=$!
$HEARTH -f $W/hearth.cfg > $W/he.log 2>&1 & HE=$!
for port in 9201 9202; do  # ready once each proxy answers (that request is not counted)
  for _ in $(seq 50); do
    curl -s -o /dev/null -H "Host: a.example" "http://127.0.0.1:$port/ready" && break
    sleep 0.1
  done
done
sleep 0.2
: > $W/access.log

# CLIENTS client connections, REQS keep-alive requests each, PAR at a time.
load() {  # $1: frontend port
  seq "$CLIENTS" | xargs -P "$PAR" -I{} \
    curl -s -o /dev/null -H "Host: a.example" "http://127.0.0.1:$1/r{}?[1-$REQS]"
}
load 9201
load 9202
sleep 0.5

TOTAL=$((CLIENTS * REQS))
echo "requests per proxy: $TOTAL ($CLIENTS clients x $REQS, $PAR in parallel, $PROTO)"
printf "%-8s %9s %12s %8s %9s %16s\n" proxy requests handshakes full resumed "per 1000 reqs"
for row in "haproxy 9211" "hearth 9212"; do
  set -- $row
  awk -v p=$2 -v name=$1 -v total=$TOTAL '
    $1 == p { reqs++; if (!($2 in seen)) { seen[$2] = 1; conns++; if ($3 == "r") res++; else full++ } }
    END { printf "%-8s %9d %12d %8d %9d %16.1f\n", name, reqs, conns, full, res, conns * 1000 / total }
  ' $W/access.log
done
