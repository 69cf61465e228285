// http-request auth: the challenge HAProxy 2.6 sends (compared in
// tests/integration/http_auth_test.cc): status, fields and their order; a
// 401, or with a request to a proxy (option http-use-proxy-header) a 407,
// still reasoned "Unauthorized", with Proxy-Authenticate. The HTML page is
// Hearth's own wording.
#include <string>

#include "stream/http_stream.h"

namespace hearth::stream {
namespace {

constexpr std::string_view kPage401 =
    "<html><body><h1>401 Unauthorized</h1>\n"
    "This resource needs a user name and a password.\n"
    "</body></html>\n";
constexpr std::string_view kPage407 =
    "<html><body><h1>407 Unauthorized</h1>\n"
    "This resource needs a user name and a password.\n"
    "</body></html>\n";

}  // namespace

void HttpStream::answer_auth(const config::HttpRule& rule, bool close) {
  send_auth_challenge(rule.value, close);
}

// The challenge for `realm` (also the stats page's, for "stats auth").
void HttpStream::send_auth_challenge(std::string_view realm, bool close) {
  log_.term = "LR";  // a local answer while the request was analysed
  const bool proxy = use_px_conn_;
  const std::string_view page = proxy ? kPage407 : kPage401;
  static thread_local std::string challenge;
  challenge.assign("Basic realm=\"").append(realm).append("\"");
  char len[24];
  snprintf(len, sizeof len, "%zu", page.size());
  http::MsgHead& h = res_.head;
  std::string_view kept_len, kept_challenge;
  const bool ok =
      init_local_head(h, 4) && h.keep(len, &kept_len) && h.keep(challenge, &kept_challenge) &&
      h.fields().add("content-length", kept_len) && h.fields().add("cache-control", "no-cache") &&
      h.fields().add("content-type", "text/html") &&
      h.fields().add(proxy ? "proxy-authenticate" : "www-authenticate", kept_challenge);
  send_local(h, proxy ? 407 : 401, page, ok, close, "Unauthorized");
}

}  // namespace hearth::stream
