// "server-template PREFIX NUM|LOW-HIGH FQDN[:PORT] [options]": servers
// PREFIX<n> for n in 1..NUM (or LOW..HIGH), each as a "server" line with the
// same address and options. A FQDN starting with '_' is an SRV label: the
// slots are filled from its records (target, port, weight) at run time.
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

constexpr int64_t kMaxSlots = 100000;

// "NUM" (1..NUM) or "LOW-HIGH". Returns: false if malformed.
bool parse_range(const std::string& v, int64_t* lo, int64_t* hi) {
  const size_t dash = v.find('-');
  if (dash == std::string::npos) {
    const auto n = parse_int(v);
    if (!n || *n < 1) return false;
    *lo = 1;
    *hi = *n;
    return true;
  }
  const auto a = parse_int(v.substr(0, dash));
  const auto b = parse_int(v.substr(dash + 1));
  if (!a || !b || *a < 0 || *b < *a) return false;
  *lo = *a;
  *hi = *b;
  return true;
}

}  // namespace

void parse_server_template(const Directive& d, ProxySection& s, Reporter& rep) {
  const char* usage = "server-template PREFIX NUM|LOW-HIGH FQDN[:PORT] [options]";
  if (!check_arity(d, "server-template", 4, 64, usage, rep)) return;
  int64_t lo = 0, hi = 0;
  if (!parse_range(d[2], &lo, &hi)) {
    rep.error(d.loc, "server-template",
              "'" + d[2] + "': expects a number of servers (1 or more) or a range LOW-HIGH");
    return;
  }
  if (hi - lo + 1 > kMaxSlots) {
    rep.error(d.loc, "server-template",
              "'" + d[2] + "': at most " + std::to_string(kMaxSlots) + " servers per template");
    return;
  }
  const bool srv_label = !d[3].empty() && d[3][0] == '_';
  if (srv_label && d[3].find(':') != std::string::npos) {
    rep.error(d.loc, "server-template",
              "'" + d[3] + "': an SRV label takes no port (the records give it)");
    return;
  }
  for (int64_t n = lo; n <= hi; ++n) {
    Directive one{d.loc, d.words, d.env};
    one.words[0] = "server";
    one.words[1] = d[1] + std::to_string(n);
    one.words.erase(one.words.begin() + 2);  // the count; d[3] becomes the address
    const size_t before = s.proxy.servers.size();
    parse_server(one, s, rep);
    if (s.proxy.servers.size() == before) return;  // reported once, for the first
    ServerConfig& sv = s.proxy.servers.back();
    sv.from_template = true;
    if (srv_label) {
      sv.srv_record = d[3];
      sv.port_from_client = false;  // the records give the port
      sv.port_offset = 0;
    }
  }
}

}  // namespace hearth::config::detail
