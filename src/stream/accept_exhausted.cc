#include "stream/accept_exhausted.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstdio>

#include "core/event_loop.h"
#include "stream/access_log.h"
#include "stream/frontend.h"

namespace hearth::stream {

std::string exhausted_text(std::string_view proxy, int err, long maxsock, long conns) {
  const std::string p = "Proxy " + std::string(proxy);
  if (err == EMFILE)
    return p + " reached process FD limit (maxsock=" + std::to_string(maxsock) +
           "). Please check 'ulimit-n' and restart.";
  if (err == ENFILE)
    return p + " reached system FD limit (at " + std::to_string(conns) +
           "). Please check system tunables.";
  return p + " reached system memory limit (at " + std::to_string(conns) +
         " sockets). Please check system tunables.";
}

bool exhaustion_due(AcceptExhaustion& e, int64_t now_ms, uint64_t* since) {
  const uint64_t n = e.count.fetch_add(1, std::memory_order_relaxed) + 1;
  int64_t last = e.logged_ms.load(std::memory_order_relaxed);
  if (now_ms - last < kExhaustedLogIntervalMs) return false;
  // One thread wins the interval's line.
  if (!e.logged_ms.compare_exchange_strong(last, now_ms, std::memory_order_relaxed)) return false;
  *since = n - e.count_at_log.exchange(n, std::memory_order_relaxed);
  return true;
}

void frontend_accept_exhausted(net::Listener*, int err, void* ctx) {
  auto* fe = static_cast<Frontend*>(ctx);
  uint64_t since = 0;
  if (!exhaustion_due(fe->exhaustion, EventLoop::current()->now_ms(), &since)) return;
  rlimit nofile{};
  getrlimit(RLIMIT_NOFILE, &nofile);
  std::string line = exhausted_text(fe->name, err, long(nofile.rlim_cur), Frontend::global_conns());
  if (since > 1) line += " (" + std::to_string(since) + " times since the previous line)";
  fprintf(stderr, "[ALERT] %s\n", line.c_str());
  send_log_line(fe->logs, /*LOG_EMERG*/ 0, {}, line);
}

}  // namespace hearth::stream
