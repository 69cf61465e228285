#pragma once
// The stats page of a proxy (HAProxy's "stats" keywords in defaults,
// frontend, listen and backend sections): where it answers, who may see it,
// who may act on it, and what it shows.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "expr/condition.h"

namespace hearth::config {

// "stats http-request allow|deny|auth [realm R] [if|unless COND]".
struct StatsRule {
  enum class Action { kAllow, kDeny, kAuth } action = Action::kAllow;
  std::string realm;                            // auth: the realm ("" : the page's)
  std::shared_ptr<const expr::Condition> cond;  // null: always
};

struct StatsPageConfig {
  bool enabled = false;  // "stats enable" or any keyword that implies it
  int line = 0;          // where it was first enabled (messages)
  std::string file;
  std::string uri = "/haproxy?stats";  // a prefix of the request's path and query
  std::string realm = "HAProxy Statistics";
  // "stats auth USER:PASS" lines: with any, a request must carry one of them.
  std::vector<std::pair<std::string, std::string>> users;
  int64_t refresh_ms = 0;  // "stats refresh": the page asks the browser to reload
  bool hide_version = false;
  bool show_node = false;
  std::string node;  // "stats show-node NAME"; empty: the global node name
  bool show_desc = false;
  std::string desc;  // "stats show-desc TEXT"; empty: the global description
  bool show_legends = false;
  bool show_modules = false;
  // "stats scope NAME|." lines: only these proxies are shown ("." : the section's own);
  // empty: every proxy.
  std::vector<std::string> scope;
  std::vector<StatsRule> rules;
  // "stats admin if|unless COND": the page offers and accepts admin actions when
  // one holds.
  std::vector<std::shared_ptr<const expr::Condition>> admin;
};

}  // namespace hearth::config
