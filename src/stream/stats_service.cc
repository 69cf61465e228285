#include "stream/stats_service.h"

namespace hearth::stream {
namespace {

StatsPageFn g_fn = nullptr;
void* g_ctx = nullptr;

}  // namespace

void set_stats_page_builder(StatsPageFn fn, void* ctx) {
  g_fn = fn;
  g_ctx = ctx;
}

bool build_stats_page(const StatsPageRequest& req, StatsPageAnswer* out) {
  if (!g_fn) return false;
  g_fn(req, out, g_ctx);
  return true;
}

bool stats_uri_matches(std::string_view uri, std::string_view target, std::string_view* rest) {
  if (!uri.empty() && uri[0] == '/' && !target.empty() && target[0] != '/') {
    const size_t scheme = target.find("://");  // an absolute target: its path and query
    if (scheme == std::string_view::npos) return false;
    const size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash);
  }
  if (target.substr(0, uri.size()) != uri) return false;
  *rest = target.substr(uri.size());
  return true;
}

}  // namespace hearth::stream
