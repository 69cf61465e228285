#include "stream/session.h"

#include "net/connection.h"
#include "stream/txn_vars.h"

namespace hearth::stream {

Session::~Session() { var_store_pool().destroy(vars); }

Session* Session::of(const net::Connection* c) { return static_cast<Session*>(c->owner); }

Pool<Session>& Session::pool() {
  static Pool<Session> p("session");
  return p;
}

}  // namespace hearth::stream
