#pragma once
// The runtime API's commands on a server's checks, in HAProxy 2.6's syntax:
//   set server BE/SRV health up|stopping|down
//   set server BE/SRV agent up|down
//   set server BE/SRV check-addr IP [port P] | check-port P
//   set server BE/SRV agent-addr IP [port P] | agent-port P | agent-send TEXT
//   enable|disable health|agent BE/SRV
// Each change runs on the check's own thread (`on_thread`) and is done when
// the command answers.
#include <functional>
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
}  // namespace hearth::backend

namespace hearth::admin {

// Runs fn on worker thread `thread` and returns when it is done.
using OnThread = std::function<void(int thread, const std::function<void()>& fn)>;

// Runs one of these commands; `w` are its words; they all need `admin`.
// Returns: the answer, or an empty string if `w` is not such a command.
std::string cli_check_command(const std::vector<std::string>& w,
                              const std::vector<backend::Backend*>& backends,
                              const OnThread& on_thread, bool admin);

}  // namespace hearth::admin
