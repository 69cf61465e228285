#include "stream/error_capture.h"

#include <ctime>
#include <map>
#include <mutex>
#include <utility>

namespace hearth::stream {
namespace {

struct Store {
  std::mutex mu;
  // (response?, proxy id) -> the last capture.
  std::map<std::pair<int, int>, ErrorCapture> last;
  uint64_t total = 0;
};

Store& store() {
  static Store s;
  return s;
}

// "[01/Dec/2026:23:59:56.063]"
std::string date(int64_t ms) {
  const time_t sec = time_t(ms / 1000);
  tm t;
  localtime_r(&sec, &t);
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char b[64];
  snprintf(b, sizeof b, "[%02d/%s/%04d:%02d:%02d:%02d.%03d]", t.tm_mday, kMonths[t.tm_mon],
           t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec, int(ms % 1000));
  return b;
}

void escape(unsigned char c, std::string& out) {
  switch (c) {
    case '\t':
      out += "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\\':
      out += "\\\\";
      return;
  }
  if (c < 0x20 || c >= 0x7f) {
    char b[8];
    snprintf(b, sizeof b, "\\x%02x", c);
    out += b;
    return;
  }
  out.push_back(char(c));
}

}  // namespace

void capture_error(ErrorCapture c) {
  Store& s = store();
  std::lock_guard<std::mutex> g(s.mu);
  const auto key = std::make_pair(c.response ? 1 : 0, c.proxy_id);
  c.event = s.total++;  // HAProxy numbers the events process-wide
  s.last[key] = std::move(c);
}

std::vector<ErrorCapture> captured_errors(uint64_t* total) {
  Store& s = store();
  std::lock_guard<std::mutex> g(s.mu);
  *total = s.total;
  std::vector<ErrorCapture> out;
  for (const auto& [key, c] : s.last) out.push_back(c);
  return out;
}

std::string dump_text(std::string_view data) {
  constexpr size_t kRow = 70;  // characters of text per row, escapes included
  std::string out;
  size_t i = 0;
  bool continued = false;
  while (i < data.size()) {
    char head[32];
    snprintf(head, sizeof head, "  %05zu%c ", i, continued ? '+' : ' ');
    out += head;
    std::string row;
    while (i < data.size()) {
      const unsigned char c = static_cast<unsigned char>(data[i]);
      std::string piece;
      escape(c, piece);
      if (!row.empty() && row.size() + piece.size() > kRow) break;
      row += piece;
      ++i;
      if (c == '\n') break;
    }
    out += row + "\n";
    continued = i < data.size() && data[i - 1] != '\n';
  }
  return out;
}

std::string format_errors(const std::vector<ErrorCapture>& captures, uint64_t total,
                          int64_t now_ms) {
  std::string o = "Total events captured on " + date(now_ms) + " : " + std::to_string(total) + "\n";
  for (const ErrorCapture& c : captures) {
    o += " \n" + date(c.when_ms) + (c.response ? " backend " : " frontend ") + c.proxy + " (#" +
         std::to_string(c.proxy_id) + "): invalid " + (c.response ? "response" : "request") +
         "\n  " + (c.response ? "frontend " : "backend ") + c.other_proxy + " (#" +
         std::to_string(c.other_id) + "), server " + c.server + " (#" +
         std::to_string(c.server_id) + "), event #" + std::to_string(c.event) + ", src " + c.src +
         "\n";
    o += "  buffer starts at 0 (including 0 out), " +
         std::to_string(c.buffer_size > c.data.size() ? c.buffer_size - c.data.size() : 0) +
         " free,\n  len " + std::to_string(c.data.size()) + ", wraps at " +
         std::to_string(c.buffer_size) + ", error at position " + std::to_string(c.error_at) +
         "\n  " + c.reason + ", answered " + std::to_string(c.status) + " :\n  \n";
    o += dump_text(c.data);
  }
  return o + "\n";
}

}  // namespace hearth::stream
