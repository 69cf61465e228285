#pragma once
// "add server" and "del server" of the runtime API (admin/server_edit_commands.h):
// builds a server from its line as the load does (Runtime::fill_server, the
// configuration's server parser), and changes a backend's server list while
// every worker is parked (WorkerIsolation). See docs/architecture.md,
// "Dynamic servers".
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "admin/server_edit_commands.h"
#include "app/worker_isolation.h"
#include "config/model.h"

namespace hearth::app {

class Runtime;
class Worker;

class DynamicServers : public admin::ServerEditor {
 public:
  // Requires: all three outlive this object; called on the runtime API's
  // thread only, one command at a time.
  DynamicServers(Runtime* rt, const config::Config* cfg,
                 const std::vector<std::unique_ptr<Worker>>* workers)
      : rt_(rt), cfg_(cfg), workers_(workers), isolation_(workers) {}

  std::string add(backend::Backend& be, const std::string& name,
                  const std::vector<std::string>& args) override;
  std::string del(backend::Backend& be, backend::Server& s) override;

 private:
  // Runs fn on worker `thread` and waits (at most 2 s). Returns: false if it
  // did not run in time.
  bool on_worker(int thread, std::function<void()> fn) const;
  // Closes s's idle connections, each on its worker.
  void close_idle(backend::Server& s) const;
  // Requires: the workers parked. Returns: true if no session holds or waits
  // for s and no connection to it is parked or shared.
  bool unused(backend::Backend& be, backend::Server& s) const;

  Runtime* rt_;
  const config::Config* cfg_;
  const std::vector<std::unique_ptr<Worker>>* workers_;
  WorkerIsolation isolation_;
  int next_check_thread_ = 0;
};

}  // namespace hearth::app
