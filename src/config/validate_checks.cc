#include "config/validate_checks.h"

#include "config/validate_external_check.h"

namespace hearth::config {

void validate_check_rules(const ProxyConfig& p, ParseResult& r) {
  if (p.kind != ProxyKind::kBackend && p.kind != ProxyKind::kListen) return;
  validate_external_check(p, r);
  for (const ServerConfig& s : p.servers) {
    if (s.agent_check && s.agent_port == 0)
      r.errors.push_back(
          Diagnostic{s.loc, "server", "server '" + s.name + "': 'agent-check' needs 'agent-port'"});
  }
  const CheckConfig& c = p.check;
  if (c.rules_line == 0 || c.rules.empty()) return;
  const SourceLoc loc{c.rules_file, c.rules_line};
  if (c.rules_kind == CheckConfig::RulesKind::kHttp && c.type != CheckType::kHttp) {
    r.warnings.push_back(Diagnostic{
        loc, "http-check", "ignored in '" + p.name + "': http-check rules need 'option httpchk'"});
  }
  if (c.rules_kind == CheckConfig::RulesKind::kTcp && c.type != CheckType::kTcp) {
    r.warnings.push_back(Diagnostic{
        loc, "tcp-check", "ignored in '" + p.name + "': tcp-check rules need 'option tcp-check'"});
  }
}

}  // namespace hearth::config
