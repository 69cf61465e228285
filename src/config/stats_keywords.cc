// The global "stats" keywords: the runtime API's sockets, their timeout and
// how many connections they serve at once.
#include "config/address.h"
#include "config/keywords.h"
#include "config/units.h"
#include "config/unix_perms.h"

namespace hearth::config::detail {
namespace {

const char kUsage[] =
    "stats socket PATH|fd@N|ipv4@ADDR:PORT|ipv6@ADDR:PORT [level admin|operator|user] "
    "[mode OCTAL] [user NAME] [group NAME] [uid N] [gid N] [expose-fd listeners]";

// Sets s.path and s.tcp from the address word. Returns: "" or the reason.
std::string set_socket_address(const std::string& word, StatsSocketConfig& s) {
  std::string text = word;
  const bool v4 = text.rfind("ipv4@", 0) == 0, v6 = text.rfind("ipv6@", 0) == 0;
  if (v4 || v6) text = text.substr(5);
  if (text.rfind("unix@", 0) == 0) text = text.substr(5);
  const bool looks_ip = v4 || v6 ||
                        (text.find(':') != std::string::npos &&
                         text.find('/') == std::string::npos && text.rfind("fd@", 0) != 0);
  if (text.find('@') != std::string::npos && text.rfind("fd@", 0) != 0)
    return "'" + word + "' is not supported: expects a unix socket path, fd@N, ipv4@ or ipv6@";
  s.path = text;
  if (!looks_ip) return "";
  s.tcp = true;
  const std::string why = check_bind_address(text);
  if (!why.empty() || text.rfind("fd@", 0) == 0) return "invalid address '" + word + "': " + why;
  if ((v4 || v6) && v6 != (text[0] == '[' || text.find(':') != text.rfind(':')))
    return "'" + word + "': the address does not match its " + (v6 ? "ipv6@" : "ipv4@") + " prefix";
  return "";
}

// Applies "NAME VALUE" at d[i]. Returns: "" or the reason it is refused.
std::string apply_socket_option(const Directive& d, size_t i, StatsSocketConfig& s) {
  const std::string& o = d[i];
  const std::string& v = d[i + 1];
  if (o == "level") {
    if (v != "admin" && v != "operator" && v != "user")
      return "unknown level '" + v + "': expects admin, operator or user";
    s.level = v == "admin" ? CliLevel::kAdmin : v == "user" ? CliLevel::kUser : CliLevel::kOperator;
  } else if (is_unix_perm_option(o)) {
    return apply_unix_perm(o, v, &s.mode, &s.uid, &s.gid);
  } else if (o == "expose-fd") {
    if (v != "listeners") return "'expose-fd' expects 'listeners', got '" + v + "'";
    s.expose_fd = true;
  } else {
    return "option '" + o +
           "' is not supported: expects level, mode, user, group, uid, gid or expose-fd";
  }
  return "";
}

void parse_socket(const Directive& d, GlobalConfig& g, Reporter& rep) {
  const std::string kw = "stats socket";
  if (!check_arity(d, kw, 3, 21, kUsage, rep)) return;
  StatsSocketConfig s;
  s.loc = d.loc;
  std::string why = set_socket_address(d[2], s);
  for (size_t i = 3; why.empty() && i < d.size(); i += 2) {
    if (i + 1 >= d.size()) {
      why = "'" + d[i] + "' expects a value: '" + kUsage + "'";
      break;
    }
    why = apply_socket_option(d, i, s);
    const bool owner = d[i] == "user" || d[i] == "group" || d[i] == "uid" || d[i] == "gid";
    // Descriptors only travel over UNIX sockets: a TCP one could not answer -x.
    if (why.empty() && s.tcp && (owner || d[i] == "mode" || d[i] == "expose-fd"))
      why = "'" + d[i] + "' applies to unix sockets only";
  }
  if (!why.empty()) return rep.error(d.loc, kw, why);
  g.stats_sockets.push_back(std::move(s));
}

}  // namespace

void parse_stats_keyword(const Directive& d, GlobalConfig& g, Reporter& rep) {
  const std::string sub = d.size() < 2 ? "" : d[1];
  if (sub == "socket") return parse_socket(d, g, rep);
  if (sub == "timeout") {
    if (!check_arity(d, "stats timeout", 3, 3, "stats timeout DURATION", rep)) return;
    auto ms = parse_duration_ms(d[2]);
    if (!ms || *ms == 0)
      return rep.error(d.loc, "stats timeout",
                       "expects a non-zero duration such as 10s, got '" + d[2] + "'");
    g.stats_timeout_ms = *ms;
    return;
  }
  if (sub == "maxconn") {
    if (!check_arity(d, "stats maxconn", 3, 3, "stats maxconn N", rep)) return;
    if (auto n = int_arg(d, 2, "stats maxconn", 1, 100000, rep)) g.stats_maxconn = int(*n);
    return;
  }
  const std::string kw = sub.empty() ? "stats" : "stats " + sub;
  rep.error(d.loc, kw, "Hearth supports 'stats socket', 'stats timeout' and 'stats maxconn' here");
}

}  // namespace hearth::config::detail
