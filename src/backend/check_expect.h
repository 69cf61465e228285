#pragma once
// What an expect rule concludes from the bytes (or the HTTP response) a check
// received, and the texts HAProxy 2.6 gives the results (check_desc, the
// log-health-checks lines): "TCPCHK did not match content 'x' at step 3",
// " at step 2 of tcp-check (expect regex) comment: 'c'", on-error formats...
// Pure code: no I/O.
#include <string>
#include <string_view>

#include "backend/check_fetch.h"
#include "backend/check_http.h"
#include "backend/check_program.h"
#include "backend/health.h"

namespace hearth::backend {

struct ExpectVerdict {
  enum class Kind {
    kContinue,  // matched as wanted: on to the next rule
    kWait,      // not enough bytes yet to decide
    kFail,      // the check failed with `status`, `code`, `info`
    kPass,      // the check is over and passed (a protocol parser's last rule)
  };
  Kind kind = Kind::kContinue;
  CheckStatus status = CheckStatus::kNone;
  int code = 0;
  std::string info;
};

// A content expect (tcp-check and protocol checks) on `data`; `last_read`:
// the peer closed or failed, no more bytes will come; `last_rule`: nothing
// follows this rule.
ExpectVerdict eval_content_expect(const CheckProgram& p, const CheckStep& s, std::string_view data,
                                  bool last_read, bool last_rule, CheckFetch& ctx);

// An http-check expect on the response in `data`. `server_up`: the server is
// UP now (disable-on-404 applies to an UP server only).
ExpectVerdict eval_http_expect(const CheckProgram& p, const CheckStep& s, std::string_view data,
                               bool last_read, bool server_up, CheckFetch& ctx);

// The message of a check that passed after `last` (the last connect, send or
// expect evaluated), and its code (status-code), for a tcp-check or a
// protocol check.
std::string success_info(const CheckProgram& p, const CheckStep& last, CheckFetch& ctx, int* code);

// " at step N of tcp-check (connect port P)", " at initial connection step
// of tcp-check", with " comment: 'C'": what tcp-check adds to connection
// errors and timeouts. Empty for other check types.
std::string step_text(const CheckProgram& p, const CheckStep& s);

// Returns: `s` up to its first NUL byte, as HAProxy keeps a C string.
std::string c_string(std::string_view s);

}  // namespace hearth::backend
