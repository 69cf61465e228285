// "server NAME ADDR [options]" and "default-server [options]".
#include <arpa/inet.h>

#include "config/address.h"
#include "config/keywords.h"
#include "config/server_address.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

const char* const kSupported =
    "weight, maxconn, disabled, enabled, backup, no-backup, non-stick, check, no-check, inter, "
    "fastinter, "
    "downinter, rise, fall, port, addr, init-state, pool-max-conn, pool-low-conn, "
    "pool-purge-delay, "
    "pool-idle-timeout, max-reuse, reuse-guard, id, source, tfo, redir, cookie, init-addr, ssl, "
    "no-ssl, verify, "
    "verifyhost, no-verifyhost, ca-file, crl-file, crt, sni, alpn, ssl-min-ver, ssl-max-ver, "
    "ciphers, ciphersuites, no-ssl-reuse, ssl-reuse, no-tls-tickets, tls-tickets, no-sslv3, "
    "no-tlsv10, no-tlsv11, no-tlsv12, no-tlsv13, force-tlsv12, force-tlsv13, check-ssl, "
    "no-check-ssl, check-sni, check-alpn, send-proxy, send-proxy-v2, send-proxy-v2-ssl, "
    "send-proxy-v2-ssl-cn, no-send-proxy, no-send-proxy-v2, no-send-proxy-v2-ssl, "
    "no-send-proxy-v2-ssl-cn, proxy-v2-options, check-send-proxy, socks4, check-via-socks4, "
    "resolvers, resolve-prefer, "
    "resolve-net, resolve-opts, agent-check, no-agent-check, agent-port, agent-addr, agent-inter, "
    "agent-send, observe, error-limit, on-error, slowstart, track, on-marked-down, on-marked-up";

// HAProxy server options Hearth recognises but does not implement yet.
const char* const kLaterOptions[] = {"check-proto", "namespace",  "no-verify", "proto",
                                     "npn",         "allow-0rtt", "usesrc",    "ws"};

// Parses the value of `opt` at d[i]; reports errors under `kw`.
std::optional<int64_t> int_value(const Directive& d, size_t i, const std::string& kw,
                                 const std::string& opt, int64_t lo, int64_t hi, Reporter& rep) {
  auto n = i < d.size() ? parse_int(d[i]) : std::nullopt;
  if (!n || *n < lo || *n > hi) {
    rep.error(d.loc, kw,
              "option '" + opt + "' expects an integer between " + std::to_string(lo) + " and " +
                  std::to_string(hi) + ", got '" + (i < d.size() ? d[i] : "") + "'");
    return std::nullopt;
  }
  return n;
}

std::optional<int64_t> duration_value(const Directive& d, size_t i, const std::string& kw,
                                      const std::string& opt, Reporter& rep,
                                      bool positive = false) {
  auto ms = i < d.size() ? parse_duration_ms(d[i]) : std::nullopt;
  if (!ms || (positive && *ms == 0)) {
    rep.error(d.loc, kw,
              "option '" + opt + "' expects a" + (positive ? " non-zero" : "") +
                  " duration such as 5s, 500ms or 1m, got '" + (i < d.size() ? d[i] : "") + "'");
    return std::nullopt;
  }
  return ms;
}

// "reuse-guard RATE": a percentage ("5%", "0.5%", up to "100%") or "off".
// Returns: the rate in parts per million (0: off), or nullopt after an error.
std::optional<uint32_t> reuse_guard_value(const Directive& d, size_t i, const std::string& kw,
                                          Reporter& rep) {
  const std::string v = i < d.size() ? d[i] : "";
  if (v == "off") return 0u;
  std::optional<uint32_t> ppm;
  if (v.size() >= 2 && v.back() == '%') {
    const std::string num = v.substr(0, v.size() - 1);
    const size_t dot = num.find('.');
    const std::string whole = num.substr(0, dot);
    const std::string frac = dot == std::string::npos ? "" : num.substr(dot + 1);
    auto digits = [](const std::string& x) {
      return x.find_first_not_of("0123456789") == std::string::npos;
    };
    if (!whole.empty() && whole.size() <= 3 && digits(whole) && frac.size() <= 4 && digits(frac) &&
        !(dot != std::string::npos && frac.empty())) {
      uint32_t f = 0, scale = 1000;
      for (char c : frac) {
        f += uint32_t(c - '0') * scale;
        scale /= 10;
      }
      const uint64_t p = uint64_t(std::stoul(whole)) * 10000 + f;
      if (p > 0 && p <= 1000000) ppm = uint32_t(p);
    }
  }
  if (!ppm)
    rep.error(d.loc, kw,
              "option 'reuse-guard' expects a rate above 0% and up to 100% (such as 5% or 0.5%) "
              "or 'off', got '" +
                  v + "'");
  return ppm;
}

