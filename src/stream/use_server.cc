#include "stream/use_server.h"

#include "expr/condition.h"
#include "expr/log_format.h"

namespace hearth::stream {

backend::Server* pick_use_server(const backend::Backend& be, expr::FetchContext& ctx) {
  for (const backend::BackendSettings::UseServer& u : be.settings.use_servers) {
    if (u.rule.cond && !expr::eval_condition(*u.rule.cond, ctx)) continue;
    backend::Server* s = u.server;
    if (u.rule.fmt) {
      const std::string_view name = u.rule.fmt->eval(ctx);
      s = nullptr;
      for (const auto& candidate : be.servers())
        if (candidate->name == name) s = candidate.get();
      if (!s) return nullptr;
    }
    if (s && s->up.load() && !s->disabled.load()) return s;
  }
  return nullptr;
}

}  // namespace hearth::stream
