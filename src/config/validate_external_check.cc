#include "config/validate_external_check.h"

namespace hearth::config {

void validate_external_check(const ProxyConfig& p, ParseResult& r) {
  if (p.kind != ProxyKind::kBackend && p.kind != ProxyKind::kListen) return;
  const ExternalCheckConfig& x = p.check.external;
  const GlobalConfig& g = r.config.global;
  if (p.check.type == CheckType::kExternal) {
    if (!g.external_check)
      r.errors.push_back(Diagnostic{p.loc, "option external-check",
                                    "'" + p.name +
                                        "' needs 'external-check' in the global section "
                                        "(external checks are refused without it)"});
    if (x.command.empty())
      r.errors.push_back(Diagnostic{p.loc, "option external-check",
                                    "'" + p.name + "' has no 'external-check command'"});
    if (!g.insecure_fork_wanted)
      r.warnings.push_back(Diagnostic{
          p.loc, "option external-check",
          "'" + p.name +
              "': 'insecure-fork-wanted' is not set in the global section, so its external "
              "checks will fail unless the process is privileged"});
  } else {
    if (!x.command.empty())
      r.warnings.push_back(
          Diagnostic{SourceLoc{x.command_file, x.command_line}, "external-check command",
                     "ignored in '" + p.name + "': it needs 'option external-check'"});
    if (x.path)
      r.warnings.push_back(
          Diagnostic{SourceLoc{x.path_file, x.path_line}, "external-check path",
                     "ignored in '" + p.name + "': it needs 'option external-check'"});
  }
  // As HAProxy, with or without the option.
  if (!x.command.empty() && x.command[0] != '/' && !x.path)
    r.errors.push_back(Diagnostic{
        SourceLoc{x.command_file, x.command_line}, "external-check command",
        "'" + x.command + "' does not begin with '/' and 'external-check path' is not set in '" +
            p.name + "'"});
}

}  // namespace hearth::config
