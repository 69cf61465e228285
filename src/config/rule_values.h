#pragma once
// Internal to the parser: the values HTTP rules carry (header names, literal
// and log-format values) and the deny/return reply options, shared by the
// rule keywords (http_rule_keywords.cc, reply_keywords.cc,
// redirect_keyword.cc).
#include <cstdint>
#include <optional>
#include <string>

#include "config/keywords.h"

namespace hearth::config::detail {

bool is_token_char(char c);
// Returns: true if `s` is a valid header field name (an HTTP token).
bool is_header_name(const std::string& s);
// A value taken as literal text, "%%" standing for '%'. Returns: the text, or
// nullopt after reporting a CR, LF, NUL or a lone '%'.
std::optional<std::string> literal_value(const Directive& d, const std::string& kw,
                                         const std::string& raw, Reporter& rep);
// Where the fetches of a rule of directive `d` read (FetchUse bits).
uint8_t rule_use(const Directive& d);
// A log-format value (8.2.4): fixed text goes to rule.value, anything with
// %[...] or a %-variable to rule.fmt. Returns: false after reporting.
bool format_value(const Directive& d, const std::string& kw, const std::string& raw, HttpRule& rule,
                  Reporter& rep);

// Words each deny/return reply option takes, itself included (0: not one).
size_t reply_option_words(const std::string& o, bool deny);
// deny|return [status|deny_status N] [content-type T]
//   [string S | lf-string FMT | file F | lf-file F] [hdr NAME FMT]...
// from d[2]. Returns: false after reporting.
bool parse_reply_action(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep);

// add-acl(FILE) KEYFMT | del-acl(FILE) KEYFMT | set-map(FILE) KEYFMT VALUEFMT |
// del-map(FILE) KEYFMT (map_action_keywords.cc). Returns: false if d[1] is
// none of them; else true with *ok and *cond_at (where a condition starts).
bool parse_map_action(const Directive& d, const std::string& kw, HttpRule& rule, size_t* cond_at,
                      bool* ok, Reporter& rep);

}  // namespace hearth::config::detail
