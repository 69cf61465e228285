#include "admin/error_commands.h"

#include <algorithm>
#include <charconv>

#include "backend/backend.h"
#include "stream/error_capture.h"
#include "stream/frontend.h"
#include "stream/session_log.h"

namespace hearth::admin {

std::string cli_show_errors(const std::vector<std::string>& w,
                            const std::vector<stream::Frontend*>& frontends,
                            const std::vector<backend::Backend*>& backends) {
  if (w.size() < 2 || w[0] != "show" || w[1] != "errors") return "";
  int only_id = -1;  // -1: every proxy
  int kind = -1;     // -1 both, 0 requests, 1 responses
  for (size_t i = 2; i < w.size(); ++i) {
    if (w[i] == "request" || w[i] == "response") {
      kind = w[i] == "response";
      continue;
    }
    if (only_id != -1) continue;
    int id = 0;
    const char* end = w[i].data() + w[i].size();
    auto [p, ec] = std::from_chars(w[i].data(), end, id);
    bool found = false;
    const bool numeric = ec == std::errc() && p == end;
    for (const stream::Frontend* f : frontends)
      if (numeric ? f->id == id : f->name == w[i]) only_id = f->id, found = true;
    for (const backend::Backend* b : backends)
      if (numeric ? b->id == id : b->name() == w[i]) only_id = b->id, found = true;
    if (!found) return "No such proxy.\n\n";
  }
  uint64_t total = 0;
  std::vector<stream::ErrorCapture> all = stream::captured_errors(&total);
  std::vector<stream::ErrorCapture> shown;
  for (stream::ErrorCapture& c : all) {
    // A proxy's own captures, and those it was the other side of (as HAProxy).
    if (only_id != -1 && c.proxy_id != only_id && c.other_id != only_id) continue;
    if (kind != -1 && int(c.response) != kind) continue;
    shown.push_back(std::move(c));
  }
  // Proxy after proxy in id order, each one's request before its response.
  std::stable_sort(shown.begin(), shown.end(), [](const auto& a, const auto& b) {
    return a.proxy_id != b.proxy_id ? a.proxy_id < b.proxy_id : a.response < b.response;
  });
  return stream::format_errors(shown, total, stream::wall_clock_ms());
}

}  // namespace hearth::admin
