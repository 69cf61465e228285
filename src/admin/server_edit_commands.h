#pragma once
// The runtime API's "add server BACKEND/NAME ADDR [options]" and "del server
// BACKEND/NAME" (HAProxy 2.6's dynamic servers). The words and the checks
// that need nothing but the backends are here; building a server from its
// line and changing the server lists while the workers run is the
// application's (app/dynamic_servers.h), through ServerEditor.
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::admin {

class ServerEditor {
 public:
  virtual ~ServerEditor() = default;
  // Adds server `name` to `be` from `args` (its address, then options).
  // Returns: the answer ("New server registered.\n\n" or why not).
  virtual std::string add(backend::Backend& be, const std::string& name,
                          const std::vector<std::string>& args) = 0;
  // Deletes `s` from `be` if nothing holds it. Returns: the answer.
  virtual std::string del(backend::Backend& be, backend::Server& s) = 0;
};

// Returns: the answer to w if it is "add server" or "del server", else ""
// (editor null: the process cannot change its servers; refused).
std::string cli_server_edit_command(const std::vector<std::string>& w,
                                    const std::vector<backend::Backend*>& backends,
                                    ServerEditor* editor, bool admin);

}  // namespace hearth::admin
