#pragma once
// Collects the "[backend/]server" arguments of sample fetches (srv_is_up,
// srv_conn, srv_sess_rate ...) met while a configuration is compiled, so
// that the servers they name are known to be referenced: as HAProxy, "del
// server" refuses them. One scope per thread at a time; names met outside a
// scope are not collected.
#include <string>
#include <vector>

namespace hearth::expr {

class ServerRefScope {
 public:
  ServerRefScope();
  ~ServerRefScope();
  ServerRefScope(const ServerRefScope&) = delete;
  ServerRefScope& operator=(const ServerRefScope&) = delete;
  std::vector<std::string>& refs() { return refs_; }

  // Records `ref` ("backend/server" or "server") in the thread's scope, if any.
  static void note(const std::string& ref);

 private:
  std::vector<std::string> refs_;
  ServerRefScope* prev_;
};

}  // namespace hearth::expr
