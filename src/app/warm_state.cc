#include "app/warm_state.h"

#include <poll.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/handover_wire.h"
#include "backend/server.h"
#include "backend/server_list_lock.h"
#include "backend/server_state_apply.h"
#include "core/clock.h"
#include "net/fd_channel.h"

namespace hearth::app {
namespace {

constexpr std::string_view kServersChunk = "warm-servers:";
constexpr std::string_view kKeepAliveChunk = "warm-ka:";
constexpr std::string_view kEnd = "warm-end";
constexpr size_t kChunk = net::kChannelMaxMessage - 64;

bool send_chunks(int channel, std::string_view prefix, std::string_view text) {
  while (!text.empty()) {
    const std::string_view part = text.substr(0, kChunk);
    std::string msg(prefix);
    msg += part;
    if (!net::channel_send(channel, msg)) return false;
    text.remove_prefix(part.size());
  }
  return true;
}

}  // namespace

WarmState collect_warm_state(const std::vector<backend::Backend*>& backends, int64_t now_ms) {
  // Not a worker: the server lists may change meanwhile (backend/server_list_lock.h).
  std::shared_lock<std::shared_mutex> list_lock(backend::server_list_mutex());
  WarmState st;
  st.servers = backend::server_states_text(backends, nullptr, now_ms);
  for (const backend::Backend* be : backends)
    for (const auto& s : be->servers()) {
      const backend::KeepAliveEstimator::Evidence e = s->keepalive.evidence();
      if (e.closes.empty() && e.alives.empty()) continue;
      st.keepalive += backend::format_keepalive_line({be->name(), s->name, e.closes, e.alives});
    }
  return st;
}

bool send_warm_state(int channel, const WarmState& st) {
  return send_chunks(channel, kServersChunk, st.servers) &&
         send_chunks(channel, kKeepAliveChunk, st.keepalive) && net::channel_send(channel, kEnd);
}

bool WarmStateReader::feed(std::string_view msg) {
  if (msg.substr(0, kServersChunk.size()) == kServersChunk) {
    st_.servers += msg.substr(kServersChunk.size());
  } else if (msg.substr(0, kKeepAliveChunk.size()) == kKeepAliveChunk) {
    st_.keepalive += msg.substr(kKeepAliveChunk.size());
  } else if (msg == kEnd) {
    complete_ = true;
  } else {
    return false;
  }
  return true;
}

bool fetch_warm_state(int channel, int timeout_ms, WarmState* out) {
  *out = WarmState{};
  if (!net::channel_send(channel, kWarmStateRequest)) return false;
  MonotonicClock* clock = MonotonicClock::instance();
  const int64_t deadline = clock->now_ms() + timeout_ms;
  WarmStateReader r;
  while (!r.complete()) {
    const int64_t left = deadline - clock->now_ms();
    if (left <= 0) return false;
    pollfd p{channel, POLLIN, 0};
    const int n = poll(&p, 1, int(left));
    if (n < 0 && errno != EINTR) return false;
    if (n <= 0) continue;
    net::ChannelMessage m;
    if (net::channel_recv(channel, &m) != net::ChannelRead::kMessage) return false;
    for (int fd : m.fds) close(fd);  // not ours to keep: nothing carries descriptors here
    r.feed(m.text);
  }
  *out = std::move(r.state());
  return true;
}

}  // namespace hearth::app
