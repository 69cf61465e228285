#include "backend/agent_reply.h"

#include <cstdlib>

#include "http/headers.h"

namespace hearth::backend {

std::optional<AgentReply> parse_agent_reply(std::string_view data) {
  const size_t eol = data.find_first_of("\r\n");
  if (eol == std::string_view::npos) return std::nullopt;
  std::string_view line = data.substr(0, eol);
  const size_t nul = line.find('\0');
  if (nul != std::string_view::npos) line = line.substr(0, nul);
  AgentReply r;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == ',') {
      ++i;
      continue;
    }
    if (c == '#') {
      ++i;
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      r.description = std::string(line.substr(i));
      break;
    }
    size_t end = i + 1;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != ',') ++end;
    const std::string_view w = line.substr(i, end - i);
    i = end;
    if (http::iequals(w, "up") || http::iequals(w, "down") || http::iequals(w, "stopped") ||
        http::iequals(w, "fail")) {
      r.health = std::string(w);
    } else if (http::iequals(w, "ready") || http::iequals(w, "drain") ||
               http::iequals(w, "maint")) {
      r.admin = std::string(w);
    } else if (w[0] >= '0' && w[0] <= '9' && w.find('%') != std::string_view::npos) {
      r.weight = std::string(w);
    } else if (w.size() >= 8 && http::iequals(w.substr(0, 8), "maxconn:")) {
      r.maxconn = std::string(w.substr(8));
    } else if (r.error.empty()) {
      r.error = std::string(w);
    }
  }
  return r;
}

std::optional<int> agent_weight(std::string_view pct, int iweight, std::string* err) {
  const std::string t(pct);
  char* end = nullptr;
  const long v = std::strtol(t.c_str(), &end, 10);
  if (end == t.c_str() || *end != '%' || v < 0 || v > 100000) {
    *err = "invalid weight '" + t + "'";
    return std::nullopt;
  }
  const int64_t w = int64_t(iweight) * v / 100;
  if (w > 256) {
    *err = "weight '" + t + "' goes beyond 256";
    return std::nullopt;
  }
  return int(w);
}

}  // namespace hearth::backend
