// "server NAME ADDR [options]" and "default-server [options]".
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

const char* const kSupported =
    "weight, maxconn, disabled, enabled, backup, no-backup, check, no-check, pool-max-conn, "
    "pool-purge-delay, pool-idle-timeout, max-reuse";

// HAProxy server options Hearth recognises but does not implement yet.
const char* const kLaterOptions[] = {"addr",
                                     "agent-addr",
                                     "agent-check",
                                     "agent-inter",
                                     "agent-port",
                                     "agent-send",
                                     "alpn",
                                     "ca-file",
                                     "check-proto",
                                     "check-send-proxy",
                                     "check-sni",
                                     "check-ssl",
                                     "ciphers",
                                     "cookie",
                                     "crl-file",
                                     "crt",
                                     "downinter",
                                     "error-limit",
                                     "fall",
                                     "fastinter",
                                     "id",
                                     "init-addr",
                                     "inter",
                                     "maxqueue",
                                     "minconn",
                                     "namespace",
                                     "no-ssl",
                                     "no-verify",
                                     "observe",
                                     "on-error",
                                     "on-marked-down",
                                     "on-marked-up",
                                     "pool-low-conn",
                                     "port",
                                     "proto",
                                     "redir",
                                     "resolve-net",
                                     "resolve-opts",
                                     "resolve-prefer",
                                     "resolvers",
                                     "rise",
                                     "send-proxy",
                                     "send-proxy-v2",
                                     "slowstart",
                                     "sni",
                                     "source",
                                     "ssl",
                                     "tfo",
                                     "track",
                                     "usesrc",
                                     "verify",
                                     "verifyhost",
                                     "ws"};

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
                                      const std::string& opt, Reporter& rep) {
  auto ms = i < d.size() ? parse_duration_ms(d[i]) : std::nullopt;
  if (!ms) {
    rep.error(d.loc, kw,
              "option '" + opt + "' expects a duration such as 5s, 500ms or 1m, got '" +
                  (i < d.size() ? d[i] : "") + "'");
  }
  return ms;
}

// Applies the flag option d[i], if it is one. Returns: true if it was.
bool apply_flag(const Directive& d, size_t i, const std::string& kw, ServerConfig& sv,
                Reporter& rep) {
  const std::string& o = d[i];
  if (o == "disabled")
    sv.disabled = true;
  else if (o == "enabled")
    sv.disabled = false;
  else if (o == "backup")
    sv.backup = true;
  else if (o == "no-backup")
    sv.backup = false;
  else if (o == "no-check")
    sv.check = false;
  else if (o == "check") {
    sv.check = true;
    rep.warning(d.loc, kw,
                "'check' is accepted but health checks are not implemented yet: the server "
                "is considered up until connections to it fail");
  } else {
    return false;
  }
  return true;
}

// Applies the options d[first..]. Returns: false after reporting the first
// bad option (the server is then dropped).
bool apply_options(const Directive& d, size_t first, const std::string& kw, ServerConfig& sv,
                   Reporter& rep) {
  for (size_t i = first; i < d.size(); ++i) {
    const std::string& o = d[i];
    if (apply_flag(d, i, kw, sv, rep)) continue;
    const size_t v = ++i;  // every other supported option takes one value
    if (o == "weight") {
      auto n = int_value(d, v, kw, o, 0, 256, rep);
      if (!n) return false;
      sv.weight = static_cast<int>(*n);
    } else if (o == "maxconn") {
      auto n = int_value(d, v, kw, o, 0, 10000000, rep);
      if (!n) return false;
      sv.maxconn = static_cast<int>(*n);
    } else if (o == "pool-max-conn") {
      auto n = int_value(d, v, kw, o, -1, 10000000, rep);
      if (!n) return false;
      sv.pool_max_conn = static_cast<int>(*n);
    } else if (o == "max-reuse") {
      auto n = int_value(d, v, kw, o, -1, 2147483647, rep);
      if (!n) return false;
      sv.max_reuse = static_cast<int>(*n);
    } else if (o == "pool-purge-delay") {
      auto ms = duration_value(d, v, kw, o, rep);
      if (!ms) return false;
      sv.pool_purge_delay = *ms;
    } else if (o == "pool-idle-timeout") {
      auto ms = duration_value(d, v, kw, o, rep);
      if (!ms) return false;
      sv.pool_idle_timeout = *ms;
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
  sv.address = d[2];
  if (apply_options(d, 3, "server", sv, rep)) s.proxy.servers.push_back(std::move(sv));
}

void parse_default_server(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "default-server", 2, 64, "default-server OPTION...", rep)) return;
  ServerConfig defaults = s.server_defaults;
  if (apply_options(d, 1, "default-server", defaults, rep)) s.server_defaults = defaults;
}

}  // namespace hearth::config::detail
