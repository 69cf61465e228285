#include "config/dynamic_server.h"

#include "config/keywords.h"
#include "config/parse_context.h"

namespace hearth::config {
namespace {

// HAProxy 2.6's keywords for dynamic servers (management.txt, "add
// server"), with how many values each takes (observe, error-limit, on-error
// and slowstart included, as HAProxy 2.6 takes them). Some of them Hearth
// does not implement; its parser refuses those by name.
struct DynKeyword {
  const char* name;
  int values;
};
constexpr DynKeyword kDynamic[] = {
    {"agent-addr", 1},
    {"agent-check", 0},
    {"agent-inter", 1},
    {"agent-port", 1},
    {"agent-send", 1},
    {"allow-0rtt", 0},
    {"alpn", 1},
    {"addr", 1},
    {"backup", 0},
    {"no-backup", 0},
    {"ca-file", 1},
    {"check", 0},
    {"check-alpn", 1},
    {"check-proto", 1},
    {"check-send-proxy", 0},
    {"check-sni", 1},
    {"check-ssl", 0},
    {"check-via-socks4", 0},
    {"ciphers", 1},
    {"ciphersuites", 1},
    {"crl-file", 1},
    {"crt", 1},
    {"disabled", 0},
    {"downinter", 1},
    {"enabled", 0},
    {"error-limit", 1},
    {"fall", 1},
    {"fastinter", 1},
    {"force-sslv3", 0},
    {"force-tlsv10", 0},
    {"force-tlsv11", 0},
    {"force-tlsv12", 0},
    {"force-tlsv13", 0},
    {"id", 1},
    {"inter", 1},
    {"maxconn", 1},
    {"maxqueue", 1},
    {"minconn", 1},
    {"no-ssl-reuse", 0},
    {"no-sslv3", 0},
    {"no-tlsv10", 0},
    {"no-tlsv11", 0},
    {"no-tlsv12", 0},
    {"no-tlsv13", 0},
    {"no-tls-tickets", 0},
    {"npn", 1},
    {"observe", 1},
    {"on-error", 1},
    {"on-marked-down", 1},
    {"on-marked-up", 1},
    {"pool-low-conn", 1},
    {"pool-max-conn", 1},
    {"pool-purge-delay", 1},
    {"port", 1},
    {"proto", 1},
    {"proxy-v2-options", 1},
    {"rise", 1},
    {"send-proxy", 0},
    {"send-proxy-v2", 0},
    {"send-proxy-v2-ssl", 0},
    {"send-proxy-v2-ssl-cn", 0},
    {"no-send-proxy", 0},
    {"no-send-proxy-v2", 0},
    {"no-send-proxy-v2-ssl", 0},
    {"no-send-proxy-v2-ssl-cn", 0},
    {"slowstart", 1},
    {"sni", 1},
    {"source", 1},
    {"ssl", 0},
    {"ssl-max-ver", 1},
    {"ssl-min-ver", 1},
    {"tfo", 0},
    {"no-tfo", 0},
    {"tls-tickets", 0},
    {"track", 1},
    {"usesrc", 1},
    {"verify", 1},
    {"verifyhost", 1},
    {"weight", 1},
    {"ws", 1},
};

// Server keywords of a configuration that a dynamic server does not take
// (HAProxy answers "'X' option is not accepted for dynamic server").
constexpr const char* kStaticOnly[] = {
    "cookie",         "init-addr",         "resolvers",
    "resolve-prefer", "resolve-net",       "resolve-opts",
    "redir",          "non-stick",         "max-reuse",
    "reuse-guard",    "namespace",         "no-check",
    "no-ssl",         "no-agent-check",    "no-check-ssl",
    "no-verifyhost",  "pool-idle-timeout", "init-state",
    "ssl-reuse",      "socks4",
};

const DynKeyword* dynamic_keyword(const std::string& w) {
  for (const DynKeyword& k : kDynamic)
    if (w == k.name) return &k;
  return nullptr;
}

bool static_only(const std::string& w) {
  for (const char* k : kStaticOnly)
    if (w == k) return true;
  return false;
}

}  // namespace

std::optional<ServerConfig> parse_dynamic_server(const std::string& name,
                                                 const std::vector<std::string>& args,
                                                 std::string* err, Mode mode) {
  if (name.empty() || args.empty()) {
    *err = "'server' expects <name> and <addr>[:<port>] as arguments.";
    return std::nullopt;
  }
  for (size_t i = 1; i < args.size(); ++i) {
    const DynKeyword* k = dynamic_keyword(args[i]);
    if (!k) {
      *err = static_only(args[i]) ? "'" + args[i] + "' option is not accepted for dynamic server"
                                  : "unknown keyword '" + args[i] + "'.";
      return std::nullopt;
    }
    i += size_t(k->values);
  }
  detail::Directive d;
  d.loc = SourceLoc{"cli", 0};
  d.words = {"server", name};
  d.words.insert(d.words.end(), args.begin(), args.end());
  detail::ProxySection section;  // no default-server: a fresh server line
  section.proxy.mode = mode;
  ParseResult result;
  detail::Reporter rep(result);
  detail::parse_server(d, section, rep);
  if (!result.errors.empty()) {
    *err = result.errors.front().message;
    return std::nullopt;
  }
  if (section.proxy.servers.empty()) {
    *err = "'server' expects <name> and <addr>[:<port>] as arguments.";
    return std::nullopt;
  }
  return std::move(section.proxy.servers.front());
}

}  // namespace hearth::config
