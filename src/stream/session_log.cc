#include "stream/session_log.h"

#include <time.h>
#include <unistd.h>

#include <cstdio>

namespace hearth::stream {

std::string format_session_log(const SessionLogRecord& r) {
  char date[64];
  time_t now = time(nullptr);
  tm tmv;
  localtime_r(&now, &tmv);
  strftime(date, sizeof date, "%d/%b/%Y:%H:%M:%S", &tmv);
  char line[512];
  char status[16] = "";
  if (r.status) snprintf(status, sizeof status, " %d", r.status);
  snprintf(line, sizeof line, "%s [%s] %s %s/%s %lld/%lld%s %llu %s %d/%d\n", r.client.c_str(), date,
           r.frontend.c_str(), r.backend.c_str(), r.server.c_str(), (long long)r.t_connect,
           (long long)r.t_total, status, (unsigned long long)r.bytes_out, r.termination,
           r.fe_conns, r.srv_conns);
  return line;
}

void emit_session_log(const SessionLogRecord& r) {
  std::string line = format_session_log(r);
  ssize_t w = write(STDOUT_FILENO, line.data(), line.size());
  (void)w;
}

}  // namespace hearth::stream
