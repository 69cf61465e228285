#include "stream/proxy_accept.h"

#include <sys/socket.h>

#include <cerrno>

#include "core/pool.h"
#include "core/tasklet.h"
#include "core/timer.h"
#include "net/transport.h"
#include "proxyproto/header.h"
#include "stream/conn_error_log.h"
#include "stream/frontend.h"
#include "stream/proxy_info.h"
#include "stream/session.h"
#include "stream/session_log.h"

namespace hearth::stream {

void ProxyInfo::assign(const proxyproto::Header& h) {
  has_addrs = !h.local;
  if (has_addrs) {
    src =
        net::Address::from(reinterpret_cast<const sockaddr*>(&h.src),
                           h.src.ss_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
    dst =
        net::Address::from(reinterpret_cast<const sockaddr*>(&h.dst),
                           h.dst.ss_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
  }
  authority_len = uint8_t(h.authority.size());
  h.authority.copy(authority, sizeof authority);
  unique_id_len = uint8_t(h.unique_id.size());
  h.unique_id.copy(unique_id, sizeof unique_id);
}

Pool<ProxyInfo>& ProxyInfo::pool() {
  static Pool<ProxyInfo> p("proxy_info");
  return p;
}

namespace {

// One connection waiting for its header.
struct ProxyWait {
  net::Connection* conn = nullptr;
  Frontend* fe = nullptr;
  ProxyDoneFn done = nullptr;
  int64_t accept_wall_ms = 0;
  bool seen = false;  // some bytes came (a close is then a truncation)
  Tasklet tasklet;
  WaitEvent wait;
  Timer timer;
};

Pool<ProxyWait>& wait_pool() {
  static Pool<ProxyWait> p("proxy_header_wait");
  return p;
}

thread_local size_t t_in_progress = 0;

// HAProxy's messages for the failures that are not the header's content.
const char kEmpty[] = "Connection closed while waiting for PROXY protocol header";
const char kAbort[] = "Connection error while waiting for PROXY protocol header";
const char kTimeout[] = "Timeout while waiting for PROXY protocol header";

void release(ProxyWait* w) {
  w->conn->loop()->timers().cancel(&w->timer);
  w->tasklet.cancel();
  w->conn->xprt->unsubscribe(w->conn, kWakeRecv, &w->wait);
  wait_pool().destroy(w);
  --t_in_progress;
}

// The header was refused: counted, logged (a silent close is not, under
// dontlognull, as HAProxy), and the connection reset.
void fail(ProxyWait* w, const char* message, bool silent_if_dontlognull) {
  net::Connection* c = w->conn;
  Frontend* fe = w->fe;
  fe->counters.local().failed_proxy_headers.add();
  if (!(silent_if_dontlognull && fe->dontlognull))
    log_conn_error(*fe, *c, w->accept_wall_ms, message);
  release(w);
  linger l{1, 0};
  setsockopt(c->fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  c->destroy();  // the session goes with it
}

// The header is whole: consume exactly its bytes and keep what it said.
void succeed(ProxyWait* w, const proxyproto::Header& h) {
  net::Connection* c = w->conn;
  Session* s = Session::of(c);
  static thread_local char sink[proxyproto::kMaxHeader];
  const ssize_t n = recv(c->fd(), sink, h.length, 0);
  ProxyInfo* info = ProxyInfo::pool().create();
  if (n != ssize_t(h.length) || !info) {  // cannot happen: the bytes were peeked
    ProxyInfo::pool().destroy(info);
    return fail(w, kAbort, false);
  }
  info->assign(h);
  s->pp = info;
  Frontend* fe = w->fe;
  ProxyDoneFn done = w->done;
  release(w);
  done(c, fe);
}

// Looks at what has arrived. Returns: true while still waiting.
bool step(ProxyWait* w) {
  net::Connection* c = w->conn;
  static thread_local uint8_t buf[proxyproto::kMaxHeader];
  ssize_t n;
  do {
    n = recv(c->fd(), buf, sizeof buf, MSG_PEEK);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    c->flags &= ~net::kConnRecvReady;
    c->xprt->subscribe(c, kWakeRecv, &w->wait);
    return true;
  }
  if (n < 0) {
    fail(w, kAbort, true);
    return false;
  }
  if (n == 0) {
    fail(w, w->seen ? proxyproto::status_message(proxyproto::ParseStatus::kIncomplete) : kEmpty,
         !w->seen);
    return false;
  }
  w->seen = true;
  proxyproto::Header h;
  const proxyproto::ParseStatus st = proxyproto::parse(buf, size_t(n), &h);
  if (st == proxyproto::ParseStatus::kDone) {
    succeed(w, h);
    return false;
  }
  if (st != proxyproto::ParseStatus::kIncomplete) {
    fail(w, proxyproto::status_message(st), false);
    return false;
  }
  // Part of a header: the peer closing now truncates it; else wait for the
  // next segment (the edge-triggered poller reports it).
  if (c->flags & (net::kConnRdHup | net::kConnError)) {
    fail(w, proxyproto::status_message(st), false);
    return false;
  }
  c->flags &= ~net::kConnRecvReady;
  c->xprt->subscribe(c, kWakeRecv, &w->wait);
  return true;
}

void on_io(Tasklet*, void* ctx, uint32_t) { step(static_cast<ProxyWait*>(ctx)); }

void on_timeout(Timer*, void* ctx) { fail(static_cast<ProxyWait*>(ctx), kTimeout, false); }

}  // namespace

void await_proxy_header(net::Connection* c, Frontend* fe, ProxyDoneFn done) {
  ProxyWait* w = wait_pool().create();
  if (!w) {  // out of memory for this one: refuse it, keep running
    fe->counters.local().failed_proxy_headers.add();
    c->destroy();
    return;
  }
  w->conn = c;
  w->fe = fe;
  w->done = done;
  w->accept_wall_ms = wall_clock_ms();
  w->tasklet.fn = &on_io;
  w->tasklet.ctx = w;
  w->wait.tasklet = &w->tasklet;
  w->timer.fn = &on_timeout;
  w->timer.ctx = w;
  ++t_in_progress;
  EventLoop* loop = c->loop();
  const int64_t limit = fe->timeouts.client;
  if (!step(w)) return;
  if (limit > 0) loop->timers().arm(&w->timer, loop->now_ms() + limit);
}

size_t proxy_headers_in_progress() { return t_in_progress; }

}  // namespace hearth::stream
