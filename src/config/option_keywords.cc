// "option NAME" and "no option NAME" in proxy sections.
#include "config/keywords.h"

namespace hearth::config::detail {
namespace {

// HAProxy options that Hearth recognises but does not implement yet.
const char* const kLaterOptions[] = {"accept-invalid-http-request",
                                     "accept-invalid-http-response",
                                     "checkcache",
                                     "contstats",
                                     "disable-h2-upgrade",
                                     "h1-case-adjust-bogus-client",
                                     "h1-case-adjust-bogus-server",
                                     "http-ignore-probes",
                                     "http-no-delay",
                                     "http_proxy",
                                     "idle-close-on-response"};

struct OptionSpec {
  const char* name;
  unsigned allowed;
  bool negatable;  // "no option NAME" is meaningful
  // Applies the option (enable = false for "no option NAME").
  void (*apply)(ProxyConfig& p, bool enable);
};

void set_conn_mode(ProxyConfig& p, HttpConnMode mode, bool enable) {
  if (enable)
    p.http_conn_mode = mode;
  else if (p.http_conn_mode == mode)
    p.http_conn_mode = HttpConnMode::kKeepAlive;
}

void set_splice(ProxyConfig& p, uint8_t bit, bool enable) {
  p.splice = enable ? uint8_t(p.splice | bit) : uint8_t(p.splice & ~bit);
}

const OptionSpec kOptions[] = {
    {"redispatch", kBackSide, true, [](ProxyConfig& p, bool on) { p.redispatch = on; }},
    {"persist", kBackSide, true, [](ProxyConfig& p, bool on) { p.persist = on; }},
    {"prefer-last-server", kBackSide, true,
     [](ProxyConfig& p, bool on) { p.prefer_last_server = on; }},
    {"dontlognull", kFrontSide, true, [](ProxyConfig& p, bool on) { p.dontlognull = on; }},
    {"dontlog-normal", kFrontSide, true, [](ProxyConfig& p, bool on) { p.dontlog_normal = on; }},
    {"logasap", kFrontSide, true, [](ProxyConfig& p, bool on) { p.logasap = on; }},
    {"socket-stats", kFrontSide, true, [](ProxyConfig& p, bool on) { p.socket_stats = on; }},
    {"log-separate-errors", kFrontSide, true,
     [](ProxyConfig& p, bool on) { p.log_separate_errors = on; }},
    {"http-use-proxy-header", kFrontSide, true,
     [](ProxyConfig& p, bool on) { p.http_use_proxy_header = on; }},
    {"http-buffer-request", kAnywhere, true,
     [](ProxyConfig& p, bool on) { p.http_buffer_request = on; }},
    {"tcplog", kFrontSide, false, [](ProxyConfig& p, bool) { p.log_format = LogFormat::kTcp; }},
    {"httplog", kFrontSide, false, [](ProxyConfig& p, bool) { p.log_format = LogFormat::kHttp; }},
    {"httpslog", kFrontSide, false, [](ProxyConfig& p, bool) { p.log_format = LogFormat::kHttps; }},
    {"http-server-close", kAnywhere, true,
     [](ProxyConfig& p, bool on) { set_conn_mode(p, HttpConnMode::kServerClose, on); }},
    {"httpclose", kAnywhere, true,
     [](ProxyConfig& p, bool on) { set_conn_mode(p, HttpConnMode::kClose, on); }},
    {"http-keep-alive", kAnywhere, true,
     [](ProxyConfig& p, bool on) { set_conn_mode(p, HttpConnMode::kKeepAlive, on); }},
    {"tcpka", kAnywhere, true,
     [](ProxyConfig& p, bool on) { p.cli_tcpka.enabled = p.srv_tcpka.enabled = on; }},
    {"clitcpka", kFrontSide, true, [](ProxyConfig& p, bool on) { p.cli_tcpka.enabled = on; }},
    {"srvtcpka", kBackSide, true, [](ProxyConfig& p, bool on) { p.srv_tcpka.enabled = on; }},
    {"nolinger", kAnywhere, true, [](ProxyConfig& p, bool on) { p.nolinger = on; }},
    {"tcp-smart-accept", kFrontSide, true, [](ProxyConfig& p, bool on) { p.smart_accept = on; }},
    {"tcp-smart-connect", kBackSide, true, [](ProxyConfig& p, bool on) { p.smart_connect = on; }},
    {"allbackups", kBackSide, true, [](ProxyConfig& p, bool on) { p.allbackups = on; }},
    {"http-pretend-keepalive", kBackSide, true,
     [](ProxyConfig& p, bool on) { p.pretend_keepalive = on; }},
    {"independent-streams", kAnywhere, true,
     [](ProxyConfig& p, bool on) { p.independent_streams = on; }},
    {"abortonclose", kBackSide, true, [](ProxyConfig& p, bool on) { p.abortonclose = on; }},
    {"transparent", kBackSide, true, [](ProxyConfig& p, bool on) { p.transparent = on; }},
    {"log-health-checks", kBackSide, true,
     [](ProxyConfig& p, bool on) { p.log_health_checks = on; }},
    {"splice-request", kAnywhere, true,
     [](ProxyConfig& p, bool on) { set_splice(p, kSpliceRequest, on); }},
    {"splice-response", kAnywhere, true,
     [](ProxyConfig& p, bool on) { set_splice(p, kSpliceResponse, on); }},
    {"splice-auto", kAnywhere, true,
     [](ProxyConfig& p, bool on) { set_splice(p, kSpliceAuto, on); }},
};

std::string supported_options() {
  std::string out;
  for (const OptionSpec& o : kOptions) out += std::string(out.empty() ? "" : ", ") + o.name;
  return out + ", httpchk, external-check, forwardfor, originalto, http-restrict-req-hdr-names";
}

// option forwardfor [except NET] [header NAME] [if-none]
// option originalto [except NET] [header NAME]
void parse_option_forward(const Directive& d, ProxySection& s, Reporter& rep) {
  const bool ff = d[1] == "forwardfor";
  const std::string kw = "option " + d[1];
  const std::string usage =
      ff ? "[except NET] [header NAME] [if-none]" : "[except NET] [header NAME]";
  if (!check_section(d, kw, s.proxy.kind, kAnywhere, Misplaced::kIgnore, rep)) return;
  ForwardOption o;
  o.enabled = true;
  for (size_t i = 2; i < d.size(); ++i) {
    const std::string& w = d[i];
    if (ff && w == "if-none") {
      o.if_none = true;
    } else if ((w == "except" || w == "header") && i + 1 < d.size()) {
      const std::string& v = d[++i];
      if (w == "header") {
        if (v.empty() || v.find_first_of(" \t:\r\n") != std::string::npos) {
          rep.error(d.loc, kw, "invalid header name '" + v + "'");
          return;
        }
        o.header = v;
        continue;
      }
      auto nets = std::make_shared<expr::PatternSet>(expr::MatchMethod::kIp);
      std::string err;
      if (!nets->add(v, false, expr::IntOp::kEq, &err)) {
        rep.error(d.loc, kw,
                  "'except' expects an IPv4 or IPv6 address or network, got '" + v + "'");
        return;
      }
      o.except = std::move(nets);
    } else {
      rep.error(d.loc, kw,
                (w == "except" || w == "header" ? "'" + w + "' expects a value"
                                                : "unexpected argument '" + w + "'") +
                    ": expects '" + kw + " " + usage + "'");
      return;
    }
  }
  (ff ? s.proxy.forwardfor : s.proxy.originalto) = std::move(o);
}

// option http-restrict-req-hdr-names preserve|delete|reject
void parse_restrict_hdr_names(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "option http-restrict-req-hdr-names";
  if (d[0] == "no") {
    rep.error(d.loc, kw, "'no' cannot be used with this option");
    return;
  }
  if (!check_section(d, kw, s.proxy.kind, kAnywhere, Misplaced::kIgnore, rep)) return;
  static const std::pair<const char*, HdrNamePolicy> kPolicies[] = {
      {"preserve", HdrNamePolicy::kPreserve},
      {"delete", HdrNamePolicy::kDelete},
      {"reject", HdrNamePolicy::kReject}};
  if (d.size() == 3) {
    for (const auto& [word, policy] : kPolicies) {
      if (d[2] != word) continue;
      s.proxy.restrict_req_hdr_names = policy;
      return;
    }
  }
  rep.error(d.loc, kw, "expects exactly one of 'preserve', 'delete' or 'reject'");
}

}  // namespace

void parse_option(const Directive& d, ProxySection& s, Reporter& rep) {
  const bool negated = d[0] == "no";
  const size_t name_at = negated ? 2 : 1;
  const std::string prefix = negated ? "no option" : "option";
  if (d.size() <= name_at) {
    rep.error(d.loc, prefix, "missing option name: expects one of " + supported_options());
    return;
  }
  const std::string& name = d[name_at];
  if (name == "httpchk") return parse_option_httpchk(d, s, rep);
  if (is_check_option(name)) return parse_check_option(d, s, rep);
  if (name == "external-check") return parse_option_external_check(d, s, rep);
  if (name == "spop-check") {
    rep.error(d.loc, prefix + " " + name,
              "not supported by Hearth: it has no SPOE agents to check (use option tcp-check)");
    return;
  }
  if (name == "httplog" && !negated && d.size() == name_at + 2 && d[name_at + 1] == "clf") {
    if (check_section(d, "option httplog", s.proxy.kind, kFrontSide, Misplaced::kIgnore, rep))
      s.proxy.log_format = LogFormat::kHttpClf;
    return;
  }
  if (name == "http-restrict-req-hdr-names") return parse_restrict_hdr_names(d, s, rep);
  if (name == "forwardfor" || name == "originalto") {
    if (!negated) return parse_option_forward(d, s, rep);
    rep.error(d.loc, prefix + " " + name, "'no' cannot be used with 'option " + name + "'");
    return;
  }
  const std::string kw = prefix + " " + name;
  for (const OptionSpec& o : kOptions) {
    if (name != o.name) continue;
    if (negated && !o.negatable) {
      rep.error(d.loc, kw, "'no' cannot be used with 'option " + name + "'");
      return;
    }
    if (d.size() > name_at + 1) {
      rep.error(d.loc, kw,
                "argument '" + d[name_at + 1] + "' is not supported by Hearth yet: expects '" + kw +
                    "' alone");
      return;
    }
    if (!check_section(d, kw, s.proxy.kind, o.allowed, Misplaced::kIgnore, rep)) return;
    o.apply(s.proxy, !negated);
    return;
  }
  for (const char* later : kLaterOptions) {
    if (name == later) {
      rep.error(d.loc, kw, "Hearth does not support this option yet");
      return;
    }
  }
  rep.error(d.loc, kw, "unknown option; supported: " + supported_options());
}

}  // namespace hearth::config::detail
