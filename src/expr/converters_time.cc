// Dates (HAProxy manual 7.3.1): utime, ltime and http_date. As HAProxy, the
// date is masked to 55 bits first, so that a negative one becomes a far
// future one instead of failing.
#include <cstdio>
#include <ctime>

#include "expr/converters_more.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

constexpr int64_t kDateMask = 0x007fffffffffffffLL;

// utime(format[,offset]) and ltime(): strftime(3) of the UTC or local date;
// a result that does not fit is empty, as strftime() gives it.
bool format_time(const Arg* a, size_t n, Sample& smp, bool local) {
  time_t t = time_t(smp.sint & kDateMask);
  if (n > 1) t = time_t(uint64_t(t) + uint64_t(a[1].sint));
  struct tm tm;
  if (!(local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm))) return false;
  Chunk c = next_chunk();
  const size_t len = std::strftime(c.data, c.size, a[0].str.c_str(), &tm);
  smp.set_str(std::string_view(c.data, len));
  return true;
}

bool conv_utime(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  return format_time(a, n, smp, false);
}

bool conv_ltime(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  return format_time(a, n, smp, true);
}

// The units of http_date, kept in args[1].sint.
enum TimeUnit : int64_t { kSeconds, kMillis, kMicros };

// http_date([offset[,unit]]): the offset is in the input's unit and added
// before the division. With ms or us, HAProxy prints the fraction with %d:
// 12 ms is ".12", -500 ms ".-500".
bool conv_http_date(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  static const char kDays[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char kMonths[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t v = smp.sint;
  if (n > 0) v = int64_t(uint64_t(v) + uint64_t(a[0].sint));
  const int64_t unit = n > 1 ? a[1].sint : kSeconds;
  const int64_t per_sec = unit == kMillis ? 1000 : unit == kMicros ? 1000000 : 1;
  const int64_t frac = v % per_sec;
  const time_t t = time_t((v / per_sec) & kDateMask);
  struct tm tm;
  if (!gmtime_r(&t, &tm)) return false;
  Chunk c = next_chunk();
  char fraction[24] = "";
  if (unit != kSeconds) std::snprintf(fraction, sizeof fraction, ".%d", int(frac));
  const int len = std::snprintf(c.data, c.size, "%s, %02d %s %04d %02d:%02d:%02d%s GMT",
                                kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                                1900 + tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec, fraction);
  if (len < 0 || size_t(len) >= c.size) return false;
  smp.set_str(std::string_view(c.data, size_t(len)));
  return true;
}

bool check_http_date(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args.size() < 2) return true;
  const std::string& u = args[1].str;
  if (u == "s" || u == "ms" || u == "us") {
    args[1].sint = u == "s" ? kSeconds : u == "ms" ? kMillis : kMicros;
    return true;
  }
  *err = "expects 's', 'ms' or 'us', got '" + u + "'";
  return false;
}

const ConvDef kConverters[] = {
    {"utime", {1, {A::kStr, A::kSint}}, T::kSint, T::kStr, conv_utime},
    {"ltime", {1, {A::kStr, A::kSint}}, T::kSint, T::kStr, conv_ltime},
    {"http_date", {0, {A::kSint, A::kStr}}, T::kSint, T::kStr, conv_http_date, check_http_date},
};

}  // namespace

const ConvDef* find_time_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
