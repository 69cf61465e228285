#pragma once
// The access-log settings of a proxy: its custom formats (log-format,
// log-format-sd), the unique id (unique-id-format, unique-id-header) and the
// capture slots (capture request/response header, declare capture).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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
};

// Returns: the level named `s` (kLogSilent for "silent" when `silent_ok`),
// or false if `s` names none.
bool parse_log_level(std::string_view s, bool silent_ok, LogLevel* out);

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
  std::shared_ptr<const expr::LogFormat> unique_id;  // unique-id-format
  std::string unique_id_header;                      // unique-id-header
  std::vector<CaptureSlot> req_caps, res_caps;
};

}  // namespace hearth::config
