#pragma once
// What a frontend says when accept() runs out of a resource: HAProxy's
// emergency line (the one alerting greps for), sent to the frontend's log
// targets and to stderr, at most once per kExhaustedLogIntervalMs per
// frontend whatever the number of listeners and threads meeting it; a
// later line tells how many times it happened since the previous one.
// Accepting itself pauses and resumes in net::Listener (the connection waits
// in the kernel's backlog meanwhile; established sessions go on).
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::net {
class Listener;
}

namespace hearth::stream {

inline constexpr int64_t kExhaustedLogIntervalMs = 10000;

struct AcceptExhaustion {
  std::atomic<uint64_t> count{0};  // accept() failures for want of a resource
  std::atomic<int64_t> logged_ms{INT64_MIN / 2};
  std::atomic<uint64_t> count_at_log{0};  // count when the last line went out
};

// HAProxy's line for `err` (EMFILE: the process's limit, maxsock; ENFILE:
// the system's, at `conns` connections; ENOBUFS/ENOMEM: the system's memory).
std::string exhausted_text(std::string_view proxy, int err, long maxsock, long conns);

// Counts one failure at now_ms. Returns: true if a line is due (then
// *since: the failures since the previous line, this one included).
bool exhaustion_due(AcceptExhaustion& e, int64_t now_ms, uint64_t* since);

// net::AcceptExhausted for frontends (ctx: the Frontend).
void frontend_accept_exhausted(net::Listener* l, int err, void* ctx);

}  // namespace hearth::stream
