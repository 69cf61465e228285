#pragma once
// One c-ares channel driven by one event loop: its sockets are registered in
// the loop's epoll, readiness wakes a tasklet that lets c-ares read and
// write (never in the middle of the poller's batch), and one timer fires
// c-ares's own timeouts. Nothing blocks the loop.
//
// c-ares opens its sockets through this class (ares_set_socket_functions),
// which is how each query sent and each answer read is counted for the
// nameserver it went to or came from.
#include <ares.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event_loop.h"
#include "dns/ns_counters.h"
#include "net/address.h"

namespace hearth::dns {

// How a query ended, in the resolvers' terms (HAProxy's statuses).
enum class QueryStatus : uint8_t { kValid, kNoData, kNx, kRefused, kTimeout, kInvalid, kOther };

class AresChannel {
 public:
  struct Options {
    std::vector<net::Address> servers;  // in order (their counters, same order)
    int64_t timeout_ms = 1000;          // timeout retry: before asking again
    int tries = 3;                      // resolve_retries
    int edns_payload = 512;             // accepted_payload_size
  };
  // ns: the index of the nameserver that answered (-1: none, a timeout).
  using Callback = void (*)(void* arg, QueryStatus st, int ns, const unsigned char* abuf, int alen);

  // counters[i] belongs to opts.servers[i]; they outlive the channel.
  AresChannel(Options opts, std::vector<NameserverCounters*> counters);
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  // On the loop's thread, with `loop` running there. Returns: false with *err.
  bool start(EventLoop* loop, std::string* err);
  // On the loop's thread: cancels what is pending (callbacks run with
  // kOther and must not query again) and closes the sockets.
  void stop();
  bool running() const { return channel_ != nullptr; }

  // Sends one query (class IN, type ns_t_a / ns_t_aaaa / ns_t_srv, no search
  // list). Requires: running(). cb runs later, on the loop's thread.
  void query(const std::string& name, int type, Callback cb, void* arg);

 private:
  struct Watch;
  struct Pending {
    AresChannel* self;
    Callback cb;
    void* arg;
  };
  static void sock_state_cb(void* data, ares_socket_t fd, int readable, int writable);
  static void answer_cb(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  static void tasklet_cb(Tasklet* t, void* ctx, uint32_t state);
  static void timer_cb(Timer* t, void* ctx);
  void on_ready(int fd, uint32_t events);
  void process();
  void arm_timer();
  int ns_of(const sockaddr* sa, socklen_t len) const;

  // c-ares's socket functions.
  static ares_socket_t s_socket(int domain, int type, int protocol, void* self);
  static int s_close(ares_socket_t fd, void* self);
  static int s_connect(ares_socket_t fd, const sockaddr* sa, ares_socklen_t len, void* self);
  static ares_ssize_t s_recvfrom(ares_socket_t fd, void* buf, size_t len, int flags, sockaddr* from,
                                 ares_socklen_t* fromlen, void* self);
  static ares_ssize_t s_sendv(ares_socket_t fd, const iovec* iov, int n, void* self);

  Options opts_;
  std::vector<NameserverCounters*> counters_;
  EventLoop* loop_ = nullptr;
  ares_channel channel_ = nullptr;
  Tasklet tasklet_{&AresChannel::tasklet_cb, this};
  Timer timer_{&AresChannel::timer_cb, this};
  std::unordered_map<int, std::unique_ptr<Watch>> watches_;
  std::vector<std::pair<int, uint32_t>> ready_;  // fds the poller reported, for the tasklet
  std::unordered_map<int, int> fd_ns_;           // socket -> nameserver index
  int reading_ns_ = -1;                          // the nameserver of the last read
};

}  // namespace hearth::dns
