#include "http/framing.h"

namespace hearth::http {

BodyFraming response_framing(Method request_method, const ResponseHead& head) {
  const int status = head.status;
  if (status == 101) return BodyFraming::tunnel();
  if (status < 200) return BodyFraming::none();
  if (request_method == Method::kConnect && status < 300) return BodyFraming::tunnel();
  if (request_method == Method::kHead || status == 204 || status == 304) {
    return BodyFraming::none();
  }
  if (head.flags.transfer_encoding) {
    return head.flags.chunked ? BodyFraming::chunked() : BodyFraming::close_delimited();
  }
  if (head.flags.has_content_length) return BodyFraming::content_length(head.content_length);
  return BodyFraming::close_delimited();
}

bool response_keeps_alive(const ResponseHead& head, const BodyFraming& framing) {
  return head.flags.keep_alive && framing.kind != BodyFraming::Kind::kCloseDelimited &&
         framing.kind != BodyFraming::Kind::kTunnel;
}

bool binds_connection_auth(const ResponseHead& head) {
  std::string_view field;
  if (head.status == 401)
    field = "www-authenticate";
  else if (head.status == 407)
    field = "proxy-authenticate";
  else
    return false;
  for (const HeaderField& f : head.headers) {
    if (!iequals(f.name, field)) continue;
    ListCursor cur(f.value);
    std::string_view challenge;
    while (cur.next(&challenge)) {
      const std::string_view scheme = challenge.substr(0, challenge.find_first_of(" \t"));
      if (iequals(scheme, "NTLM") || iequals(scheme, "Negotiate")) return true;
    }
  }
  return false;
}

}  // namespace hearth::http
