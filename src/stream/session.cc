#include "stream/session.h"

#include <sys/socket.h>

#include "net/connection.h"
#include "net/listener.h"
#include "stream/proxy_info.h"
#include "stream/stick_counters.h"
#include "stream/txn_vars.h"

namespace hearth::stream {

Session::~Session() {
  if (trk.any()) stick::track_stop_all(trk, stick_now());
  var_store_pool().destroy(vars);
  ProxyInfo::pool().destroy(pp);
  if (bind) bind->cur.fetch_sub(1, std::memory_order_relaxed);
}

Session* Session::of(const net::Connection* c) { return static_cast<Session*>(c->owner); }

const net::Address& Session::client_addr(const net::Connection* c) const {
  if (strm_src) return *strm_src;
  if (src) return *src;
  if (pp && pp->has_addrs) return pp->src;
  return conn_src_addr(c);
}

std::optional<net::Address> Session::dst_addr(const net::Connection* c) const {
  if (strm_dst) return *strm_dst;
  if (dst) return *dst;
  if (pp && pp->has_addrs) return pp->dst;
  return conn_dst_addr(c);
}

const net::Address& Session::conn_src_addr(const net::Connection* c) const {
  return conn_src ? *conn_src : c->peer();
}

std::optional<net::Address> Session::conn_dst_addr(const net::Connection* c) const {
  if (conn_dst) return *conn_dst;
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(c->fd(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) return std::nullopt;
  // A UNIX socket's own name is the listener's (its temporary name, even):
  // nothing shows it, so it is left unnamed (and not interned).
  if (ss.ss_family == AF_UNIX)
    return net::Address::from(reinterpret_cast<const sockaddr*>(&ss), sizeof(sa_family_t));
  if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6) return std::nullopt;
  return net::Address::from(reinterpret_cast<const sockaddr*>(&ss), len);
}

Pool<Session>& Session::pool() {
  static Pool<Session> p("session");
  return p;
}

}  // namespace hearth::stream
