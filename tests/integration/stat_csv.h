#pragma once
// Reading `show stat` the way HAProxy writes it (CSV, a header line naming
// the columns), for tests that compare columns between haproxy and hearth.
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"

namespace hearth::test {

// One CSV line split as HAProxy quotes it (a field holding a comma is
// quoted, a quote inside is doubled).
inline std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// Returns: every row of `show stat` on `sock`, keyed "pxname/svname", by
// column name.
inline std::map<std::string, std::map<std::string, std::string>> stat_table(
    const std::string& sock) {
  std::map<std::string, std::map<std::string, std::string>> t;
  std::istringstream in(http::stats_command(sock, "show stat"));
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# ", 0) == 0) {
      names = csv_fields(line.substr(2));
      continue;
    }
    const std::vector<std::string> f = csv_fields(line);
    if (f.size() < 2) continue;
    auto& row = t[f[0] + "/" + f[1]];
    for (size_t i = 0; i < names.size() && i < f.size(); ++i) row[names[i]] = f[i];
  }
  return t;
}

// Returns: the row of proxy `px`, server (or FRONTEND/BACKEND) `sv` of
// `show stat` on the stats socket `sock`, by column name; empty if absent.
// The "* " that marks a check in flight in check_status and agent_status is
// dropped: whether a check happens to be running is timing, not state.
inline std::map<std::string, std::string> stat_row(const std::string& sock, const std::string& px,
                                                   const std::string& sv) {
  auto t = stat_table(sock);
  const auto it = t.find(px + "/" + sv);
  if (it == t.end()) return {};
  std::map<std::string, std::string> out = std::move(it->second);
  for (const char* col : {"check_status", "agent_status"}) {
    std::string& v = out[col];
    if (v.rfind("* ", 0) == 0) v.erase(0, 2);
  }
  return out;
}

}  // namespace hearth::test
