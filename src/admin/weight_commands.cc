#include "admin/weight_commands.h"

#include <cctype>
#include <charconv>
#include <climits>
#include <optional>

#include "admin/cli_target.h"
#include "backend/backend.h"
#include "backend/server.h"
#include "config/enums.h"
#include "config/units.h"

namespace hearth::admin {
namespace {

constexpr int kMaxWeight = 256;

// Returns: true if the backend's algorithm cannot take a weight other than
// 0 or the configured one without remapping every key.
bool static_weights(const backend::Backend& be) {
  const config::BalanceAlgo a = be.lb_kind();
  if (a == config::BalanceAlgo::kStaticRr) return true;
  return config::is_hashing(a) && be.settings.hash_type.method == config::HashMethod::kMapBased;
}

// Parses a non-negative decimal count. Returns: false if `s` is not one.
bool parse_count(const std::string& s, int* out) {
  const std::optional<int64_t> v = config::parse_int(s);
  if (!v || *v < 0 || *v > INT_MAX) return false;
  *out = int(*v);
  return true;
}

std::string get_weight(const std::vector<std::string>& w,
                       const std::vector<backend::Backend*>& backends) {
  const ServerTarget t = find_server_target(w.size() > 2 ? w[2] : "", backends);
  if (!t.srv) return t.error;
  return std::to_string(t.srv->weight.load()) + " (initial " + std::to_string(t.srv->iweight) +
         ")\n\n";
}

std::string set_weight(const std::string& target, const std::string* value,
                       const std::vector<backend::Backend*>& backends) {
  const ServerTarget t = find_server_target(target, backends);
  if (!t.srv) return t.error;
  if (!value) return "Require <weight> or <weight%>.\n\n";
  const std::string err = set_server_weight(*t.be, *t.srv, *value);
  return err.empty() ? "\n" : err + "\n";
}

std::string set_server_maxconn(const std::vector<std::string>& w,
                               const std::vector<backend::Backend*>& backends) {
  const ServerTarget t = find_server_target(w.size() > 3 ? w[3] : "", backends);
  if (!t.srv) return t.error;
  if (w.size() < 5) return "Require <maxconn>.\n\n";
  int n = 0;
  if (!parse_count(w[4], &n)) return "Require a number of connections (0: no limit).\n\n";
  // A minconn below maxconn keeps following the load up to the new limit.
  t.srv->maxconn.store(n);
  t.be->servers_changed();  // a raised limit serves the queue at once
  return "\n";
}

}  // namespace

std::string set_server_weight(backend::Backend& be, backend::Server& s, const std::string& arg) {
  size_t digits = 0;
  const bool negative = !arg.empty() && arg[0] == '-';
  while (negative + digits < arg.size() && std::isdigit(uint8_t(arg[negative + digits]))) ++digits;
  if (digits == 0) return "Empty weight string empty or preceded by garbage\n";
  const std::string rest = arg.substr(negative + digits);
  const bool relative = rest == "%";
  if (!rest.empty() && !relative) return "Trailing garbage in weight string\n";
  long v = 0;
  std::from_chars(arg.data() + negative, arg.data() + negative + digits, v);
  if (negative) v = -v;
  int next;
  if (relative) {
    if (v < 0) return "Relative weight must be positive.\n";
    const long scaled = long(s.iweight) * v / 100;
    next = int(scaled > kMaxWeight ? kMaxWeight : scaled);
  } else {
    if (v < 0 || v > kMaxWeight)
      return "Absolute weight can only be between 0 and 256 inclusive.\n";
    next = int(v);
  }
  if (static_weights(be) && next != 0 && next != s.iweight)
    return "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n";
  if (s.weight.exchange(next) != next) be.servers_changed();
  return "";
}

std::string cli_weight_command(const std::vector<std::string>& w,
                               const std::vector<backend::Backend*>& backends, bool admin) {
  if (w.size() >= 2 && w[0] == "get" && w[1] == "weight") return get_weight(w, backends);
  const bool set_weight_cmd = w.size() >= 2 && w[0] == "set" && w[1] == "weight";
  const bool set_server_weight_cmd =
      w.size() >= 4 && w[0] == "set" && w[1] == "server" && w[3] == "weight";
  const bool set_maxconn = w.size() >= 3 && w[0] == "set" && w[1] == "maxconn" && w[2] == "server";
  if (!set_weight_cmd && !set_server_weight_cmd && !set_maxconn) return "";
  if (!admin) return "Permission denied\n\n";
  if (set_maxconn) return set_server_maxconn(w, backends);
  const size_t at = set_weight_cmd ? 3 : 4;
  return set_weight(w.size() > 2 ? w[2] : "", w.size() > at ? &w[at] : nullptr, backends);
}

}  // namespace hearth::admin
