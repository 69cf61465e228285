#include "admin/session_commands.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "admin/cli_target.h"
#include "core/clock.h"
#include "stream/live_stream.h"

namespace hearth::admin {
namespace {

// "0x55d5c8a6b2c0" -> the pointer value. Returns: false if not one.
bool parse_id(const std::string& s, uintptr_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  const unsigned long long v = strtoull(s.c_str(), &end, 16);
  if (!end || *end) return false;
  *out = uintptr_t(v);
  return true;
}

using OnThreads = std::function<void(const std::function<void(int)>&)>;

// "show sess": one line per stream; "show sess all": every stream in detail;
// "show sess ID": that one in detail.
std::string show_sess(const std::vector<std::string>& w, const OnThreads& on_threads) {
  uintptr_t only = 0;
  const bool one = w.size() > 2 && w[2] != "all";
  const bool detail = w.size() > 2;
  if (one && !parse_id(w[2], &only)) return "Session not found.\n\n";
  std::mutex mu;
  std::string out;
  if (on_threads) {
    on_threads([&](int) {
      const int64_t now = MonotonicClock::instance()->now_ms();
      std::string mine;
      stream::for_each_live_stream([&](stream::LiveStream* s) {
        if (one && uintptr_t(s->id()) != only) return true;
        mine += detail ? s->describe_detail(now) : s->describe(now) + "\n";
        return true;
      });
      std::lock_guard<std::mutex> g(mu);
      out += mine;
    });
  }
  if (one && out.empty()) return "Session not found.\n\n";
  return out + "\n";
}

// Kills the streams `pick` selects on every thread. Returns: how many.
int kill_streams(const OnThreads& on_threads,
                 const std::function<bool(const stream::LiveStream&)>& pick) {
  std::atomic<int> n{0};
  if (!on_threads) return 0;
  on_threads([&](int) { n += kill_local_streams(pick); });
  return n.load();
}

}  // namespace

int kill_local_streams(const std::function<bool(const stream::LiveStream&)>& pick, char cause) {
  int n = 0;
  stream::for_each_live_stream([&](stream::LiveStream* s) {
    if (pick(*s)) {
      s->kill(cause);
      ++n;
    }
    return true;
  });
  return n;
}

std::string cli_session_command(const std::vector<std::string>& w,
                                const std::vector<backend::Backend*>& backends,
                                const OnThreads& on_threads, bool admin) {
  if (w.size() >= 2 && w[0] == "show" && w[1] == "sess") return show_sess(w, on_threads);
  if (w.size() >= 2 && w[0] == "shutdown" && w[1] == "session") {
    if (!admin) return "Permission denied\n\n";
    uintptr_t id = 0;
    if (w.size() < 3 || !parse_id(w[2], &id))
      return "Session pointer expected (use 'show sess').\n\n";
    const int n = kill_streams(
        on_threads, [id](const stream::LiveStream& s) { return uintptr_t(s.id()) == id; });
    return n ? "\n" : "No such session (use 'show sess').\n\n";
  }
  if (w.size() >= 3 && w[0] == "shutdown" && w[1] == "sessions" && w[2] == "server") {
    if (!admin) return "Permission denied\n\n";
    const ServerTarget t = find_server_target(w.size() > 3 ? w[3] : "", backends);
    if (!t.srv) return t.error;
    const backend::Server* srv = t.srv;
    kill_streams(on_threads,
                 [srv](const stream::LiveStream& s) { return s.current_server() == srv; });
    return "\n";
  }
  return "";
}

}  // namespace hearth::admin