// "addr HOST": an IPv4 or IPv6 address or a host name. As HAProxy, a port
// after it ("IP:PORT", "[IPv6]:PORT") is accepted and ignored, with a
// warning here: the check port comes from "port".
bool apply_check_addr(const Directive& d, size_t i, const std::string& kw, ServerConfig& sv,
                      Reporter& rep) {
  std::string host = i < d.size() ? d[i] : "";
  in6_addr v6;
  const size_t colon = host.rfind(':');
  const bool bare_v6 = inet_pton(AF_INET6, host.c_str(), &v6) == 1;
  if (!bare_v6 && colon != std::string::npos &&
      (host.find(':') == colon || (host[0] == '[' && colon > 0 && host[colon - 1] == ']'))) {
    const std::string port = host.substr(colon + 1);
    if (!port.empty() && port.find_first_not_of("0123456789") == std::string::npos) {
      rep.warning(d.loc, kw,
                  "the port of 'addr " + host +
                      "' is ignored, as by HAProxy: the check port is set by 'port'");
      host = host.substr(0, colon);
      if (host.size() > 1 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    }
  }
  const bool ok = host.find(':') != std::string::npos
                      ? inet_pton(AF_INET6, host.c_str(), &v6) == 1
                      : !host.empty() && check_server_address(host + ":1").empty();
  if (!ok) {
    rep.error(d.loc, kw,
              "option 'addr' expects an IPv4 or IPv6 address or a host name, got '" +
                  (i < d.size() ? d[i] : "") + "'");
    return false;
  }
  sv.check_addr = host;
  return true;
}

bool apply_init_state(const Directive& d, size_t i, const std::string& kw, ServerConfig& sv,
                      Reporter& rep) {
  const std::string v = i < d.size() ? d[i] : "";
  if (v == "fully-up")
    sv.init_state = InitState::kFullyUp;
  else if (v == "up")
    sv.init_state = InitState::kUp;
  else if (v == "down")
    sv.init_state = InitState::kDown;
  else if (v == "fully-down")
    sv.init_state = InitState::kFullyDown;
  else {
    rep.error(d.loc, kw,
              "option 'init-state' expects fully-up, up, down or fully-down, got '" + v + "'");
    return false;
  }
  return true;
}

// Passive health: "observe none|layer4|layer7" (layer7 in an HTTP proxy
// only), "error-limit N" (N > 0), "on-error MODE".
// Returns: 1 if `o` is one of them and applied, 0 if not one, -1 after an error.
int apply_passive_option(const Directive& d, size_t v, const std::string& o, const std::string& kw,
                         Mode mode, ServerConfig& sv, Reporter& rep) {
  const std::string val = v < d.size() ? d[v] : "";
  if (o == "observe") {
    if (val == "none") {
      sv.observe = ObserveMode::kNone;
    } else if (val == "layer4") {
      sv.observe = ObserveMode::kLayer4;
    } else if (val == "layer7") {
      if (mode != Mode::kHttp) {
        rep.error(d.loc, kw, "option 'observe layer7' needs an HTTP proxy (mode http)");
        return -1;
      }
      sv.observe = ObserveMode::kLayer7;
    } else {
      rep.error(d.loc, kw, "option 'observe' expects none, layer4 or layer7, got '" + val + "'");
      return -1;
    }
  } else if (o == "error-limit") {
    auto n = int_value(d, v, kw, o, 1, 2147483647, rep);
    if (!n) return -1;
    sv.error_limit = static_cast<int>(*n);
  } else if (o == "on-error") {
    if (val == "fastinter") {
      sv.on_error = OnError::kFastinter;
    } else if (val == "fail-check") {
      sv.on_error = OnError::kFailCheck;
    } else if (val == "sudden-death") {
      sv.on_error = OnError::kSuddenDeath;
    } else if (val == "mark-down") {
      sv.on_error = OnError::kMarkDown;
    } else {
      rep.error(
          d.loc, kw,
          "option 'on-error' expects fastinter, fail-check, sudden-death or mark-down, got '" +
              val + "'");
      return -1;
    }
  } else {
    return 0;
  }
  return 1;
}

// Applies the health check option `o`, whose value is d[v], if it is one.
// Returns: 1 if applied, 0 if `o` is not a check option, -1 after an error.
int apply_check_option(const Directive& d, size_t v, const std::string& o, const std::string& kw,
                       ServerConfig& sv, Reporter& rep) {
  if (o == "inter" || o == "fastinter" || o == "downinter") {
    auto ms = duration_value(d, v, kw, o, rep, /*positive=*/true);
    if (!ms) return -1;
    if (o == "inter") sv.inter = *ms;
    if (o == "fastinter") sv.fastinter = *ms;
    if (o == "downinter") sv.downinter = *ms;
  } else if (o == "rise" || o == "fall") {
    auto n = int_value(d, v, kw, o, 1, 100000, rep);
    if (!n) return -1;
    (o == "rise" ? sv.rise : sv.fall) = static_cast<int>(*n);
  } else if (o == "port") {
    auto n = int_value(d, v, kw, o, 1, 65535, rep);
    if (!n) return -1;
    sv.check_port = static_cast<int>(*n);
  } else if (o == "addr") {
    if (!apply_check_addr(d, v, kw, sv, rep)) return -1;
  } else if (o == "init-state") {
    if (!apply_init_state(d, v, kw, sv, rep)) return -1;
  } else if (o == "agent-port") {
    auto n = int_value(d, v, kw, o, 1, 65535, rep);
    if (!n) return -1;
    sv.agent_port = static_cast<int>(*n);
  } else if (o == "agent-inter") {
    auto ms = duration_value(d, v, kw, o, rep, /*positive=*/true);
    if (!ms) return -1;
    sv.agent_inter = *ms;
  } else if (o == "agent-addr" || o == "agent-send") {
    if (v >= d.size()) {
      rep.error(d.loc, kw, "option '" + o + "' expects a value");
      return -1;
    }
    unsigned char buf[16];
    if (o == "agent-addr" && inet_pton(AF_INET, d[v].c_str(), buf) != 1 &&
        inet_pton(AF_INET6, d[v].c_str(), buf) != 1) {
      rep.error(d.loc, kw,
                "option 'agent-addr' expects an IPv4 or IPv6 address, got '" + d[v] + "'");
      return -1;
    }
    (o == "agent-addr" ? sv.agent_addr : sv.agent_send) = d[v];
  } else {
    return 0;
  }
  return 1;
}

// Applies the flag option d[i], if it is one. Returns: true if it was.
bool apply_flag(const Directive& d, size_t i, ServerConfig& sv) {
  const std::string& o = d[i];
  if (o == "disabled")
    sv.disabled = true;
  else if (o == "enabled")
    sv.disabled = false;
  else if (o == "backup")
    sv.backup = true;
  else if (o == "no-backup")
    sv.backup = false;
  else if (o == "non-stick")
    sv.non_stick = true;
  else if (o == "no-check")
    sv.check = false;
  else if (o == "check")
    sv.check = true;
  else if (o == "agent-check")
    sv.agent_check = true;
  else if (o == "no-agent-check")
    sv.agent_check = false;
  else if (o == "tfo")
    sv.tfo = true;
  else if (o == "no-tfo")
    sv.tfo = false;
  else
    return false;
  return true;
}

// Applies the options d[first..]. Returns: false after reporting the first
// bad option (the server is then dropped).
bool apply_options(const Directive& d, size_t first, const std::string& kw, Mode mode,
                   ServerConfig& sv, Reporter& rep) {
  for (size_t i = first; i < d.size(); ++i) {
    const std::string& o = d[i];
    if (int tls = parse_server_tls_option(d, &i, kw, sv.tls, rep)) {
      if (tls < 0) return false;
      continue;
    }
    if (apply_flag(d, i, sv)) continue;
    if (int pp = apply_server_proxy_option(d, &i, kw, sv, rep)) {
      if (pp < 0) return false;
      continue;
    }
    const size_t v = ++i;  // every other supported option takes one value
    if (o == "weight") {
      auto n = int_value(d, v, kw, o, 0, 256, rep);
      if (!n) return false;
      sv.weight = static_cast<int>(*n);
    } else if (o == "maxconn") {
      auto n = int_value(d, v, kw, o, 0, 10000000, rep);
      if (!n) return false;
      sv.maxconn = static_cast<int>(*n);
    } else if (o == "maxqueue") {
      auto n = int_value(d, v, kw, o, 0, 10000000, rep);
      if (!n) return false;
      sv.maxqueue = static_cast<int>(*n);
    } else if (o == "minconn") {
      auto n = int_value(d, v, kw, o, 0, 10000000, rep);
      if (!n) return false;
      sv.minconn = static_cast<int>(*n);
    } else if (o == "pool-max-conn") {
      auto n = int_value(d, v, kw, o, -1, 10000000, rep);
      if (!n) return false;
      sv.pool_max_conn = static_cast<int>(*n);
    } else if (o == "pool-low-conn") {
      auto n = int_value(d, v, kw, o, 0, 10000000, rep);
      if (!n) return false;
      sv.pool_low_conn = static_cast<int>(*n);
    } else if (o == "max-reuse") {
      auto n = int_value(d, v, kw, o, -1, 2147483647, rep);
      if (!n) return false;
      sv.max_reuse = static_cast<int>(*n);
    } else if (o == "reuse-guard") {
      auto ppm = reuse_guard_value(d, v, kw, rep);
      if (!ppm) return false;
      sv.reuse_guard_ppm = *ppm;
    } else if (o == "slowstart") {
      auto ms = duration_value(d, v, kw, o, rep);
      if (!ms) return false;
      sv.slowstart = *ms;
    } else if (int passive = apply_passive_option(d, v, o, kw, mode, sv, rep)) {
      if (passive < 0) return false;
    } else if (o == "pool-purge-delay") {
      auto ms = duration_value(d, v, kw, o, rep);
      if (!ms) return false;
      sv.pool_purge_delay = *ms;
    } else if (o == "pool-idle-timeout") {
      auto ms = duration_value(d, v, kw, o, rep);
      if (!ms) return false;
      sv.pool_idle_timeout = *ms;
    } else if (o == "track") {
      if (v >= d.size() || d[v].empty()) {
        rep.error(d.loc, kw, "'track' expects [<proxy>/]<server> as argument..");
        return false;
      }
      sv.track = d[v];
    } else if (o == "on-marked-down" || o == "on-marked-up") {
      const bool down = o == "on-marked-down";
      const char* want = down ? "shutdown-sessions" : "shutdown-backup-sessions";
      const std::string got = v < d.size() ? d[v] : "";
      if (got != want) {
        rep.error(d.loc, kw, "'" + o + "' expects '" + want + "' but got '" + got + "'.");
        return false;
      }
      (down ? sv.shutdown_on_down : sv.shutdown_backups_on_up) = true;
    } else if (int applied = apply_check_option(d, v, o, kw, sv, rep)) {
      if (applied < 0) return false;
    } else if (int conn = apply_server_conn_option(d, v, o, kw, sv, rep)) {
      if (conn < 0) return false;
    } else if (int res = apply_server_resolve_option(d, v, o, kw, sv, rep)) {
      if (res < 0) return false;
    } else {
      bool later = false;
      for (const char* l : kLaterOptions) later = later || o == l;
      rep.error(d.loc, kw,
                later ? "server option '" + o + "' is not supported by Hearth yet"
                      : "unknown server option '" + o + "'; supported: " + kSupported);
      return false;
    }
  }
  return true;
}

// Expands the address word d[2] and splits its port (server_address.h).
bool set_address(const Directive& d, ServerConfig& sv, Reporter& rep) {
  const std::optional<std::string> expanded =
      address_arg(d, 2, "server", "server '" + sv.name + "': address '" + d[2] + "'", rep);
  if (!expanded) return false;
  std::string err;
  ServerPort port;
  sv.address = split_server_port(*expanded, &port, &err);
  if (sv.address.empty()) {
    rep.error(d.loc, "server", "server '" + sv.name + "': address '" + *expanded + "': " + err);
    return false;
  }
  sv.port_from_client = port.from_client;
  sv.port_offset = port.offset;
  return true;
}

}  // namespace

