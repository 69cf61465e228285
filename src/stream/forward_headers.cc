// option forwardfor and option originalto: the client's and the
// destination's addresses (as set-src / set-dst left them) added to the
// request, as HAProxy 2.6 combines the frontend's and the backend's options.
#include "expr/pattern.h"
#include "net/connection.h"
#include "stream/http_stream.h"
#include "stream/session.h"

namespace hearth::stream {

namespace {

bool excepted(const config::ForwardOption& o, const net::Address& a) {
  if (!o.enabled || !o.except) return false;
  expr::Sample s;
  if (a.family() == AF_INET)
    s.set_ipv4(&a.ss.v4.sin_addr);
  else if (a.family() == AF_INET6)
    s.set_ipv6(&a.ss.v6.sin6_addr);
  else
    return false;
  return o.except->match(s);
}

// The field name: the backend's (its own or the default) when it enables the
// option, else the frontend's (HAProxy 2.6, compared in the tests).
std::string_view field_name(const config::ForwardOption& fe, const config::ForwardOption& be,
                            std::string_view def) {
  const config::ForwardOption& o = be.enabled ? be : fe;
  return o.header.empty() ? def : std::string_view(o.header);
}

}  // namespace

// Either side enabling an option adds its field, unless the address is in
// either side's "except" network. forwardfor "if-none" holds only when every
// side that enables the option says it (one that does not makes the field
// mandatory). Returns: false if a field does not fit in the head.
bool HttpStream::add_forward_headers(http::MsgHead& req) {
  const FrontendHttp& f = fe_->http;
  const backend::BackendSettings& b = bs();
  if (!f.forwardfor.enabled && !b.forwardfor.enabled && !f.originalto.enabled &&
      !b.originalto.enabled)
    return true;
  const Session* sess = session();
  char ip[64];
  if (f.forwardfor.enabled || b.forwardfor.enabled) {
    const net::Address& src = sess->client_addr(scf_->conn);
    const std::string_view name = field_name(f.forwardfor, b.forwardfor, "x-forwarded-for");
    const bool if_none = (!f.forwardfor.enabled || f.forwardfor.if_none) &&
                         (!b.forwardfor.enabled || b.forwardfor.if_none);
    const bool skip = (if_none && req.fields().find(name)) || excepted(f.forwardfor, src) ||
                      excepted(b.forwardfor, src);
    std::string_view v;
    if (!skip && src.family() != AF_UNIX &&
        !(req.keep(src.ip_str(ip, sizeof ip), &v) && req.fields().add(name, v)))
      return false;
  }
  if (f.originalto.enabled || b.originalto.enabled) {
    const std::optional<net::Address> dst = sess->dst_addr(scf_->conn);
    const std::string_view name = field_name(f.originalto, b.originalto, "x-original-to");
    std::string_view v;
    if (dst && !excepted(f.originalto, *dst) && !excepted(b.originalto, *dst) &&
        !(req.keep(dst->ip_str(ip, sizeof ip), &v) && req.fields().add(name, v)))
      return false;
  }
  return true;
}

}  // namespace hearth::stream
