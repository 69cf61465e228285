// Server options of the PROXY protocol: send-proxy, send-proxy-v2,
// send-proxy-v2-ssl, send-proxy-v2-ssl-cn, their no- forms, proxy-v2-options
// and check-send-proxy; and the SOCKS4 tunnel: socks4, check-via-socks4.
#include "config/address.h"
#include "config/keywords.h"

namespace hearth::config::detail {
namespace {

struct V2Option {
  const char* name;
  uint16_t bits;
};

// As HAProxy 2.6: each SSL detail implies the SSL TLV itself.
const V2Option kV2Options[] = {
    {"ssl", kPpSsl},
    {"cert-cn", kPpSsl | kPpCertCn},
    {"ssl-cipher", kPpSsl | kPpSslCipher},
    {"cert-sig", kPpSsl | kPpCertSig},
    {"cert-key", kPpSsl | kPpCertKey},
    {"authority", kPpAuthority},
    {"crc32c", kPpCrc32c},
    {"unique-id", kPpUniqueId},
};

bool parse_v2_options(const Directive& d, size_t v, const std::string& kw, ServerConfig& sv,
                      Reporter& rep) {
  const std::string list = v < d.size() ? d[v] : "";
  const char* accepted =
      "ssl, cert-cn, ssl-cipher, cert-sig, cert-key, authority, crc32c or unique-id";
  if (list.empty()) {
    rep.error(d.loc, kw, std::string("'proxy-v2-options' expects a list of ") + accepted);
    return false;
  }
  uint16_t bits = 0;
  for (size_t p = 0; p <= list.size();) {
    size_t c = list.find(',', p);
    if (c == std::string::npos) c = list.size();
    const std::string name = list.substr(p, c - p);
    const V2Option* found = nullptr;
    for (const V2Option& o : kV2Options)
      if (name == o.name) found = &o;
    if (!found) {
      rep.error(d.loc, kw,
                "'proxy-v2-options': unknown option '" + name + "'; accepted: " + accepted);
      return false;
    }
    bits |= found->bits;
    p = c + 1;
  }
  sv.proxy_v2_opts |= bits;
  return true;
}

}  // namespace

int apply_server_proxy_option(const Directive& d, size_t* i, const std::string& kw,
                              ServerConfig& sv, Reporter& rep) {
  const std::string& o = d[*i];
  if (o == "send-proxy") {
    sv.send_proxy_v1 = true;
  } else if (o == "send-proxy-v2") {
    sv.send_proxy_v2 = true;
  } else if (o == "send-proxy-v2-ssl") {
    sv.send_proxy_v2 = true;
    sv.proxy_v2_opts |= kPpSsl;
  } else if (o == "send-proxy-v2-ssl-cn") {
    sv.send_proxy_v2 = true;
    sv.proxy_v2_opts |= kPpSsl | kPpCertCn;
  } else if (o == "no-send-proxy") {
    sv.send_proxy_v1 = false;
  } else if (o == "no-send-proxy-v2") {
    sv.send_proxy_v2 = false;
  } else if (o == "no-send-proxy-v2-ssl") {
    sv.send_proxy_v2 = false;
    sv.proxy_v2_opts &= uint16_t(~kPpSsl);
  } else if (o == "no-send-proxy-v2-ssl-cn") {
    sv.send_proxy_v2 = false;
    sv.proxy_v2_opts &= uint16_t(~(kPpSsl | kPpCertCn));
  } else if (o == "check-send-proxy") {
    sv.check_send_proxy = true;
  } else if (o == "socks4") {
    ++*i;
    const std::string v = *i < d.size() ? d[*i] : "";
    if (v.empty()) {
      rep.error(d.loc, kw, "'socks4' expects <addr>:<port> as argument");
      return -1;
    }
    const std::string err = v.rfind("fd@", 0) == 0 ? "expects <addr>:<port>, not a file descriptor"
                                                   : check_bind_address(v);
    if (!err.empty()) {
      rep.error(d.loc, kw, "'socks4 " + v + "': " + err);
      return -1;
    }
    sv.socks4 = v;
  } else if (o == "check-via-socks4") {
    sv.check_via_socks4 = true;
  } else if (o == "proxy-v2-options") {
    ++*i;
    return parse_v2_options(d, *i, kw, sv, rep) ? 1 : -1;
  } else {
    return 0;
  }
  return 1;
}

void warn_unused_proxy_v2_options(const Directive& d, const ServerConfig& sv, Reporter& rep) {
  if (sv.proxy_v2_opts && !sv.send_proxy_v2)
    rep.warning(d.loc, "server",
                "server '" + sv.name +
                    "': 'proxy-v2-options' only apply to a PROXY v2 header, and this server "
                    "sends " +
                    (sv.send_proxy_v1 ? "version 1 ('send-proxy')" : "none") +
                    ": add 'send-proxy-v2' for them to be sent");
}

void warn_socks4_options(const Directive& d, const ServerConfig& sv, Reporter& rep) {
  if (sv.check_via_socks4 && sv.socks4.empty())
    rep.warning(d.loc, "server",
                "server '" + sv.name +
                    "': 'check-via-socks4' has no effect without 'socks4 ADDR:PORT': its checks "
                    "connect directly");
  if (sv.socks4.empty()) return;
  // An IPv6 literal or a UNIX socket (a host name may still resolve to IPv4).
  if (sv.address.find('[') != std::string::npos || check_unix_address(sv.address))
    rep.warning(d.loc, "server",
                "server '" + sv.name + "': 'socks4' carries IPv4 destinations only, and '" +
                    sv.address + "' is not one: its connections will fail");
}

}  // namespace hearth::config::detail