void parse_server(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "server", 3, 64, "server NAME HOST:PORT [options]", rep)) return;
  if (!is_valid_name(d[1])) {
    rep.error(d.loc, "server",
              "invalid server name '" + d[1] + "': expects letters, digits, '-', '_', '.' or ':'");
    return;
  }
  ServerConfig sv = s.server_defaults;
  sv.loc = d.loc;
  sv.name = d[1];
  if (!set_address(d, sv, rep)) return;
  sv.tls.first_option = SourceLoc{};  // only options written on this line count
  sv.tls.default_ssl = s.server_defaults.tls.enabled;
  if (!apply_options(d, 3, "server", s.proxy.mode, sv, rep)) return;
  if (sv.check && !sv.track.empty()) {
    rep.error(d.loc, "server", "unable to enable checks and tracking at the same time!");
    return;
  }
  warn_unused_proxy_v2_options(d, sv, rep);
  warn_socks4_options(d, sv, rep);
  if (sv.observe != ObserveMode::kNone && !sv.check)
    rep.warning(
        d.loc, "server",
        "server '" + sv.name + "': 'observe' has no effect without 'check' (as in HAProxy)");
  s.proxy.servers.push_back(std::move(sv));
}

void parse_default_server(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "default-server", 2, 64, "default-server OPTION...", rep)) return;
  ServerConfig defaults = s.server_defaults;
  if (apply_options(d, 1, "default-server", s.proxy.mode, defaults, rep))
    s.server_defaults = defaults;
}

}  // namespace hearth::config::detail
