#include "stream/session_log.h"

#include <time.h>

namespace hearth::stream {
namespace {
size_t g_uri_len = 1023;
}  // namespace

void set_log_uri_len(size_t n) { g_uri_len = n; }

int64_t wall_clock_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string capture_request_line(std::string_view method, std::string_view target,
                                 int version_major, int version_minor) {
  std::string out;
  out.reserve(method.size() + target.size() + 11);
  out.append(method);
  out.push_back(' ');
  out.append(target);
  out.append(" HTTP/");
  out.push_back(char('0' + (version_major > 9 ? 9 : version_major)));
  out.push_back('.');
  out.push_back(char('0' + (version_minor > 9 ? 9 : version_minor)));
  if (out.size() > g_uri_len) out.resize(g_uri_len);
  return out;
}

}  // namespace hearth::stream
