#pragma once
// Helpers shared by the config unit tests.
#include <map>
#include <string>

#include "config/parser.h"
#include "config/validate.h"

namespace hearth::config::testing {

// Returns: an EnvLookup that knows exactly `vars`.
inline EnvLookup fake_env(std::map<std::string, std::string> vars = {}) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Parses `text` as "t.cfg" with an empty environment.
inline ParseResult parse(const std::string& text) {
  return parse_string(text, "t.cfg", fake_env());
}

// Parses then validates `text` as "t.cfg".
inline ParseResult parse_and_validate(const std::string& text) {
  ParseResult r = parse(text);
  validate(r);
  return r;
}

// Returns: every diagnostic's str(), one per line (for failure messages).
inline std::string dump(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += d.str() + "\n";
  return out;
}

// Returns: the only error's str(), or a description of why there is not
// exactly one error.
inline std::string only_error(const ParseResult& r) {
  if (r.errors.size() != 1) return "expected one error, got:\n" + dump(r.errors);
  return r.errors[0].str();
}

// Returns: true if str() of some diagnostic starts with `prefix` and contains
// `fragment`.
inline bool has(const std::vector<Diagnostic>& ds, const std::string& prefix,
                const std::string& fragment = "") {
  for (const Diagnostic& d : ds) {
    const std::string s = d.str();
    if (s.rfind(prefix, 0) == 0 && s.find(fragment) != std::string::npos) return true;
  }
  return false;
}

// A minimal valid tcp configuration, for tests that add one line to it.
inline const char* kValidTcp =
    "defaults\n"
    "  mode tcp\n"
    "  timeout connect 5s\n"
    "  timeout client 30s\n"
    "  timeout server 30s\n"
    "frontend fe\n"
    "  bind :8080\n"
    "  default_backend be\n"
    "backend be\n"
    "  server s1 127.0.0.1:9000\n";

}  // namespace hearth::config::testing
