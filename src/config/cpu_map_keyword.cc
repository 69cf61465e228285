// cpu-map [auto:]GROUP[/THREADS] CPUS...
// Hearth has one thread group, so GROUP must include 1 ("1", "all", "odd",
// "1-2"); a map for other groups is ignored, as HAProxy ignores ids beyond
// what exists. THREADS and CPUS are sets written as N, N-M, all, odd or even
// (threads count from 1, CPUs from 0). With "auto:", the n-th thread of the
// set is bound to the n-th CPU of the set alone.
#include <bit>

#include "config/keywords.h"

namespace hearth::config::detail {
namespace {

// Returns: the set `s` as a bit mask over [first, first+64), or 0 if `s` is
// not N, N-M, all, odd or even within that range.
uint64_t parse_set(const std::string& s, int first) {
  const int last = first + 63;
  if (s == "all") return ~uint64_t(0);
  if (s == "odd" || s == "even") {
    uint64_t m = 0;
    for (int i = first; i <= last; ++i)
      if ((i % 2 == 1) == (s == "odd")) m |= uint64_t(1) << (i - first);
    return m;
  }
  const size_t dash = s.find('-');
  auto number = [&](const std::string& t, int* out) {
    if (t.empty() || t.size() > 4 || t.find_first_not_of("0123456789") != std::string::npos)
      return false;
    *out = std::stoi(t);
    return *out >= first && *out <= last;
  };
  int lo = 0, hi = 0;
  if (!number(s.substr(0, dash), &lo)) return 0;
  hi = lo;
  if (dash != std::string::npos && !number(s.substr(dash + 1), &hi)) return 0;
  if (hi < lo) return 0;
  uint64_t m = 0;
  for (int i = lo; i <= hi; ++i) m |= uint64_t(1) << (i - first);
  return m;
}

}  // namespace

void parse_cpu_map(const Directive& d, ProcessConfig& p, Reporter& rep) {
  const std::string usage = "cpu-map [auto:]GROUP[/THREADS] CPUS...";
  if (!check_arity(d, "cpu-map", 3, 66, usage, rep)) return;
  CpuMap map;
  std::string who = d[1];
  if (who.rfind("auto:", 0) == 0) {
    map.automatic = true;
    who = who.substr(5);
  }
  const size_t slash = who.find('/');
  const uint64_t groups = parse_set(who.substr(0, slash), 1);
  map.threads = slash == std::string::npos ? ~uint64_t(0) : parse_set(who.substr(slash + 1), 1);
  if (groups == 0 || map.threads == 0) {
    rep.error(d.loc, "cpu-map",
              "invalid thread set '" + d[1] + "': expects " + usage +
                  " where GROUP and THREADS are N, N-M, all, odd or even (from 1 to 64)");
    return;
  }
  uint64_t cpus = 0;
  for (size_t i = 2; i < d.size(); ++i) {
    const uint64_t m = parse_set(d[i], 0);
    if (m == 0) {
      rep.error(d.loc, "cpu-map",
                "invalid CPU set '" + d[i] + "': expects N, N-M, all, odd or even (0 to 63)");
      return;
    }
    cpus |= m;
  }
  for (int c = 0; c < 64; ++c)
    if (cpus & (uint64_t(1) << c)) map.cpus.push_back(c);
  if (map.automatic && slash != std::string::npos && std::popcount(map.threads) != 64 &&
      std::popcount(map.threads) != int(map.cpus.size())) {
    rep.error(
        d.loc, "cpu-map",
        "'auto:' needs as many CPUs as threads: " + std::to_string(std::popcount(map.threads)) +
            " thread(s) for " + std::to_string(map.cpus.size()) + " CPU(s)");
    return;
  }
  if (!(groups & 1)) return;  // another thread group: Hearth has only group 1
  p.cpu_maps.push_back(std::move(map));
}

}  // namespace hearth::config::detail
