// The built-in error messages: HAProxy 2.6's status lines, fields and HTML
// page layout (compared in tests/integration/errorfile_test.cc), with a
// sentence in Hearth's own words. The 403 page keeps HAProxy's length (93
// bytes), which its reg-test http-errorfiles/http-error.vtc checks.
#include "stream/error_messages.h"

#include <map>
#include <string>

namespace hearth::stream {

namespace {

// The built-in messages: the reason phrase as HAProxy 2.6 sends it, and a
// sentence.
struct Builtin {
  int status;
  const char* reason;
  const char* sentence;
};
constexpr Builtin kBuiltins[] = {
    {200, "OK", "The service is up."},
    {400, "Bad request", "The request could not be understood."},
    {401, "Unauthorized", "This resource needs a user name and a password."},
    {403, "Forbidden", "The proxy rules do not allow this request."},
    {404, "Not Found", "Nothing was found at this address."},
    {405, "Method Not Allowed", "This method is not allowed on this resource."},
    {407, "Unauthorized", "This resource needs a user name and a password."},
    {408, "Request Time-out", "The request did not arrive in time."},
    {410, "Gone", "This resource is gone for good."},
    {413, "Payload Too Large", "The request payload is larger than allowed."},
    {425, "Too Early", "The request came as early data; retry it."},
    {429, "Too Many Requests", "Too many requests in too little time."},
    {500, "Internal Server Error", "The proxy ran into an internal error."},
    {501, "Not Implemented", "The server does not implement what was asked."},
    {502, "Bad Gateway", "The server sent an invalid or incomplete response."},
    {503, "Service Unavailable", "No server is available for this request."},
    {504, "Gateway Time-out", "The server did not answer in time."},
};

std::map<int, config::HttpReply> make_builtins() {
  std::map<int, config::HttpReply> out;
  for (const Builtin& b : kBuiltins) {
    config::HttpReply& r = out[b.status];
    r.status = b.status;
    r.reason = b.reason;
    r.whole = true;
    r.body = "<html><body><h1>" + std::to_string(b.status) + " " + b.reason + "</h1>\n" +
             b.sentence + "\n</body></html>\n";
    r.fields = {{"content-length", std::to_string(r.body.size())},
                {"cache-control", "no-cache"},
                {"content-type", "text/html"}};
    r.close = b.status == 400 || b.status == 408;
  }
  return out;
}

}  // namespace

const config::HttpReply* builtin_error_reply(int status) {
  static const std::map<int, config::HttpReply> kTable = make_builtins();
  const auto it = kTable.find(status);
  return it == kTable.end() ? nullptr : &it->second;
}

}  // namespace hearth::stream
