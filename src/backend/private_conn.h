#pragma once
// A server connection private to one client connection (HAProxy's session-
// private connection): kept between the client's requests under
// `http-reuse never`, or under any policy once an NTLM/Negotiate handshake
// bound it to the client (kConnPrivate). One slot per client connection, owned
// by its session; the ConnPool parks into it and takes from it.
//
// A parked connection keeps the idle contract: its mux holds it
// read-subscribed, and EOF, a reset or stray bytes destroy it. That unlinks it
// from the slot first, counting it stale on its server and feeding the
// server's keep-alive estimator, as a death in the server's own lists would.
#include <cstdint>

namespace hearth::net {
class Connection;
}

namespace hearth::backend {

class Server;

class PrivateConn {
 public:
  PrivateConn() = default;
  // Closes the parked connection, if any (the client connection is gone).
  ~PrivateConn() { close(); }
  PrivateConn(const PrivateConn&) = delete;
  PrivateConn& operator=(const PrivateConn&) = delete;

  // Parks c, which leads to srv (idle_since_ms = now_ms), closing whatever
  // was parked before. Requires: c was detached with keep_idle and is in no
  // idle list.
  void park(net::Connection* c, Server* srv, int64_t now_ms);
  // Returns: the parked connection if it leads to srv, else nullptr.
  net::Connection* conn_for(const Server* srv) const { return srv_ == srv ? conn_ : nullptr; }
  // Returns: the server the parked connection leads to, or nullptr.
  Server* server() const { return srv_; }
  // Returns: true if the parked connection is bound to this client by an
  // authentication handshake (it must keep its server).
  bool bound() const;
  // Unlinks the parked connection and hands it over (the caller attaches a
  // stream or destroys it). Returns: it, or nullptr.
  net::Connection* take();
  // Closes the parked connection, if any (a voluntary close, not a death).
  void close();

 private:
  static void died_while_idle(net::Connection* c);

  net::Connection* conn_ = nullptr;
  Server* srv_ = nullptr;
};

}  // namespace hearth::backend
