#pragma once
// The runtime API's stream commands, as HAProxy 2.6's:
//   show sess [all|ID]               one line per live stream (every worker thread)
//   shutdown session ID              (admin) ends that stream: 'K' in its log line
//   shutdown sessions server BE/SRV  (admin) ends every stream on that server
// IDs are the "0x..." addresses "show sess" prints. Each worker lists and
// kills its own streams on its own thread.
#include <functional>
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
}
namespace hearth::stream {
class LiveStream;
}

namespace hearth::admin {

// Kills the calling worker thread's streams that `pick` selects (they end
// on their next turn, `cause` as their first termination flag). Returns: how
// many.
int kill_local_streams(const std::function<bool(const stream::LiveStream&)>& pick,
                       char cause = 'K');

// Returns: the answer, or an empty string if `w` is not such a command.
std::string cli_session_command(
    const std::vector<std::string>& w, const std::vector<backend::Backend*>& backends,
    const std::function<void(const std::function<void(int)>&)>& on_threads, bool admin);

}  // namespace hearth::admin
