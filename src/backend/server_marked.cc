#include "backend/server_marked.h"

#include "backend/backend.h"
#include "backend/server.h"

namespace hearth::backend {
namespace {

SessionKiller& killer() {
  static SessionKiller k;
  return k;
}

}  // namespace

void set_session_killer(SessionKiller k) { killer() = std::move(k); }

void server_marked_down(const Server& s) {
  if (s.shutdown_on_down && killer()) killer()(&s, 'D');
}

void server_marked_up(const Backend& be, const Server& s) {
  if (!s.shutdown_backups_on_up || s.backup || s.weight.load() == 0 || !killer()) return;
  for (const auto& b : be.servers())
    if (b->backup) killer()(b.get(), 'U');
}

}  // namespace hearth::backend
