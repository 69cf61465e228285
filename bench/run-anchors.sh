#!/usr/bin/env bash
# The project's side-by-side benchmarks, run from the repository root after a release
# build: ../shared/bench/anchors.sh in HTTP and TCP mode (CPU per request, p50/p99,
# backend connections, ratio to HAProxy), then the idle-connection memory bench.
set -u
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared/bench}
D=${1:-10}; C=${2:-50}
echo "== HTTP (candidate.cfg)"
bash $SHARED/anchors.sh $D $C "./build/release/hearth -f $SHARED/candidate.cfg"
echo "== TCP (bench/candidate-tcp.cfg)"
MODE=tcp bash $SHARED/anchors.sh $D $C './build/release/hearth -f bench/candidate-tcp.cfg'
echo "== idle keep-alive client connections"
bash bench/idle_memory.sh ${IDLE_CONNS:-5000}
