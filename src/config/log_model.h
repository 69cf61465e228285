#pragma once
// The access-log settings of a proxy: its custom formats (log-format,
// log-format-sd), the unique id (unique-id-format, unique-id-header) and the
// capture slots (capture request/response header, declare capture).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/persist_model.h"
#include "expr/log_format.h"

namespace hearth::config {

// Included by config/model.h (after SourceLoc); include that header instead.

// Syslog levels, most urgent first, as "log" and set-log-level name them;
// kSilent (set-log-level silent) suppresses the line.
enum LogLevel : int8_t {
  kLogEmerg = 0,
  kLogAlert,
  kLogCrit,
  kLogErr,
  kLogWarning,
  kLogNotice,
  kLogInfo,
  kLogDebug,
  kLogSilent = -1,
  kLogNotSet = -2,  // no set-log-level rule ran
};

// Returns: the level named `s` (kLogSilent for "silent" when `silent_ok`),
// or false if `s` names none.
bool parse_log_level(std::string_view s, bool silent_ok, LogLevel* out);

// How a log line's header is laid out (HAProxy's "format" of a log target).
// kLocal is rfc3164 without the hostname; the default unless
// log-send-hostname is set, which makes it rfc3164.
enum class SyslogFormat : uint8_t {
  kLocal,
  kRfc3164,
  kRfc5424,
  kPriority,
  kShort,
  kTimed,
  kIso,
  kRaw,
};

// Returns: the format named `s`, or false.
bool parse_syslog_format(std::string_view s, SyslogFormat* out);

// One "log" line of a global or proxy section (not "log global").
struct LogTarget {
  // kRing: "ring@NAME"; kTcp: "tcp@ADDR" and its family variants, which
  // log through an implicit ring forwarding to that address.
  enum class Kind : uint8_t { kUdp, kUnix, kFd, kRing, kTcp };
  SourceLoc loc;
  Kind kind = Kind::kFd;
  // kUdp and kTcp: "IP:PORT" (family from `udp6`); kUnix: the socket path;
  // kRing: the ring's name.
  std::string address;
  bool udp6 = false;  // kUdp: the address is IPv6
  int fd = 1;         // kFd: stdout = 1, stderr = 2, fd@N
  int maxlen = 1024;  // len N: bytes of a line (header and text, not the newline)
  bool format_set = false;
  SyslogFormat format = SyslogFormat::kLocal;  // when !format_set: resolved at startup
  // sample R:S: a line is sent when its number modulo `sample_size`, counted
  // from 1, falls in one of the ranges.
  std::vector<std::pair<int, int>> sample_ranges;
  int sample_size = 0;
  int8_t facility = 0;
  int8_t level = kLogDebug;     // lines less urgent are not sent
  int8_t minlevel = kLogEmerg;  // more urgent lines are sent at this level
};

// One "server" line of a ring section: a TCP syslog server the ring's
// events are forwarded to.
struct RingServerConfig {
  SourceLoc loc;
  std::string name;
  std::string address;       // "IP:PORT"
  bool octet_count = false;  // log-proto octet-count (RFC 6587 3.4.1); else legacy LF framing
};

// A "ring NAME" section (HAProxy manual 3.9), or the implicit ring of a
// "log tcp@ADDR" target.
struct RingConfig {
  SourceLoc loc;
  std::string name;
  std::string description;  // empty: the name
  SyslogFormat format = SyslogFormat::kRaw;
  int maxlen = 16384;   // bytes of an event, header included (tune.bufsize by default)
  size_t size = 16384;  // bytes of the buffer (tune.bufsize by default, and at least that)
  int64_t timeout_connect_ms = 0;  // 0: none
  int64_t timeout_server_ms = 0;   // 0: none
  std::vector<RingServerConfig> servers;
};

// One capture slot, in declaration order (its index is its id).
struct CaptureSlot {
  SourceLoc loc;
  std::string header;  // the header captured; empty for "declare capture"
  int len = 0;         // bytes kept
};

struct ProxyLogConfig {
  std::shared_ptr<const expr::LogFormat> custom;  // log-format
  SourceLoc custom_loc;
  std::shared_ptr<const expr::LogFormat> sd;  // log-format-sd
  SourceLoc sd_loc;
  // error-log-format: the line of a connection that failed before its
  // session (null: HAProxy's "IP:PORT [DATE] FE/BIND: MESSAGE").
  std::shared_ptr<const expr::LogFormat> error;
  std::shared_ptr<const expr::LogFormat> unique_id;  // unique-id-format
  std::string unique_id_header;                      // unique-id-header
  std::vector<CaptureSlot> req_caps, res_caps;
  CookieCapture cookie_cap;  // capture cookie (persist_model.h); empty name: none
};

}  // namespace hearth::config
