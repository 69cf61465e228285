#pragma once
// The %-variables of access-log formats (HAProxy manual 8.2.4): their names,
// what each prints from a LogRecord, and the flags that change how (+Q quote,
// +X hexadecimal, +E backslash-escape '"', '\' and ']').
#include <cstdint>
#include <string>
#include <string_view>

#include "expr/log_record.h"

namespace hearth::expr {

enum class LogVar : uint8_t {
  kNone,
  kClientIp,
  kClientPort,
  kFrontendIp,
  kFrontendPort,
  kBackendIp,
  kBackendPort,
  kServerIp,
  kServerPort,
  kFrontend,
  kFrontendXprt,
  kBackend,
  kServer,
  kHostname,
  kPid,
  kUniqueId,
  kDate,
  kGmtDate,
  kLocalDate,
  kReqDate,
  kReqGmtDate,
  kReqLocalDate,
  kTimestamp,
  kAcceptMs,
  kStatus,
  kBytesOut,
  kBytesIn,
  kReqCookie,
  kResCookie,
  kTermState,
  kTermStateCookie,
  kActConn,
  kFeConn,
  kBeConn,
  kSrvConn,
  kRetries,
  kReuse,  // %rs, a Hearth addition
  kSrvQueue,
  kBeQueue,
  kReqCounter,
  kLogCounter,
  kTh,
  kTi,
  kTR,
  kTq,
  kTw,
  kTc,
  kTr,
  kTa,
  kTt,
  kTd,
  kTu,
  kReqHdrs,
  kReqHdrList,
  kResHdrs,
  kResHdrList,
  kRequest,
  kMethod,
  kUri,
  kPath,
  kPathOnly,
  kQuery,
  kVersion,
};

// Flag bits of a variable (%{+Q,+X,+E}); kLogNoDash: an absent field
// prints nothing instead of "-" (a rule value's variables, as HAProxy's).
inline constexpr uint8_t kLogQuote = 1, kLogHex = 2, kLogEsc = 4, kLogNoDash = 8;

struct LogVarDef {
  std::string_view name;
  LogVar var;
  bool http;  // only meaningful for an HTTP transaction (the 'H' of the table)
};

// Returns: the variable called `name`, or nullptr.
const LogVarDef* find_log_var(std::string_view name);

// Appends what `v` prints for `r`. Returns: false if it printed nothing at all
// and must not count as a field for the separators (%hr and friends with no
// capture declared).
bool render_log_var(LogVar v, uint8_t opts, const LogRecord& r, std::string* out);

// Appends a string field: "-" (or "" quoted, nothing with kLogNoDash) when absent; +Q quotes, +E
// escapes '"', '\' and ']' with a backslash.
void render_log_text(std::string_view s, bool present, uint8_t opts, std::string* out);
// Appends `s` to `out`, each byte `enc` selects written as `esc` and two
// upper-case hex digits (the captures' '#', HTTP mode's '%').
void append_encoded(std::string_view s, char esc, bool (*enc)(unsigned char), std::string* out);

// The host name and process id, read once.
std::string_view log_hostname();

}  // namespace hearth::expr
