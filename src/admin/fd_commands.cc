#include "admin/fd_commands.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <unordered_map>

#include "admin/cli_fds.h"
#include "backend/backend.h"
#include "backend/server.h"
#include "config/units.h"
#include "core/event_loop.h"
#include "mux/mux.h"
#include "net/connection.h"
#include "net/listener.h"
#include "net/transport.h"
#include "stream/frontend.h"
#include "stream/session.h"

namespace hearth::admin {
namespace {

// HAProxy 2.6's bits (include/haproxy/fd-t.h): the event states per direction,
// then what the poller reported.
enum : uint32_t {
  kActiveR = 1u << 0,
  kReadyR = 1u << 1,
  kShutR = 1u << 2,
  kActiveW = 1u << 4,
  kReadyW = 1u << 5,
  kShutW = 1u << 6,
  kPollErr = 1u << 11,
  kPollHup = 1u << 12,
};

char flag(bool on, char lower) { return on ? char(std::toupper(lower)) : lower; }

struct Line {
  int fd;
  std::string text;
};

// A socket's own address: its family name and port (0: none).
struct SockName {
  const char* fam = "?";
  int port = 0;
};

SockName family_of(const sockaddr_storage& ss) {
  SockName n;
  if (ss.ss_family == AF_INET) {
    n.fam = "ipv4";
    n.port = ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
  } else if (ss.ss_family == AF_INET6) {
    n.fam = "ipv6";
    n.port = ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port);
  } else if (ss.ss_family == AF_UNIX) {
    n.fam = "unix";
  }
  return n;
}

SockName local_name(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
  return family_of(ss);
}

SockName peer_name(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
  return family_of(ss);
}

// " fam=ipv4 lport=L rport=R", ports only for inet sockets.
std::string fam_ports(const SockName& local, int rport, bool with_rport) {
  std::string o = std::string(" fam=") + local.fam;
  if (local.port || rport) {
    o += " lport=" + std::to_string(local.port);
    if (with_rport) o += " rport=" + std::to_string(rport);
  }
  return o;
}

// HAProxy's names for the muxes and transports.
std::string upper_name(const char* n) {
  std::string s = n ? n : "NONE";
  if (s == "pt") return "PASS";
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The virtual table of the handler: the code its events reach (HAProxy's iocb).
const void* code_of(const FdHandler* h) { return *reinterpret_cast<const void* const*>(h); }

struct Names {
  std::unordered_map<const net::Listener*, const stream::Frontend*> listeners;
  const std::vector<backend::Backend*>* backends = nullptr;
};

// "BE/SRV" of the server an outgoing connection leads to: the first whose
// address is the connection's peer (servers sharing an address are told
// apart by nothing else).
std::string server_of(const net::Connection& c, const Names& names) {
  if (!names.backends) return "";
  const std::string peer = c.peer().str();
  for (const backend::Backend* b : *names.backends)
    for (const auto& s : b->servers())
      if (s->address().str() == peer) return b->name() + "/" + s->name;
  return "";
}

std::string describe_listener(const net::Listener& l, const Names& names) {
  const char* st = l.disabled() || l.suspended() ? "PAU" : l.paused() ? "FUL" : "RDY";
  auto it = names.listeners.find(&l);
  const std::string fe = it != names.listeners.end() ? it->second->name : "?";
  const SockName n = local_name(l.fd());
  std::string o = std::string(" l.st=") + st + " fe=" + fe + " fam=" + n.fam;
  if (n.port) o += " lport=" + std::to_string(n.port);
  return o;
}

std::string describe_conn(const net::Connection& c, const Names& names) {
  const bool back = c.flags & net::kConnOutgoing;
  char b[96];
  snprintf(b, sizeof b, " back=%d cflg=0x%08x cerr=%d", back ? 1 : 0, c.flags, c.connect_errno());
  std::string o = b;
  const SockName local = local_name(c.fd());
  o += fam_ports(local, c.peer().port(), true);
  if (back) {
    const std::string sv = server_of(c, names);
    o += sv.empty() ? " px=?" : " sv=" + sv;
  } else if (const stream::Session* s = stream::Session::of(&c); s && s->fe) {
    o += " fe=" + s->fe->name;
  }
  if (c.mux) {
    snprintf(b, sizeof b, " mux=%s ctx=%p", upper_name(c.mux->name()).c_str(),
             static_cast<const void*>(c.mux));
    o += b;
    // The mux's own dump, without the "mux=NAME" it starts with.
    std::string d = c.mux->dump();
    if (d.rfind("mux=", 0) == 0) d.erase(0, std::min(d.size(), d.find(' ')));
    if (!d.empty() && d[0] != ' ') d.insert(0, " ");
    o += d;
  }
  if (c.flags & net::kConnIdle) o += " idle=1";
  o += " xprt=" + upper_name(c.xprt ? c.xprt->name() : nullptr);
  return o;
}

std::string describe_slot(const FdSlot& s, int thread, const Names& names) {
  FdState st;
  st.r_active = s.events & EPOLLIN;
  st.w_active = s.events & EPOLLOUT;
  std::string tail;
  if (const auto* c = dynamic_cast<const net::Connection*>(s.handler)) {
    st.r_ready = c->flags & net::kConnRecvReady;
    st.w_ready = c->flags & net::kConnSendReady;
    st.r_shut = c->flags & net::kConnRdShut;
    st.w_shut = c->flags & net::kConnWrShut;
    st.err = c->flags & net::kConnError;
    st.hup = c->flags & net::kConnRdHup;
    tail = describe_conn(*c, names);
  } else if (const auto* l = dynamic_cast<const net::Listener*>(s.handler)) {
    tail = describe_listener(*l, names);
  }
  const unsigned long tmask = 1ul << (thread % 64);
  return format_fd_head(s.fd, st, tmask, st.r_active ? tmask : 0, st.w_active ? tmask : 0,
                        s.handler, code_of(s.handler), s.handler->fd_kind()) +
         tail;
}

// The CLI's sockets, served by threads of their own, outside the loops.
std::string describe_cli(const CliFd& c) {
  FdState st;
  st.r_active = true;  // each is waited on for reading (accept or a command)
  std::string o = format_fd_head(c.fd, st, 0, 0, 0, nullptr, nullptr,
                                 c.listener ? "cli_listener" : "cli_client");
  const SockName local = local_name(c.fd);
  if (c.listener) {
    o += std::string(" l.st=RDY fe=GLOBAL fam=") + local.fam;
    if (local.port) o += " lport=" + std::to_string(local.port);
  } else {
    o += " back=0" + fam_ports(local, peer_name(c.fd).port, true) + " fe=GLOBAL";
    o += c.admin ? " level=admin" : " level=operator";
  }
  return o;
}

}  // namespace

std::string format_fd_state(const FdState& s) {
  uint32_t v = 0;
  if (s.r_active) v |= kActiveR;
  if (s.r_ready) v |= kReadyR;
  if (s.r_shut) v |= kShutR;
  if (s.w_active) v |= kActiveW;
  if (s.w_ready) v |= kReadyW;
  if (s.w_shut) v |= kShutW;
  if (s.err) v |= kPollErr;
  if (s.hup) v |= kPollHup;
  // Hearth does not clone fds nor keep what the poller last reported for
  // IN, OUT and PRI: c, l, o, p and i stay lower-case.
  char b[64];
  snprintf(b, sizeof b, "0x%06x(cl %c%copi W:%c%c%c R:%c%c%c)", v, flag(s.hup, 'h'),
           flag(s.err, 'e'), flag(s.w_shut, 's'), flag(s.w_ready, 'r'), flag(s.w_active, 'a'),
           flag(s.r_shut, 's'), flag(s.r_ready, 'r'), flag(s.r_active, 'a'));
  return b;
}

std::string format_fd_head(int fd, const FdState& s, unsigned long tmask, unsigned long prmsk,
                           unsigned long pwmsk, const void* owner, const void* iocb,
                           const char* kind) {
  char b[256];
  // ref: HAProxy's count of threads using the fd at once (none here);
  // umask: its pending poller updates (Hearth changes epoll at once).
  snprintf(b, sizeof b,
           "%7d : st=%s ref=0 gid=1 tmask=0x%lx umask=0x0 prmsk=0x%lx pwmsk=0x%lx owner=%p "
           "iocb=%p(%s)",
           fd, format_fd_state(s).c_str(), tmask, prmsk, pwmsk, owner, iocb, kind);
  return b;
}

std::string cli_show_fd(const std::vector<std::string>& w, const FdSources& src) {
  int only = -1;
  if (w.size() > 3) return "'show fd' does not support '" + w[3] + "' in Hearth.\n\n";
  if (w.size() == 3) {
    const std::optional<int64_t> v = config::parse_int(w[2]);
    if (!v || *v < 0 || *v > INT32_MAX) return "'show fd' expects a file descriptor number.\n\n";
    only = int(*v);
  }
  Names names;
  names.backends = src.backends;
  if (src.frontends)
    for (const stream::Frontend* f : *src.frontends)
      for (const auto& per_thread : f->listeners_by_thread)
        for (const net::Listener* l : per_thread) names.listeners[l] = f;
  std::vector<Line> lines;
  std::mutex mu;
  if (src.on_threads) {
    src.on_threads([&](int t) {
      const EventLoop* loop = EventLoop::current();
      if (!loop) return;
      std::vector<Line> mine;
      loop->for_each_fd([&](const FdSlot& s) {
        if (only < 0 || s.fd == only) mine.push_back({s.fd, describe_slot(s, t, names)});
      });
      std::lock_guard<std::mutex> g(mu);
      lines.insert(lines.end(), mine.begin(), mine.end());
    });
  }
  for (const CliFd& c : cli_fds())
    if (only < 0 || c.fd == only) lines.push_back({c.fd, describe_cli(c)});
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.fd < b.fd; });
  std::string o;
  for (const Line& l : lines) o += l.text + "\n";
  return o + "\n";
}

}  // namespace hearth::admin
