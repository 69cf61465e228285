#include "stream/session_log.h"

#include <time.h>
#include <unistd.h>

#include <cstdio>

namespace hearth::stream {
namespace {

// "dd/Mon/yyyy:hh:mm:ss" in local time. localtime_r is not free (it may take
// glibc's timezone lock), so each thread keeps the text of the last second.
const char* date_text(time_t sec) {
  static thread_local time_t cached_sec = -1;
  static thread_local char cached[32];
  if (sec != cached_sec) {
    tm tmv;
    localtime_r(&sec, &tmv);
    if (strftime(cached, sizeof cached, "%d/%b/%Y:%H:%M:%S", &tmv) == 0) cached[0] = '\0';
    cached_sec = sec;
  }
  return cached;
}

void write_line(const std::string& line) {
  ssize_t w = write(STDOUT_FILENO, line.data(), line.size());
  (void)w;
}

}  // namespace

int64_t wall_clock_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string capture_request_line(std::string_view method, std::string_view target,
                                 int version_major, int version_minor) {
  if (target.size() > kMaxLoggedTarget) target = target.substr(0, kMaxLoggedTarget);
  std::string out;
  out.reserve(method.size() + target.size() + 11);
  out.append(method);
  out.push_back(' ');
  out.append(target);
  out.append(" HTTP/");
  out.push_back(char('0' + (version_major > 9 ? 9 : version_major)));
  out.push_back('.');
  out.push_back(char('0' + (version_minor > 9 ? 9 : version_minor)));
  return out;
}

void append_log_escaped(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '#') {
      out.push_back('#');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(ch);
    }
  }
}

std::string format_session_log(const SessionLogRecord& r) {
  char line[512];
  snprintf(line, sizeof line, "%s [%s] %s %s/%s %lld/%lld %llu %s %d/%d\n", r.client.c_str(),
           date_text(time(nullptr)), r.frontend.c_str(), r.backend.c_str(), r.server.c_str(),
           (long long)r.t_connect, (long long)r.t_total, (unsigned long long)r.bytes_out,
           r.termination, r.fe_conns, r.srv_conns);
  std::string out(line);
  if (out.back() != '\n') out.back() = '\n';  // cut by very long names: still one line
  return out;
}

std::string format_http_log(const HttpLogRecord& r) {
  std::string out;
  out.reserve(224 + r.frontend.size() + r.backend.size() + r.server.size() + 3 * r.request.size());
  char num[256];
  time_t sec = time_t(r.date_ms / 1000);
  int ms = int(r.date_ms % 1000);
  if (ms < 0) ms += 1000, --sec;
  snprintf(num, sizeof num, "%s [%s.%03d] ", r.client.c_str(), date_text(sec), ms);
  out += num;
  out.append(r.frontend);
  out.push_back(' ');
  out.append(r.backend);
  out.push_back('/');
  out.append(r.server);
  // Termination state: two letters, then "--" where HAProxy puts the
  // persistence-cookie states (Hearth has no cookies).
  const char* t = r.termination ? r.termination : "";
  char term[5] = {t[0] ? t[0] : '-', t[0] && t[1] ? t[1] : '-', '-', '-', '\0'};
  snprintf(num, sizeof num, " %lld/%lld/%lld/%lld/%lld %d %llu - - %s %d/%d/%d/%d/%s%d %llu/%llu ",
           (long long)r.t_request, (long long)r.t_queue, (long long)r.t_connect,
           (long long)r.t_response, (long long)r.t_active, r.status,
           (unsigned long long)r.bytes_out, term, r.act_conns, r.fe_conns, r.be_conns, r.srv_conns,
           r.redispatched ? "+" : "", r.retries, (unsigned long long)r.srv_queue,
           (unsigned long long)r.be_queue);
  out += num;
  if (r.request.empty()) {
    out += "\"<BADREQ>\"\n";
  } else {
    out.push_back('"');
    append_log_escaped(out, r.request);
    out += "\"\n";
  }
  return out;
}

void emit_session_log(const SessionLogRecord& r) { write_line(format_session_log(r)); }
void emit_http_log(const HttpLogRecord& r) { write_line(format_http_log(r)); }

}  // namespace hearth::stream
