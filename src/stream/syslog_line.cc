#include "stream/syslog_line.h"

#include <time.h>

#include <array>
#include <cstdio>

namespace hearth::stream {
namespace {

using config::SyslogFormat;

// The date strings of one second, rebuilt when the second changes: local
// time and its offset are worked out once per second and thread, not per line.
struct DateCache {
  time_t sec = -1;
  char legacy[40];  // "Mmm dd hh:mm:ss " (sized for what snprintf may print)
  char iso[80];     // "YYYY-MM-DDThh:mm:ss"
  char tz[32];      // "+hh:mm"
};

const DateCache& dates(time_t sec) {
  static thread_local DateCache c;
  if (c.sec == sec) return c;
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  tm t;
  localtime_r(&sec, &t);
  snprintf(c.legacy, sizeof c.legacy, "%s %2d %02d:%02d:%02d ", kMonths[t.tm_mon % 12], t.tm_mday,
           t.tm_hour, t.tm_min, t.tm_sec);
  snprintf(c.iso, sizeof c.iso, "%04d-%02d-%02dT%02d:%02d:%02d", t.tm_year + 1900, t.tm_mon + 1,
           t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
  const long off = t.tm_gmtoff;
  const long a = off < 0 ? -off : off;
  snprintf(c.tz, sizeof c.tz, "%c%02ld:%02ld", off < 0 ? '-' : '+', (a / 3600) % 100,
           (a / 60) % 60);
  c.sec = sec;
  return c;
}

// The header as a list of fields, each kept or dropped whole.
struct Fields {
  std::array<std::string_view, 16> f;
  size_t n = 0;
  void add(std::string_view s) { f[n++] = s; }
};

}  // namespace

void build_syslog_line(SyslogFormat format, int facility, int level, const SyslogMeta& meta,
                       std::string_view sd, std::string_view msg, int maxlen, bool newline_in_len,
                       const timeval& now, std::string* out) {
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\0')) msg.remove_suffix(1);
  while (!sd.empty() && sd.back() == ' ') sd.remove_suffix(1);
  Fields h;
  char pri[8];
  switch (format) {
    case SyslogFormat::kLocal:
    case SyslogFormat::kRfc3164:
    case SyslogFormat::kRfc5424:
    case SyslogFormat::kPriority:
      h.add(std::string_view(pri, snprintf(pri, sizeof pri, "<%d>", facility * 8 + level)));
      break;
    case SyslogFormat::kShort:
    case SyslogFormat::kTimed:  // the facility is left out
      h.add(std::string_view(pri, snprintf(pri, sizeof pri, "<%d>", level)));
      break;
    case SyslogFormat::kIso:
    case SyslogFormat::kRaw:
      break;
  }
  const DateCache& d = dates(now.tv_sec);
  char iso[128];
  switch (format) {
    case SyslogFormat::kLocal:
    case SyslogFormat::kRfc3164:
      h.add(d.legacy);
      break;
    case SyslogFormat::kRfc5424:
      h.add("1 ");
      [[fallthrough]];
    case SyslogFormat::kTimed:
    case SyslogFormat::kIso:
      h.add(std::string_view(
          iso, snprintf(iso, sizeof iso, "%s.%06ld%s ", d.iso, long(now.tv_usec), d.tz)));
      break;
    default:
      break;
  }
  switch (format) {
    case SyslogFormat::kRfc3164:
      h.add(meta.hostname.empty() ? "localhost" : meta.hostname);
      h.add(" ");
      [[fallthrough]];
    case SyslogFormat::kLocal:
      h.add(meta.tag);
      h.add("[");
      h.add(meta.pid);
      h.add("]: ");
      break;
    case SyslogFormat::kRfc5424:
      for (std::string_view v : {meta.hostname, meta.tag, meta.pid, std::string_view(), sd}) {
        h.add(v.empty() ? "-" : v);
        h.add(" ");
      }
      break;
    default:
      break;
  }
  size_t budget = size_t(maxlen) - (newline_in_len ? 1 : 0);
  bool cut = false;
  for (size_t i = 0; i < h.n; ++i) {
    if (budget <= h.f[i].size()) {  // a field that does not fit ends the line
      if (newline_in_len) out->append(h.f[i].substr(0, budget));  // cut, as HAProxy's fd writer
      cut = true;
      break;
    }
    out->append(h.f[i]);
    budget -= h.f[i].size();
  }
  if (!cut) out->append(msg.substr(0, budget));
  out->push_back('\n');
}

}  // namespace hearth::stream
