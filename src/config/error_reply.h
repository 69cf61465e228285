#pragma once
// HTTP error messages a proxy answers with instead of its built-in ones:
// "errorfile", "errorfiles", "errorloc*", "http-error" and "http-errors"
// sections (HAProxy 2.6), and the errorfile options of deny/return rules.
// Plain data, built at load (errorfile.cc, errorfile_keywords.cc).
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/log_format.h"

namespace hearth::config {

// One reply. Either a whole response read from an errorfile (or a built-in
// message, or an errorloc's redirect): `fields` and `body` as they go out;
// or an http-error reply: `content_type`, the body (`body` or `body_fmt`)
// and `hdrs`.
struct HttpReply {
  int status = 0;
  std::string reason;
  // Errorfile: the fields in order, names lower-cased, Connection dropped.
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
  std::shared_ptr<const expr::LogFormat> body_fmt;  // http-error lf-string / lf-file
  std::vector<std::pair<std::string, std::shared_ptr<const expr::LogFormat>>> hdrs;
  std::string content_type;  // http-error with a payload
  bool whole = false;        // an errorfile (fields + body), else composed
  bool empty = false;        // an empty errorfile (/dev/null): close, send nothing
  bool close = false;        // the file asks for Connection: close
  size_t raw_size = 0;       // bytes read from its file (checked against tune.bufsize)
  std::string file;          // where it was configured
  int line = 0;
};

// The codes HAProxy 2.6 can answer with its own messages.
inline constexpr int kErrorCodes[] = {200, 400, 401, 403, 404, 405, 407, 408, 410,
                                      413, 425, 429, 500, 501, 502, 503, 504};
constexpr bool is_error_code(int status) {
  for (int c : kErrorCodes) {
    if (c == status) return true;
  }
  return false;
}

// The messages a proxy uses, by status (a missing status: the next level,
// backend -> frontend -> built-in).
using ErrorReplies = std::map<int, std::shared_ptr<const HttpReply>>;

// One errorfile / errorloc / errorfiles / http-error line of a proxy, kept in
// order: later ones override earlier ones, inherited ones come first.
struct ErrorDirective {
  std::string file;  // SourceLoc of the line (file, line)
  int line = 0;
  std::string keyword;
  int status = 0;                          // 0: every code of `section`
  std::shared_ptr<const HttpReply> reply;  // set: this message for `status`
  std::string section;                     // errorfiles NAME [CODE...]
  std::vector<int> codes;                  // the listed CODEs (empty: all)
  bool reset = false;                      // http-error default-errorfiles
};

// "deny|return ... errorfile F | errorfiles NAME | default-errorfiles".
struct RuleErrorReply {
  std::shared_ptr<const HttpReply> reply;  // errorfile F, or NAME's message (resolved)
  std::string section;                     // errorfiles NAME
  bool use_proxy = false;                  // default-errorfiles (or NAME lacks it)
};

// Parses `text` as a whole HTTP/1.x response for `status`. Returns: the
// reply, or null and *err. An empty text is the empty reply.
std::shared_ptr<const HttpReply> parse_errorfile_text(std::string_view text, int status,
                                                      std::string* err);

}  // namespace hearth::config
