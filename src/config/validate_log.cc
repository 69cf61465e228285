#include "config/validate_log.h"

namespace hearth::config {

void validate_log_settings(const ProxyConfig& p, ParseResult& r) {
  const bool front = p.kind == ProxyKind::kFrontend || p.kind == ProxyKind::kListen;
  if (!front) return;
  const ProxyLogConfig& l = p.logcfg;
  if (p.mode == Mode::kTcp) {
    for (const auto* caps : {&l.req_caps, &l.res_caps})
      for (const CaptureSlot& c : *caps)
        r.errors.push_back(Diagnostic{c.loc, c.header.empty() ? "declare" : "capture",
                                      "'" + p.name + "' is in tcp mode: captures need mode http"});
    if (p.log_format == LogFormat::kCustom && l.custom && !l.custom->http_var().empty())
      r.warnings.push_back(
          Diagnostic{l.custom_loc, "log-format",
                     "'" + p.name + "' is in tcp mode: " + std::string(l.custom->http_var()) +
                         " needs an HTTP transaction and prints as for a missing request"});
  }
  if (l.sd)
    r.warnings.push_back(Diagnostic{l.sd_loc, "log-format-sd",
                                    "'" + p.name +
                                        "': structured data is printed by the rfc5424 log "
                                        "format only; Hearth's stdout log writes raw lines"});
}

}  // namespace hearth::config
