#pragma once
// Internal to the parser: one directive, the diagnostics sink, the state of a
// proxy section, and argument helpers that report their own errors. Keyword
// handlers (global_keywords.cc, proxy_keywords.cc, server_keywords.cc,
// http_rule_keywords.cc) are written against this header only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/lexer.h"
#include "config/model.h"

namespace hearth::config::detail {

// One non-empty configuration line, split into words.
struct Directive {
  SourceLoc loc;
  std::vector<std::string> words;
  // The environment the line was read with (server addresses expand more).
  const EnvLookup* env = nullptr;

  size_t size() const { return words.size(); }
  const std::string& operator[](size_t i) const { return words[i]; }
};

// Collects diagnostics into a ParseResult.
class Reporter {
 public:
  explicit Reporter(ParseResult& result) : result_(result) {}
  void error(const SourceLoc& loc, std::string keyword, std::string message);
  void warning(const SourceLoc& loc, std::string keyword, std::string message);

 private:
  ParseResult& result_;
};

// A proxy or defaults section being parsed. `server_defaults` holds what
// default-server lines set; later server lines start from it.
struct ProxySection {
  ProxyConfig proxy;
  ServerConfig server_defaults;
  // The named defaults section whose TCP/HTTP rules this section holds (its
  // own, or inherited); line 0: none. Such a defaults section serves either
  // frontends or backends, never listen sections (HAProxy 2.6).
  SourceLoc rules_defaults;
  // What those rules allow: kFrontendsOnly when the defaults section has
  // tcp-request connection or session rules (a backend cannot run them),
  // kBackendsOnly when it has tcp-response rules (a frontend cannot).
  enum RulesUsers : uint8_t { kFrontendsOnly = 1, kBackendsOnly = 2 };
  uint8_t rules_users = 0;
  // The global section said expose-experimental-directives before this
  // section began (normalize-uri needs it).
  bool experimental = false;
};

// Which section kinds accept a keyword. A listen section accepts anything a
// frontend or a backend accepts.
enum SectionMask : unsigned {
  kInDefaults = 1,
  kInFrontend = 2,
  kInBackend = 4,
  kFrontSide = kInDefaults | kInFrontend,
  kBackSide = kInDefaults | kInBackend,
  kInProxies = kInFrontend | kInBackend,
  kAnywhere = kInDefaults | kInFrontend | kInBackend,
};

// What to do when a keyword appears in a section kind that does not accept it.
// kReject: error. kIgnore: warn and drop it (HAProxy's behaviour for settings
// that merely have no effect there, e.g. "timeout client" in a backend).
enum class Misplaced { kReject, kIgnore };

// Returns: true if the keyword applies to `kind`; otherwise reports an error
// or a warning as `misplaced` says and returns false.
bool check_section(const Directive& d, const std::string& keyword, ProxyKind kind, unsigned allowed,
                   Misplaced misplaced, Reporter& rep);

// Returns: true if the directive has between `min` and `max` words in total;
// otherwise reports "missing argument" / "unexpected argument" with `usage`.
bool check_arity(const Directive& d, const std::string& keyword, size_t min, size_t max,
                 const std::string& usage, Reporter& rep);

// Expands "$NAME" / "${NAME}" in the address word d[i], as HAProxy does
// outside quotes in addresses (server_address.h); an unset variable is empty,
// with a warning. `what` names the word in messages ("address 'X'").
// Returns: the expanded text, or nullopt after reporting an error (a malformed
// reference, or an address that unset variables left empty, as HAProxy).
std::optional<std::string> address_arg(const Directive& d, size_t i, const std::string& keyword,
                                       const std::string& what, Reporter& rep);

// Parses d[i] as an integer in [lo, hi]. Returns: the value, or nullopt after
// reporting an error that names the accepted range.
std::optional<int64_t> int_arg(const Directive& d, size_t i, const std::string& keyword, int64_t lo,
                               int64_t hi, Reporter& rep);

// Parses d[i] as a duration. Returns: milliseconds, or nullopt after
// reporting an error that gives examples of accepted durations.
std::optional<int64_t> duration_arg(const Directive& d, size_t i, const std::string& keyword,
                                    Reporter& rep);

// Returns: true if `name` is a usable proxy or server name: non-empty, made
// of letters, digits, '-', '_', '.' and ':' (the characters HAProxy allows).
bool is_valid_name(const std::string& name);

// Returns: "a, b or c" for {"a", "b", "c"}.
std::string one_of(const std::vector<std::string>& choices);

}  // namespace hearth::config::detail
