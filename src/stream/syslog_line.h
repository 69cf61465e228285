#pragma once
// Lays out one log line for a log target (HAProxy manual 3.1 "log"): the
// syslog header of the target's format, the structured data of rfc5424, the
// text, the target's length limit and the final newline. Pure code: the clock
// reading and the names are passed in.
#include <sys/time.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "config/model.h"

namespace hearth::stream {

// What the header says besides the priority and the date.
struct SyslogMeta {
  std::string_view hostname;  // empty: none ("local" omits it, rfc3164 says "localhost")
  std::string_view tag;       // log-tag
  std::string_view pid;
};

// Appends to `out` the line for `format`: priority <facility*8+level>
// (or <level> for short and timed), the date of `now` in local time
// ("Mmm dd hh:mm:ss" for rfc3164 and local, ISO 8601 with microseconds and
// the UTC offset for rfc5424, timed and iso), hostname, tag, pid, and for
// rfc5424 "-" as msgid and `sd` (or "-"), then `msg`. The whole is cut to
// `maxlen` bytes, as HAProxy does it. Datagrams (!newline_in_len): a header
// field that does not fit entirely is left out with everything after it, the
// text is cut at any byte, and a newline follows the `maxlen` bytes. File
// descriptors (`newline_in_len`): the newline counts in `maxlen` and a field
// is cut at any byte too.
void build_syslog_line(config::SyslogFormat format, int facility, int level, const SyslogMeta& meta,
                       std::string_view sd, std::string_view msg, int maxlen, bool newline_in_len,
                       const timeval& now, std::string* out);

}  // namespace hearth::stream
