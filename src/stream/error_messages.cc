// The built-in error messages: the bytes HAProxy 2.6 sends for its own
// errors (status line, fields and HTML payload), compared byte for byte in
// tests/integration/errorfile_test.cc.
#include "stream/error_messages.h"

#include <map>
#include <string>

namespace hearth::stream {

namespace {

// The built-in messages: reason phrase and sentence, as HAProxy 2.6 words
// them on the wire (compared byte for byte in the integration tests).
struct Builtin {
  int status;
  const char* reason;
  const char* sentence;
};
constexpr Builtin kBuiltins[] = {
    {200, "OK", "Service ready."},
    {400, "Bad request", "Your browser sent an invalid request."},
    {401, "Unauthorized", "You need a valid user and password to access this content."},
    {403, "Forbidden", "Request forbidden by administrative rules."},
    {404, "Not Found", "The resource could not be found."},
    {405, "Method Not Allowed",
     "A request was made of a resource using a request method not supported by that resource"},
    {407, "Unauthorized", "You need a valid user and password to access this content."},
    {408, "Request Time-out", "Your browser didn't send a complete request in time."},
    {410, "Gone", "The resource is no longer available and will not be available again."},
    {413, "Payload Too Large", "The request entity exceeds the maximum allowed."},
    {425, "Too Early", "Your browser sent early data."},
    {429, "Too Many Requests", "You have sent too many requests in a given amount of time."},
    {500, "Internal Server Error", "An internal server error occurred."},
    {501, "Not Implemented",
     ".The server does not support the functionality required to fulfill the request."},
    {502, "Bad Gateway", "The server returned an invalid or incomplete response."},
    {503, "Service Unavailable", "No server is available to handle this request."},
    {504, "Gateway Time-out", "The server didn't respond in time."},
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
