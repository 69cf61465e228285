#pragma once
// The runtime API's "clear counters" (level operator: the maximums of every
// frontend, backend and server: smax, qmax, rate_max, req_rate_max, the
// *time_max) and "clear counters all" (level admin: every counter, as after a
// restart). Cumulative per-thread counters are reset by each worker on its
// own thread.
#include <functional>
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
}
namespace hearth::stream {
class Frontend;
}

namespace hearth::admin {

struct CounterCommandEnv {
  const std::vector<stream::Frontend*>* frontends = nullptr;
  const std::vector<backend::Backend*>* backends = nullptr;
  std::function<void(const std::function<void(int)>&)> on_threads;
};

// Returns: the answer, or an empty string if `w` is not such a command.
std::string cli_counter_command(const std::vector<std::string>& w, const CounterCommandEnv& env,
                                bool operator_level, bool admin);

}  // namespace hearth::admin
