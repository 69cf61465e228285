#include "stream/use_server.h"

#include "expr/condition.h"
#include "expr/log_format.h"

namespace hearth::stream {

backend::Server* pick_use_server(const backend::Backend& be, expr::FetchContext& ctx,
                                 bool persist) {
  for (const backend::BackendSettings::UseServer& u : be.settings.use_servers) {
    if (u.rule.cond && !expr::eval_condition(*u.rule.cond, ctx)) continue;
    backend::Server* s = u.rule.fmt ? be.server_named(u.rule.fmt->eval(ctx)) : u.server;
    if (!s) return nullptr;  // a computed name that names no server: load balancing
    if (s->serving() || (persist && s->has_addr)) return s;
  }
  return nullptr;
}

}  // namespace hearth::stream
