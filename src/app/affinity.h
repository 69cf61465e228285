#pragma once
// cpu-map: binds worker threads to CPUs (sched_setaffinity through
// pthread_setaffinity_np), once the threads exist.
#include <pthread.h>

#include <string>
#include <vector>

#include "config/process_model.h"

namespace hearth::app {

// Returns: for thread i (0-based; thread number i+1 in the configuration),
// the CPUs it is bound to; empty when no map names it. Later maps win.
std::vector<int> cpus_for_thread(const std::vector<config::CpuMap>& maps, int i);

// Applies the maps to `threads` (index i: thread number i+1).
// Returns: false with *err naming the first thread the kernel refused.
bool apply_cpu_maps(const std::vector<config::CpuMap>& maps, const std::vector<pthread_t>& threads,
                    std::string* err);

}  // namespace hearth::app
