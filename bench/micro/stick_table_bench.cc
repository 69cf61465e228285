// Micro-benchmarks of a shared stick table under threads: what one request's
// tracking costs (find or create the entry, start tracking, count an HTTP
// request with its rate, read the rate back as a deny rule does, stop), with
// 1, 2 and 4 threads at once.
//  - Spread: keys drawn from 100,000 addresses, so threads seldom meet on an
//    entry; this measures the shard locks. With sharding, the time per
//    operation stays flat as threads are added (up to the core count).
//  - Hot: every thread tracks the same key, the worst case: one shard lock
//    and one entry lock taken by all threads.
// The argument is the table's shard count: 1 shows what one lock for the
// whole table (HAProxy 2.6's design) would cost, 16 is Hearth's default.
// Google Benchmark reports time per operation per thread; "items_per_second"
// is the throughput of all threads together.
//
// Run: ./build/release/hearth_microbench --benchmark_filter=Stick
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <string>

#include "stick/table.h"
#include "stick/track.h"

namespace {

using namespace hearth::stick;

std::unique_ptr<Table> make_table(uint32_t shards) {
  TableConfig c;
  c.shards = shards;
  c.name = "bench";
  c.type = KeyType::kIp;
  c.key_len = 4;
  c.size = 200000;
  c.expire_ms = 60000;
  std::string err;
  for (const char* s : {"http_req_rate(10s)", "conn_cur", "gpc0"}) c.layout.add(s, &err);
  return std::make_unique<Table>(std::move(c));
}

// The table all threads of a run share: range(0) is its shard count.
Table* shared_table(uint32_t shards) {
  static std::unique_ptr<Table> t1 = make_table(1);
  static std::unique_ptr<Table> t16 = make_table(16);
  return shards == 1 ? t1.get() : t16.get();
}

void one_request(Table& t, uint32_t addr, int64_t now) {
  char key[4];
  std::memcpy(key, &addr, 4);
  Entry* e = t.get_or_create(std::string_view(key, 4), now);
  if (!e) return;
  TrackSlot slot;
  track_start(slot, t, e, now);
  count_event(t, e, Event::kHttpReq, now);
  int64_t rate = 0;
  read_value(t, e, DataType::kHttpReqRate, 0, now, &rate);
  benchmark::DoNotOptimize(rate);
  track_stop(slot, now);
}

void BM_StickTrackSpread(benchmark::State& state) {
  Table& t = *shared_table(static_cast<uint32_t>(state.range(0)));
  uint32_t x = 2463534242u + static_cast<uint32_t>(state.thread_index()) * 7919u;
  int64_t now = 1000;
  for (auto _ : state) {
    x ^= x << 13;  // xorshift: a cheap spread of keys
    x ^= x >> 17;
    x ^= x << 5;
    one_request(t, 0x0a000000u + x % 100000u, now);
    now += (x & 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StickTrackSpread)->Arg(1)->Arg(16)->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

void BM_StickTrackHot(benchmark::State& state) {
  Table& t = *shared_table(static_cast<uint32_t>(state.range(0)));
  int64_t now = 1000;
  for (auto _ : state) {
    one_request(t, 0x0b000001u, now);
    ++now;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StickTrackHot)->Arg(16)->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

}  // namespace
