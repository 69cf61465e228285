#pragma once
// The runtime API's frontend and process limit commands, as HAProxy 2.6's
// (all need level admin):
//   disable frontend FE     its ports stop listening (connections refused); PAUSED
//   enable frontend FE      they listen again; OPEN
//   shutdown frontend FE    its sockets are closed for good; STOP
//   set maxconn frontend FE N
//   set maxconn global N    within the maxconn the process started with (0: that one)
//   set rate-limit ...      refused: Hearth has no process-wide rate limits yet
// The listeners are changed on the worker threads that own them.
#include <functional>
#include <string>
#include <vector>

namespace hearth::stream {
class Frontend;
}

namespace hearth::admin {

struct FrontendCommandEnv {
  const std::vector<stream::Frontend*>* frontends = nullptr;
  int initial_global_maxconn = 0;
  // Runs fn(thread_index) on every worker thread, returning when all are done.
  std::function<void(const std::function<void(int)>&)> on_threads;
};

// Runs one of these commands; `w` are its words. Returns: the answer, or an
// empty string if `w` is not such a command.
std::string cli_frontend_command(const std::vector<std::string>& w, const FrontendCommandEnv& env,
                                 bool admin);

}  // namespace hearth::admin
