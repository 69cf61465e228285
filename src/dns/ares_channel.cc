#include "dns/ares_channel.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace hearth::dns {

// Registered in the loop's epoll for one c-ares socket. The poller only
// records readiness here; c-ares runs in the channel's tasklet, so a socket
// it closes meanwhile is never touched by a later event of the same batch.
struct AresChannel::Watch : FdHandler {
  AresChannel* ch = nullptr;
  int fd = -1;
  void on_fd_event(uint32_t events) override { ch->on_ready(fd, events); }
  const char* fd_kind() const override { return "dns_socket"; }
};

namespace {

std::once_flag g_lib_once;

bool same_sockaddr(const sockaddr* a, const net::Address& b) {
  if (a->sa_family != b.family()) return false;
  if (a->sa_family == AF_INET) {
    const auto* x = reinterpret_cast<const sockaddr_in*>(a);
    return x->sin_port == b.ss.v4.sin_port && x->sin_addr.s_addr == b.ss.v4.sin_addr.s_addr;
  }
  if (a->sa_family == AF_INET6) {
    const auto* x = reinterpret_cast<const sockaddr_in6*>(a);
    return x->sin6_port == b.ss.v6.sin6_port &&
           std::memcmp(&x->sin6_addr, &b.ss.v6.sin6_addr, sizeof x->sin6_addr) == 0;
  }
  return false;
}

}  // namespace

AresChannel::AresChannel(Options opts, std::vector<NameserverCounters*> counters)
    : opts_(std::move(opts)), counters_(std::move(counters)) {}

AresChannel::~AresChannel() { stop(); }

