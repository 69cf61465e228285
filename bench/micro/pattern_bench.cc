// Micro-benchmarks of map lookups on the request path: the compiled set
// alone (what a lookup cost before maps could change) against a live map
// (the reader-writer lock and the copy of the value), on one thread and on
// two threads reading the same map, as two workers would.
//
// Run: ./build/<dir>/hearth_microbench --benchmark_filter=Map
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "expr/map.h"
#include "expr/pattern.h"

namespace {

using namespace hearth::expr;

class Lines : public PatternSource {
 public:
  bool read_lines(const std::string&, std::vector<std::string>* lines, std::string*) override {
    for (int i = 0; i < 1000; ++i)
      lines->push_back("host" + std::to_string(i) + ".example.com backend" + std::to_string(i));
    return true;
  }
};

Sample key() {
  Sample s;
  s.set_str("host500.example.com");
  return s;
}

void BM_MapSetFindNoLock(benchmark::State& state) {
  static PatternSet set = [] {
    PatternSet p(MatchMethod::kStr);
    std::string err;
    for (int i = 0; i < 1000; ++i)
      p.add("host" + std::to_string(i) + ".example.com", false, IntOp::kEq, &err);
    return p;
  }();
  const Sample k = key();
  for (auto _ : state) benchmark::DoNotOptimize(set.find(k));
}
BENCHMARK(BM_MapSetFindNoLock)->Threads(1)->Threads(2);

void BM_MapLiveLookup(benchmark::State& state) {
  static std::shared_ptr<const Map> map = [] {
    Lines files;
    std::string err;
    return Map::load("/bench/hosts.map", MatchMethod::kStr, SmpType::kStr, false, files, &err);
  }();
  const Sample k = key();
  for (auto _ : state) {
    Sample v;
    benchmark::DoNotOptimize(map->lookup(k, &v));
  }
}
BENCHMARK(BM_MapLiveLookup)->Threads(1)->Threads(2);

}  // namespace
