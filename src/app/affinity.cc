#include "app/affinity.h"

#include <sched.h>

#include <bit>
#include <cstring>

namespace hearth::app {

std::vector<int> cpus_for_thread(const std::vector<config::CpuMap>& maps, int i) {
  std::vector<int> out;
  const uint64_t bit = uint64_t(1) << i;
  for (const config::CpuMap& m : maps) {
    if (!(m.threads & bit) || m.cpus.empty()) continue;
    if (!m.automatic) {
      out = m.cpus;
      continue;
    }
    // The rank of thread i within the map's set picks one CPU.
    const int rank = std::popcount(m.threads & (bit - 1));
    out = {m.cpus[size_t(rank) % m.cpus.size()]};
  }
  return out;
}

bool apply_cpu_maps(const std::vector<config::CpuMap>& maps, const std::vector<pthread_t>& threads,
                    std::string* err) {
  for (size_t i = 0; i < threads.size(); ++i) {
    const std::vector<int> cpus = cpus_for_thread(maps, int(i));
    if (cpus.empty()) continue;
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c : cpus) CPU_SET(c, &set);
    const int rc = pthread_setaffinity_np(threads[i], sizeof set, &set);
    if (rc != 0) {
      *err = "cpu-map: cannot bind thread " + std::to_string(i + 1) + ": " + std::strerror(rc);
      return false;
    }
  }
  return true;
}

}  // namespace hearth::app
