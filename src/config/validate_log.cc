#include "config/validate_log.h"

namespace hearth::config {
namespace {

// "capture ... id N" needs slot N declared somewhere in the frontend (before
// or after the rule). A backend's rule cannot be checked: it writes the slot
// of whichever frontend passes it the request, when that one has it.
void check_capture_ids(const ProxyConfig& p, const std::vector<HttpRule>& rules, bool response,
                       const char* kw, ParseResult& r) {
  const size_t n = (response ? p.logcfg.res_caps : p.logcfg.req_caps).size();
  for (const HttpRule& rule : rules) {
    if (rule.action != HttpRule::Action::kCapture || size_t(rule.cap_id) < n) continue;
    r.errors.push_back(Diagnostic{rule.loc, kw,
                                  "'" + p.name + "' has no " + (response ? "response" : "request") +
                                      " capture slot id " + std::to_string(rule.cap_id) +
                                      ": declare it with 'declare capture " +
                                      (response ? "response" : "request") + " len N'"});
  }
}

void check_ring_refs(const Config& c, const std::vector<LogTarget>& targets, ParseResult& r) {
  for (const LogTarget& t : targets) {
    if (t.kind != LogTarget::Kind::kRing) continue;
    bool found = false;
    for (const RingConfig& ring : c.rings) found = found || ring.name == t.address;
    if (!found)
      r.errors.push_back(
          Diagnostic{t.loc, "log", "no ring section named '" + t.address + "' is declared"});
  }
}

}  // namespace

void validate_log_rings(const Config& c, ParseResult& r) {
  check_ring_refs(c, c.global.logs, r);
  for (const ProxyConfig& p : c.proxies) check_ring_refs(c, p.logs, r);
}

void validate_log_settings(const ProxyConfig& p, ParseResult& r) {
  const bool front = p.kind == ProxyKind::kFrontend || p.kind == ProxyKind::kListen;
  if (!front) return;
  check_capture_ids(p, p.http_request_rules, false, "http-request capture", r);
  check_capture_ids(p, p.http_response_rules, true, "http-response capture", r);
  check_capture_ids(p, p.http_after_response_rules, true, "http-after-response capture", r);
  const ProxyLogConfig& l = p.logcfg;
  // In tcp mode the slots exist as in HAProxy (tcp-request content capture
  // fills them); a header capture's slot stays empty, as there is no header.
  if (p.mode == Mode::kTcp) {
    if (p.log_format == LogFormat::kCustom && l.custom && !l.custom->http_var().empty())
      r.warnings.push_back(
          Diagnostic{l.custom_loc, "log-format",
                     "'" + p.name + "' is in tcp mode: " + std::string(l.custom->http_var()) +
                         " needs an HTTP transaction and prints as for a missing request"});
  }
}

}  // namespace hearth::config
