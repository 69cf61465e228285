#include "config/validate_checks.h"

#include "config/validate_external_check.h"

namespace hearth::config {

bool check_rules_use_ssl(const ProxyConfig& p) {
  const CheckConfig& c = p.check;
  const bool active = (c.type == CheckType::kTcp && c.rules_kind == CheckConfig::RulesKind::kTcp) ||
                      (c.type == CheckType::kHttp && c.rules_kind == CheckConfig::RulesKind::kHttp);
  if (!active) return false;
  for (const CheckRule& rule : c.rules)
    if (rule.action == CheckRule::Action::kConnect && rule.connect.ssl) return true;
  return false;
}

void validate_check_rules(const ProxyConfig& p, ParseResult& r) {
  if (p.kind != ProxyKind::kBackend && p.kind != ProxyKind::kListen) return;
  validate_external_check(p, r);
  const bool rules_ssl = check_rules_use_ssl(p);
  for (const ServerConfig& s : p.servers) {
    // TLS options with nothing to use them: no ssl, no check-ssl, and no
    // check rule connecting with ssl (which takes the server's settings).
    if (!s.tls.enabled && s.tls.check_ssl != 1 && s.tls.first_option.line &&
        !(s.check && rules_ssl))
      r.errors.push_back(Diagnostic{s.loc, "server",
                                    "server '" + s.name + "': option '" + s.tls.first_option_name +
                                        "' needs 'ssl' (or 'check-ssl') on the server"});
    if (s.agent_check && s.agent_port == 0)
      r.errors.push_back(
          Diagnostic{s.loc, "server", "server '" + s.name + "': 'agent-check' needs 'agent-port'"});
  }
  const CheckConfig& c = p.check;
  if (c.disable_on_404 && c.type != CheckType::kHttp) {
    // As HAProxy's warning (which it leaves out for a plain connect check).
    const SourceLoc at =
        c.disable_on_404_line ? SourceLoc{c.disable_on_404_file, c.disable_on_404_line} : p.loc;
    r.warnings.push_back(
        Diagnostic{at, "http-check disable-on-404",
                   "will be ignored for backend '" + p.name + "' (requires 'option httpchk')"});
  }
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
