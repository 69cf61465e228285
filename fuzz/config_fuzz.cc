// Fuzzes the configuration parser and validator: any byte string must parse
// into diagnostics without crashing, hanging or leaking. Every diagnostic is
// also rendered, so that message building is covered too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/parser.h"
#include "config/validate.h"

namespace {

// A fixed environment: fuzzing must not depend on the machine's variables.
std::optional<std::string> fuzz_env(const std::string& name) {
  if (name == "PORT") return std::string("8080");
  if (name == "LIST") return std::string("a b  c");
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  hearth::config::ParseResult r = hearth::config::parse_string(text, "fuzz.cfg", fuzz_env);
  hearth::config::validate(r);
  size_t total = 0;
  for (const auto& d : r.errors) total += d.str().size();
  for (const auto& d : r.warnings) total += d.str().size();
  // Every proxy must be findable under its own name by one of its roles.
  for (const auto& p : r.config.proxies) {
    if (r.config.find(p.name, true) == nullptr && r.config.find(p.name, false) == nullptr) {
      __builtin_trap();
    }
  }
  return total == static_cast<size_t>(-1);  // keeps `total` observable
}
