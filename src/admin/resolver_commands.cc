#include "admin/resolver_commands.h"

#include "admin/cli_target.h"
#include "backend/backend.h"
#include "backend/server.h"
#include "config/units.h"
#include "dns/resolvers.h"
#include "dns/server_link.h"

namespace hearth::admin {

std::string cli_show_resolvers(const std::vector<std::string>& w) {
  if (w.size() < 2 || w[0] != "show" || w[1] != "resolvers") return "";
  std::string out;
  bool found = false;
  for (const dns::Resolvers* r : dns::all_resolvers()) {
    if (w.size() > 2 && r->name() != w[2]) continue;
    found = true;
    out += r->show();
  }
  if (w.size() > 2 && !found) return "Can't find that resolvers section\n\n";
  return out + "\n";
}

std::string cli_set_server_fqdn(const std::vector<std::string>& w, backend::Backend& be,
                                backend::Server& s) {
  if (w.size() < 5) return "set server <b>/<s> fqdn requires a FQDN.\n\n";
  dns::ServerLink* link = dns::link_of(&s);
  if (!link) return "set server <b>/<s> fqdn failed because no resolution is configured.\n\n";
  if (link->srv_slot())
    return "set server <b>/<s> fqdn failed because SRV resolution is configured.\n\n";
  const std::string fqdn = w[4];
  const std::string old = s.hostname();
  s.set_hostname(fqdn);  // shown at once; the resolvers' thread asks for it
  link->resolvers()->post([link, fqdn] { link->set_fqdn(fqdn); });
  return be.name() + "/" + s.name + " changed its FQDN from " + old + " to " + fqdn +
         " by 'stats socket command'\n\n";
}

std::string cli_set_server_addr(const std::vector<std::string>& w, backend::Backend& be,
                                backend::Server& s) {
  if (w.size() < 5) return "set server <b>/<s> addr requires an address and optionally a port.\n\n";
  const net::Address before = s.address();
  char ip[64];
  const std::optional<net::Address> parsed = parse_cli_ip(w[4]);
  if (!parsed) return "Invalid addr '" + w[4] + "'.\n\n";
  net::Address next = *parsed;
  next.set_port(before.port());
  std::string msg = "IP changed from '";
  msg += s.has_addr.load() ? before.ip_str(ip, sizeof ip) : "(none)";
  msg += "' to '" + w[4] + "'";
  if (w.size() > 5) {
    const auto p = w.size() > 6 && w[5] == "port" ? config::parse_int(w[6]) : std::nullopt;
    if (!p || *p < 1 || *p > 65535) {
      msg += ", problem converting port '" + (w.size() > 6 ? w[6] : std::string()) + "' to an int";
    } else if (*p != before.port()) {
      msg += ", port changed from '" + std::to_string(before.port()) + "' to '" +
             std::to_string(*p) + "'";
      next.set_port(int(*p));
    } else {
      msg += ", no need to change the port";
    }
  }
  s.set_address(next);
  if (!s.has_addr.exchange(true)) be.servers_changed();
  if (dns::ServerLink* link = dns::link_of(&s))
    link->resolvers()->post([link, next] { link->note_address(next); });
  return msg + " by 'stats socket command'\n\n";
}

}  // namespace hearth::admin
