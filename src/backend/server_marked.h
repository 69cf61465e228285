#pragma once
// What a server's "on-marked-down" and "on-marked-up" ask for when it goes
// DOWN or comes UP, as HAProxy 2.6:
//   on-marked-down shutdown-sessions        its own sessions are killed ('D'
//                                           as the first termination flag)
//   on-marked-up shutdown-backup-sessions   an active server with a weight:
//                                           the sessions of every backup server
//                                           of its backend are killed ('U')
// Streams belong to the worker threads; the runtime installs the function
// that reaches them (posted to every worker, not waited for).
#include <functional>

namespace hearth::backend {

class Backend;
class Server;

// How the sessions of a server are killed: `cause` is 'D' or 'U'.
using SessionKiller = std::function<void(const Server* s, char cause)>;
// Requires: before any worker runs.
void set_session_killer(SessionKiller k);

// After `s` of `be` went DOWN (its checks, the runtime API, the server it
// tracks) or into maintenance.
void server_marked_down(const Server& s);
// After `s` of `be` came UP.
void server_marked_up(const Backend& be, const Server& s);

}  // namespace hearth::backend
