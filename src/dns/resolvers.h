#pragma once
// One "resolvers" section at run time: its nameservers' counters, a c-ares
// channel, the names its servers resolve (Resolution, shared by servers
// asking the same name) and the servers (ServerLink) and SRV templates
// (SrvGroup) it keeps up to date. It all lives on one worker's event loop
// (`thread()`): the answers, the choice of addresses and their publication
// to the servers happen there. Other threads reach it through post().
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/model.h"
#include "core/event_loop.h"
#include "dns/ares_channel.h"
#include "dns/ns_counters.h"
#include "dns/resolution.h"

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::dns {

class ServerLink;
class SrvGroup;

// The largest EDNS0 payload announced (c-ares's UDP read buffer).
inline constexpr int kMaxUdpPayload = 4096;

class Resolvers {
 public:
  Resolvers(config::ResolversConfig cfg, int thread);
  ~Resolvers();
  Resolvers(const Resolvers&) = delete;
  Resolvers& operator=(const Resolvers&) = delete;

  const config::ResolversConfig& config() const { return cfg_; }
  const std::string& name() const { return cfg_.name; }
  int thread() const { return thread_; }
  AresChannel& channel() { return *channel_; }
  int64_t now_ms() const {
    EventLoop* l = loop_.load();
    return l ? l->now_ms() : 0;
  }

  // At load, before start(): a server that resolves its name (sc.address's
  // host) here, or a slot of an SRV template (sc.srv_record).
  ServerLink* add_server(backend::Backend* be, backend::Server* s, const config::ServerConfig& sc);

  // On the worker's thread, with `loop` running there: resolves at once.
  void start(EventLoop* loop);
  // On the worker's thread, before its loop goes away.
  void stop();

  // The resolution of `name`, created if needed, with `r` among its requesters.
  Resolution* acquire(const std::string& name, Resolution::Kind kind, Requester* r);
  // `r` no longer asks for res (freed once nobody does and nothing is in flight).
  void release(Resolution* res, Requester* r);
  // Re-arms the timer to the next resolution due.
  void arm();
  // Thread-safe: runs fn on the resolvers' loop (at once if it is not running).
  void post(std::function<void()> fn);

  // `show resolvers`: HAProxy's block for this section.
  std::string show() const;
  const std::vector<std::unique_ptr<NameserverCounters>>& counters() const { return counters_; }

 private:
  static void timer_cb(Timer* t, void* ctx);
  void tick();

  config::ResolversConfig cfg_;
  int thread_;
  std::atomic<EventLoop*> loop_{nullptr};  // set while running (post() reads it anywhere)
  std::vector<std::unique_ptr<NameserverCounters>> counters_;
  std::unique_ptr<AresChannel> channel_;
  Timer timer_{&Resolvers::timer_cb, this};
  std::map<std::pair<int, std::string>, std::unique_ptr<Resolution>> resolutions_;
  std::vector<std::unique_ptr<ServerLink>> links_;
  std::vector<std::unique_ptr<SrvGroup>> groups_;
};

// The process's resolvers sections, set once at load (before the workers
// start) and read by the runtime API.
void set_all_resolvers(std::vector<Resolvers*> all);
const std::vector<Resolvers*>& all_resolvers();
// Returns: the link of a server resolved at run time, or null.
ServerLink* link_of(const backend::Server* s);

}  // namespace hearth::dns
