#pragma once
// A Session is what one client connection keeps across its streams: the
// frontend it came in on, the server connection private to it (http-reuse
// never, NTLM/Negotiate) and how many HTTP requests it completed. Created when
// the connection is accepted (net::Connection::owner points to it) and freed
// when the connection is destroyed, which closes its private connection.
#include <cstdint>
#include <memory>

#include "backend/private_conn.h"
#include "core/pool.h"
#include "expr/vars.h"
#include "net/address.h"
#include "stick/track.h"

namespace hearth::net {
class Connection;
struct BindInfo;
}  // namespace hearth::net

namespace hearth::stream {

class Frontend;
struct FrontendCounters;
struct ProxyInfo;

struct Session {
  explicit Session(Frontend* f) : fe(f) {}
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Frontend* fe;
  // The bind line the connection came in on (so_name, so_id), whose
  // connection count this session holds until it is freed. Null if none.
  net::BindInfo* bind = nullptr;
  // Its bind line's counters under "option socket-stats" (null: none kept).
  FrontendCounters* bind_counters = nullptr;
  backend::PrivateConn priv;
  uint32_t transactions = 0;  // HTTP requests completed, the connection kept open
  int64_t accept_ms = 0;      // loop time of the accept
  // %Th of the first stream: from the accept to the end of the handshake
  // (the TLS one, or none); -1 once that stream took it.
  int64_t handshake_ms = -1;
  expr::VarStore* vars = nullptr;  // sess.* variables, from var_store_pool() once set
  // set-src / set-dst (and their -port forms): the client and destination
  // addresses that fetches, forwardfor, originalto, balance source and logs
  // see from then on, instead of the connection's. Null until a rule sets one.
  std::unique_ptr<net::Address> src, dst;
  // The same set by stream-level rules (tcp-request content, http-request):
  // as HAProxy 2.6, they hold for the current stream only, so each HTTP
  // transaction starts without them (cleared when it starts).
  std::unique_ptr<net::Address> strm_src, strm_dst;
  // The PROXY header the connection began with (null: none). Its addresses
  // stand for the connection's own ones (below set-src/set-dst); fc_src and
  // fc_dst still read the socket.
  ProxyInfo* pp = nullptr;
  // tcp-request connection set-src / set-dst (and -port): the connection's own
  // addresses from then on, as fc_src and fc_dst report them; a PROXY header's
  // and the session's own stand above them.
  std::unique_ptr<net::Address> conn_src, conn_dst;
  // A tcp-request connection expect-proxy rule asked for a PROXY header.
  bool expect_proxy = false;
  // The stick counters tracked by tcp-request connection and session rules,
  // for the connection's life (stream/stick_counters.h).
  stick::TrackSlots trk;

  // The client address: the stream's set-src, else the session's, else the
  // PROXY header's, else the connection rules' set-src, else the peer.
  const net::Address& client_addr(const net::Connection* c) const;
  // The destination: set-dst's (stream, session), else the PROXY header's,
  // else the connection's (its rules' set-dst, else the socket's local
  // address; nullopt if it cannot be read).
  std::optional<net::Address> dst_addr(const net::Connection* c) const;
  // fc_src / fc_dst: the connection's own addresses (its rules' set-src and
  // set-dst, else the socket's).
  const net::Address& conn_src_addr(const net::Connection* c) const;
  std::optional<net::Address> conn_dst_addr(const net::Connection* c) const;

  // Returns: %Th for a stream starting now: the handshake time for the
  // session's first stream, 0 for the next ones (as HAProxy on keep-alive).
  int64_t take_handshake_ms() {
    const int64_t t = handshake_ms > 0 ? handshake_ms : 0;
    handshake_ms = -1;
    return t;
  }

  // Returns: the session of an incoming connection.
  static Session* of(const net::Connection* c);
  static Pool<Session>& pool();
};

}  // namespace hearth::stream
