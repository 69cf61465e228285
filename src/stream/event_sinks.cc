#include "stream/event_sinks.h"

#include <sys/time.h>

#include <string>
#include <string_view>

#include "expr/event_sink.h"
#include "stream/log_ring.h"
#include "stream/syslog_line.h"

namespace hearth::stream {
namespace {

void write_ring_event(std::string_view sink, std::string_view event) {
  const std::shared_ptr<LogRing> ring = find_ring(sink);
  if (!ring) return;
  static thread_local std::string line;
  line.clear();
  timeval now;
  gettimeofday(&now, nullptr);
  const config::RingConfig& c = ring->config();
  // Priority 0 ("<0>" in the timed format), no structured data.
  build_syslog_line(c.format, 0, 0, SyslogMeta{}, {}, event, c.maxlen, /*newline_in_len=*/true, now,
                    &line);
  line.pop_back();  // a ring event is stored without its newline
  ring->write(line);
}

}  // namespace

void install_event_sinks(bool with_buf0) {
  if (with_buf0) {
    config::RingConfig rc;
    rc.name = "buf0";
    rc.description = "in-memory ring buffer";
    rc.format = config::SyslogFormat::kTimed;
    rc.size = kBuf0Size;
    rc.maxlen = int(kBuf0Size);
    register_ring(std::make_shared<LogRing>(rc));
  }
  expr::set_event_sink_writer(write_ring_event);
}

}  // namespace hearth::stream
