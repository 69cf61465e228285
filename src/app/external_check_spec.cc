#include "app/external_check_spec.h"

#include "core/ip_text.h"
#include "net/transport.h"

namespace hearth::app {

std::shared_ptr<const backend::ExternalCheckSpec> external_check_spec(const config::ProxyConfig& p,
                                                                      const backend::Backend& be,
                                                                      const backend::Server& s,
                                                                      bool insecure_fork_wanted) {
  auto x = std::make_shared<backend::ExternalCheckSpec>();
  x->command = p.check.external.command;
  x->path = p.check.external.path.value_or("");
  // As HAProxy: the first listener with an IPv4 or IPv6 address (a
  // backend has none; an "fd@" bind is passed over).
  for (const config::BindConfig& b : p.binds) {
    std::string err;
    const auto a = net::Address::parse(b.address, &err);
    if (!a || (a->family() != AF_INET && a->family() != AF_INET6)) continue;
    char ip[kIpTextMax];
    x->proxy_addr = a->ip_str(ip, sizeof ip);
    x->proxy_port = std::to_string(a->port());
    break;
  }
  x->proxy_name = be.name();
  x->proxy_id = be.id;
  x->server_name = s.name;
  x->server_id = s.puid;
  x->server_maxconn = s.maxconn.load();
  x->server_ssl = s.xprt() != net::raw_transport();
  x->server_proto = p.mode == config::Mode::kHttp ? "h1" : "tcp";
  x->insecure_fork_wanted = insecure_fork_wanted;
  return x;
}

}  // namespace hearth::app
