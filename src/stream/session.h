#pragma once
// A Session is what one client connection keeps across its streams: the
// frontend it came in on, the server connection private to it (http-reuse
// never, NTLM/Negotiate) and how many HTTP requests it completed. Created when
// the connection is accepted (net::Connection::owner points to it) and freed
// when the connection is destroyed, which closes its private connection.
#include <cstdint>

#include "backend/private_conn.h"
#include "core/pool.h"
#include "expr/vars.h"

namespace hearth::net {
class Connection;
}

namespace hearth::stream {

class Frontend;

struct Session {
  explicit Session(Frontend* f) : fe(f) {}
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Frontend* fe;
  backend::PrivateConn priv;
  uint32_t transactions = 0;       // HTTP requests completed, the connection kept open
  expr::VarStore* vars = nullptr;  // sess.* variables, from var_store_pool() once set

  // Returns: the session of an incoming connection.
  static Session* of(const net::Connection* c);
  static Pool<Session>& pool();
};

}  // namespace hearth::stream
