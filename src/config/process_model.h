#pragma once
// The global settings that shape the process rather than the traffic: how it
// detaches, whom it runs as, where it is confined, its limits and names.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hearth::config {

// "cpu-map [auto:]THREADS CPUS...": the CPUs a set of threads may run on.
struct CpuMap {
  uint64_t threads = 0;    // bit i: thread i+1
  bool automatic = false;  // "auto:": the n-th thread of the set gets the n-th CPU
  std::vector<int> cpus;   // ascending
};

struct ProcessConfig {
  bool daemon = false;          // "daemon": fork to the background once listening
  std::string chroot;           // "chroot DIR": confined there after binding
  int uid = -1;                 // "user NAME" / "uid N"; -1: keep the current one
  int gid = -1;                 // "group NAME" / "gid N"; -1: keep the current one
  std::string user_name;        // "user NAME": for the supplementary groups
  std::optional<int> ulimit_n;  // "ulimit-n N"; unset: computed from maxconn
  bool maxconn_given = false;   // "maxconn" appeared (else derived from the fd limit)
  bool strict_limits = true;  // failing to set "ulimit-n" is fatal ("no strict-limits": a warning)
  bool quiet = false;         // "quiet": as -q
  std::string node;           // "node NAME" (shown by "show info")
  std::string description;    // "description TEXT"
  std::string localpeer;      // "localpeer NAME"
  int64_t grace_ms = 0;       // "grace T": delay between a stop signal and the stop
  int spread_checks = 0;      // "spread-checks PCT" (0-50)
  int64_t max_spread_checks_ms = 0;  // "max-spread-checks T"; 0: unset
  std::vector<CpuMap> cpu_maps;
  bool master_worker = false;    // "master-worker": as -W
  bool exit_on_failure = true;   // "master-worker no-exit-on-failure" clears it
  int mworker_max_reloads = -1;  // "mworker-max-reloads N"; -1: no limit
};

}  // namespace hearth::config
