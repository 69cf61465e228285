#pragma once
// stick match / on / store-request / store-response (HAProxy 2.6 manual 4.2)
// at run time: a backend's rules, in order, find the server a table entry
// names for the request (match, on) and remember keys (on, store-request,
// store-response) that are stored with the server the stream used once it
// is known. Only the first store rule of each table keeps its key, as in
// HAProxy, so rules can go from the most precise key to the least.
#include <cstdint>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "config/model.h"
#include "stick/table.h"

namespace hearth::stream {

class TxnFetch;

// Keys waiting for their server (at most 8, as HAProxy's).
struct StickStores {
  static constexpr int kMax = 8;
  struct Item {
    stick::Table* table = nullptr;
    std::string key;
  };
  Item items[kMax];
  int n = 0;
  bool has(const stick::Table* t) const;
  void add(stick::Table* t, std::string_view key);
};

// What the match rules found: the server of the first entry found that
// names one of the backend's servers (nullptr: none), and whether it is up.
struct StickMatch {
  backend::Server* server = nullptr;
  bool serving = false;
};

// Runs the request rules (match, on, store-request) of `rules` for the
// backend `be`. `assigned`: a server is already chosen (use-server, a
// persistence cookie): entries found are touched, not followed. Keys to
// store go to *stores.
StickMatch stick_request_rules(const std::vector<config::StickRule>& rules,
                               const backend::Backend& be, TxnFetch& ctx, bool assigned,
                               StickStores* stores);
// Runs the store-response rules (a table that has a request key is passed).
void stick_response_rules(const std::vector<config::StickRule>& rules, TxnFetch& ctx,
                          StickStores* stores);
// Stores every key with `srv`'s id (its puid) and empties *stores.
void stick_commit(StickStores* stores, const backend::Server& srv, int64_t now_ms);

}  // namespace hearth::stream