bool AresChannel::start(EventLoop* loop, std::string* err) {
  std::call_once(g_lib_once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  loop_ = loop;
  ares_options o{};
  int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB |
             ARES_OPT_EDNSPSZ | ARES_OPT_LOOKUPS | ARES_OPT_NOROTATE;
  // No search list, no /etc/hosts: the name as written, from the nameservers.
  o.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_EDNS;
  o.timeout = int(opts_.timeout_ms);
  o.tries = opts_.tries;
  o.sock_state_cb = &AresChannel::sock_state_cb;
  o.sock_state_cb_data = this;
  o.ednspsz = opts_.edns_payload;
  char lookups[] = "b";
  o.lookups = lookups;
  int rc = ares_init_options(&channel_, &o, mask);
  if (rc != ARES_SUCCESS) {
    *err = std::string("c-ares: ") + ares_strerror(rc);
    channel_ = nullptr;
    return false;
  }
  static const ares_socket_functions funcs = {&AresChannel::s_socket, &AresChannel::s_close,
                                              &AresChannel::s_connect, &AresChannel::s_recvfrom,
                                              &AresChannel::s_sendv};
  ares_set_socket_functions(channel_, &funcs, this);
  std::vector<ares_addr_port_node> nodes(opts_.servers.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const net::Address& a = opts_.servers[i];
    ares_addr_port_node& n = nodes[i];
    n.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
    n.family = a.family();
    if (a.family() == AF_INET)
      std::memcpy(&n.addr.addr4, &a.ss.v4.sin_addr, 4);
    else
      std::memcpy(&n.addr.addr6, &a.ss.v6.sin6_addr, 16);
    n.udp_port = a.port();
    n.tcp_port = a.port();
  }
  rc = ares_set_servers_ports(channel_, nodes.empty() ? nullptr : nodes.data());
  if (rc != ARES_SUCCESS) {
    *err = std::string("c-ares: nameservers: ") + ares_strerror(rc);
    ares_destroy(channel_);
    channel_ = nullptr;
    return false;
  }
  return true;
}

void AresChannel::stop() {
  if (!channel_) return;
  ares_channel ch = channel_;
  channel_ = nullptr;  // running() is false for the callbacks below: nobody queries again
  ares_cancel(ch);     // callbacks run now, with ARES_ECANCELLED
  ares_destroy(ch);
  for (auto& [fd, w] : watches_) loop_->del_fd(fd);
  watches_.clear();
  ready_.clear();
  tasklet_.cancel();
  if (loop_) loop_->timers().cancel(&timer_);
}

void AresChannel::query(const std::string& name, int type, Callback cb, void* arg) {
  auto* p = new Pending{this, cb, arg};
  ares_query(channel_, name.c_str(), ns_c_in, type, &AresChannel::answer_cb, p);
  arm_timer();
}

void AresChannel::answer_cb(void* arg, int status, int, unsigned char* abuf, int alen) {
  std::unique_ptr<Pending> p(static_cast<Pending*>(arg));
  AresChannel* self = p->self;
  const int ns = self->reading_ns_;
  NameserverCounters* c =
      ns >= 0 && ns < int(self->counters_.size()) ? self->counters_[ns] : nullptr;
  QueryStatus st = QueryStatus::kOther;
  switch (status) {
    case ARES_SUCCESS:
      st = QueryStatus::kValid;
      if (c) c->valid++;
      break;
    case ARES_ENODATA:
      st = QueryStatus::kNoData;
      if (c) c->any_err++;
      break;
    case ARES_ENOTFOUND:
      st = QueryStatus::kNx;
      if (c) c->nx++;
      break;
    case ARES_EREFUSED:
      st = QueryStatus::kRefused;
      if (c) c->refused++;
      break;
    case ARES_ETIMEOUT:
    case ARES_ECONNREFUSED:
      // c-ares gives up once it asked each nameserver in turn, `tries` times.
      // A nameserver whose port is closed (ICMP unreachable) gives no answer
      // either: HAProxy waits for it to time out, so it counts as that.
      st = QueryStatus::kTimeout;
      for (NameserverCounters* each : self->counters_) each->timeout++;
      break;
    case ARES_EBADRESP:
    case ARES_EFORMERR:
      st = QueryStatus::kInvalid;
      if (c) c->invalid++;
      break;
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION:
      break;  // stopping: nobody counts it
    default:
      if (c) c->other++;
      break;
  }
  p->cb(p->arg, st, st == QueryStatus::kTimeout ? -1 : ns, abuf, alen);
}

void AresChannel::sock_state_cb(void* data, ares_socket_t fd, int readable, int writable) {
  auto* self = static_cast<AresChannel*>(data);
  auto it = self->watches_.find(fd);
  if (!readable && !writable) {
    if (it != self->watches_.end()) {
      self->loop_->del_fd(fd);
      self->watches_.erase(it);
    }
    return;
  }
  const uint32_t ev = (readable ? EPOLLIN : 0u) | (writable ? EPOLLOUT : 0u);
  if (it == self->watches_.end()) {
    auto w = std::make_unique<Watch>();
    w->ch = self;
    w->fd = fd;
    if (!self->loop_->add_fd(fd, ev, w.get())) return;  // c-ares times the query out
    self->watches_.emplace(fd, std::move(w));
  } else {
    self->loop_->mod_fd(fd, ev, it->second.get());
  }
}

void AresChannel::on_ready(int fd, uint32_t events) {
  ready_.push_back({fd, events});
  loop_->wake(&tasklet_, kWakeRecv);
}

void AresChannel::tasklet_cb(Tasklet*, void* ctx, uint32_t) {
  static_cast<AresChannel*>(ctx)->process();
}

void AresChannel::timer_cb(Timer*, void* ctx) { static_cast<AresChannel*>(ctx)->process(); }

void AresChannel::process() {
  if (!channel_) return;
  std::vector<std::pair<int, uint32_t>> ready;
  ready.swap(ready_);
  for (auto [fd, ev] : ready) {
    if (!channel_) return;
    if (!watches_.count(fd)) continue;  // closed since the poller saw it
    const bool rd = ev & (EPOLLIN | EPOLLERR | EPOLLHUP);
    const bool wr = ev & EPOLLOUT;
    ares_process_fd(channel_, rd ? fd : ARES_SOCKET_BAD, wr ? fd : ARES_SOCKET_BAD);
  }
  if (!channel_) return;
  reading_ns_ = -1;
  ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
  arm_timer();
}

void AresChannel::arm_timer() {
  if (!channel_) return;
  timeval tv{};
  if (!ares_timeout(channel_, nullptr, &tv)) {
    loop_->timers().cancel(&timer_);
    return;
  }
  const int64_t ms = int64_t(tv.tv_sec) * 1000 + (tv.tv_usec + 999) / 1000;
  loop_->timers().arm(&timer_, loop_->now_ms() + ms);
}

int AresChannel::ns_of(const sockaddr* sa, socklen_t) const {
  for (size_t i = 0; i < opts_.servers.size(); ++i)
    if (same_sockaddr(sa, opts_.servers[i])) return int(i);
  return -1;
}

// c-ares configures none of the sockets it gets from socket functions: they
// must be non-blocking from the start (it reads each until EAGAIN; a blocking
// one would stall the worker's loop).
ares_socket_t AresChannel::s_socket(int domain, int type, int protocol, void*) {
  return ::socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
}

int AresChannel::s_close(ares_socket_t fd, void* p) {
  auto* self = static_cast<AresChannel*>(p);
  self->fd_ns_.erase(fd);
  if (auto it = self->watches_.find(fd); it != self->watches_.end()) {
    self->loop_->del_fd(fd);
    self->watches_.erase(it);
  }
  return ::close(fd);
}

int AresChannel::s_connect(ares_socket_t fd, const sockaddr* sa, ares_socklen_t len, void* p) {
  auto* self = static_cast<AresChannel*>(p);
  self->fd_ns_[fd] = self->ns_of(sa, len);
  return ::connect(fd, sa, len);
}

ares_ssize_t AresChannel::s_recvfrom(ares_socket_t fd, void* buf, size_t len, int flags,
                                     sockaddr* from, ares_socklen_t* fromlen, void* p) {
  auto* self = static_cast<AresChannel*>(p);
  auto it = self->fd_ns_.find(fd);
  self->reading_ns_ = it == self->fd_ns_.end() ? -1 : it->second;
  return ::recvfrom(fd, buf, len, flags, from, fromlen);
}

ares_ssize_t AresChannel::s_sendv(ares_socket_t fd, const iovec* iov, int n, void* p) {
  auto* self = static_cast<AresChannel*>(p);
  const ares_ssize_t r = ::writev(fd, iov, n);
  auto it = self->fd_ns_.find(fd);
  if (it != self->fd_ns_.end() && it->second >= 0) {
    NameserverCounters* c = self->counters_[size_t(it->second)];
    if (r >= 0)
      c->sent++;
    else if (errno != EAGAIN && errno != EWOULDBLOCK)
      c->snd_error++;
  }
  return r;
}

void append_counters(const NameserverCounters& c, std::string* out) {
  auto line = [out](const char* name, const std::atomic<uint64_t>& v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %-12s %llu\n", name, (unsigned long long)v.load());
    out->append(buf);
  };
  out->append(" nameserver ").append(c.name).append(":\n");
  line("sent:", c.sent);
  line("snd_error:", c.snd_error);
  line("valid:", c.valid);
  line("update:", c.update);
  line("cname:", c.cname);
  line("cname_error:", c.cname_error);
  line("any_err:", c.any_err);
  line("nx:", c.nx);
  line("timeout:", c.timeout);
  line("refused:", c.refused);
  line("other:", c.other);
  line("invalid:", c.invalid);
  line("too_big:", c.too_big);
  line("truncated:", c.truncated);
  line("outdated:", c.outdated);
}

}  // namespace hearth::dns
