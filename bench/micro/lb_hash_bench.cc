// Micro-benchmarks of the hashing algorithms' pick() over 100 servers:
// consistent hashing (ring lookup, with and without bounded loads),
// map-based hashing, hashing a URI key, and a ring rebuild (what a server
// state or weight change costs under the backend's lock).
//
// Run: ./build/<dir>/hearth_microbench --benchmark_filter=Lb
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "backend/lb.h"
#include "backend/lb_key.h"

namespace {

using namespace hearth::backend;

struct Farm {
  explicit Farm(int n, int weight = 1) {
    for (int i = 0; i < n; ++i) {
      auto s = std::make_unique<Server>();
      s->name = "s" + std::to_string(i);
      s->id = i;
      s->puid = i + 1;
      s->weight = weight;
      list.push_back(s.get());
      owned.push_back(std::move(s));
    }
  }
  std::vector<Server*> list;
  std::vector<std::unique_ptr<Server>> owned;
};

// Keys spread over the 32-bit space, as avalanched hashes are.
std::vector<uint32_t> keys() {
  std::vector<uint32_t> k;
  for (uint32_t i = 0; i < 4096; ++i) k.push_back(i * 2654435761u);
  return k;
}

void run_picks(benchmark::State& state, LbAlgorithm& lb) {
  const std::vector<uint32_t> ks = keys();
  size_t i = 0;
  LbRequest r;
  r.has_key = true;
  for (auto _ : state) {
    r.key = ks[i++ & 4095];
    benchmark::DoNotOptimize(lb.pick(r));
  }
}

void BM_LbConsistentPick100(benchmark::State& state) {
  Farm f(100, int(state.range(0)));
  LbOptions o;
  o.hash_method = hearth::config::HashMethod::kConsistent;
  auto lb = make_lb(LbKind::kUri, f.list, o);
  run_picks(state, *lb);
}
BENCHMARK(BM_LbConsistentPick100)->Arg(1)->Arg(10)->Arg(100);

void BM_LbConsistentBoundedPick100(benchmark::State& state) {
  Farm f(100);
  for (Server* s : f.list) s->cur_sess = 5;  // a loaded farm: the bound is computed
  LbOptions o;
  o.hash_method = hearth::config::HashMethod::kConsistent;
  o.hash_balance_factor = 150;
  auto lb = make_lb(LbKind::kUri, f.list, o);
  run_picks(state, *lb);
}
BENCHMARK(BM_LbConsistentBoundedPick100);

void BM_LbMapBasedPick100(benchmark::State& state) {
  Farm f(100);
  auto lb = make_lb(LbKind::kUri, f.list, LbOptions{});
  run_picks(state, *lb);
}
BENCHMARK(BM_LbMapBasedPick100);

void BM_LbHashUriKey(benchmark::State& state) {
  const std::string target = "/static/images/products/12345/large.jpg?v=3";
  for (auto _ : state) {
    const std::string_view k = lb_key::uri_key(target, {});
    benchmark::DoNotOptimize(lb_key::hash_key(hearth::config::HashFunc::kSdbm, true, k));
  }
}
BENCHMARK(BM_LbHashUriKey);

void BM_LbConsistentRebuild100(benchmark::State& state) {
  Farm f(100, int(state.range(0)));
  LbOptions o;
  o.hash_method = hearth::config::HashMethod::kConsistent;
  auto lb = make_lb(LbKind::kUri, f.list, o);
  for (auto _ : state) lb->rebuild();
}
BENCHMARK(BM_LbConsistentRebuild100)->Arg(1)->Arg(100);

}  // namespace
