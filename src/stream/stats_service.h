#pragma once
// The stats page as the stream sees it: a request that the proxy's "stats"
// settings let through, handed to the page's builder (admin/stats_page, which
// sees every proxy), and the answer the stream sends as a local reply. The
// builder is registered once before the workers start.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/stats_page_model.h"

namespace hearth::stream {

struct StatsPageRequest {
  const config::StatsPageConfig* cfg = nullptr;
  std::string_view proxy;  // the proxy whose page it is ("stats scope .")
  bool post = false;
  std::string_view rest;  // the target after the stats URI (";csv", ";st=DONE"...)
  std::string_view body;  // the POST payload (form fields)
  bool admin = false;     // a "stats admin" condition holds
  std::string client;     // the client's address, for the log of admin actions
};

struct StatsPageAnswer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> fields;  // content-type, refresh, location...
  std::string body;
};

using StatsPageFn = void (*)(const StatsPageRequest& req, StatsPageAnswer* out, void* ctx);

// Registers the builder. Requires: before any worker thread runs.
void set_stats_page_builder(StatsPageFn fn, void* ctx);
// Builds the answer to `req`. Returns: false if no builder is registered.
bool build_stats_page(const StatsPageRequest& req, StatsPageAnswer* out);

// Returns: true if `target` asks for the page at `uri` (a prefix of its path
// and query; an absolute target's path is compared), and sets *rest to what
// follows the prefix.
bool stats_uri_matches(std::string_view uri, std::string_view target, std::string_view* rest);

}  // namespace hearth::stream
