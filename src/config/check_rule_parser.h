#pragma once
// The parts of a check rule line that tcp-check and http-check share:
// connect options, expect options, set-var/unset-var, and binary patterns.
// Each function reads words of `d` from an index and reports problems under
// `kw` ("tcp-check expect", ...). Internal to the parser.
#include <string>

#include "config/check_model.h"
#include "config/parse_context.h"

namespace hearth::config::detail {

// Where a check's formats and expressions run: the connection and the bytes
// (or the HTTP response) received.
inline constexpr uint8_t kCheckUse = expr::kUseConn | expr::kUseL6Res | expr::kUseRes;

// "connect" options from d[at] on into rule->connect (and rule->comment).
// `http`: http-check connect (no send-binary-like options differ today).
// Returns: false after reporting.
bool parse_check_connect(const Directive& d, size_t at, const std::string& kw, CheckRule* rule,
                         Reporter& rep);

// One expect option at d[*i] ("min-recv N", "comment C", "ok-status S",
// "error-status S", "tout-status S", "on-success FMT", "on-error FMT",
// "status-code EXPR"), moving *i past it. Returns: 1 if applied, 0 if d[*i]
// is not an option, -1 after reporting.
int parse_expect_option(const Directive& d, size_t* i, const std::string& kw, CheckRule* rule,
                        Reporter& rep);

// "set-var(NAME[,COND...]) EXPR", "set-var-fmt(NAME[,COND...]) FMT" or
// "unset-var(NAME)" as d[1] (the action word) and d[2]. Returns: false after
// reporting.
bool parse_check_var(const Directive& d, const std::string& kw, CheckRule* rule, Reporter& rep);

// Decodes an even-length hex string. Returns: false if it is not one.
bool decode_hex(const std::string& hex, std::string* out);

// Compiles a regex for an expect rule. Returns: null after reporting.
std::shared_ptr<const expr::Regex> compile_check_regex(const Directive& d, const std::string& kw,
                                                       const std::string& pattern, Reporter& rep);

// Parses a log-format string of a check rule. Returns: null after reporting.
std::shared_ptr<const expr::LogFormat> parse_check_format(const Directive& d, const std::string& kw,
                                                          const std::string& text, Reporter& rep);

// Parses one "tcp-check ACTION ..." line into *rule (tcp_check_keywords.cc).
// Returns: false after reporting.
bool parse_tcp_check_rule(const Directive& d, CheckRule* rule, Reporter& rep);

// The section's rules are about to get a rule of `kind`: the first rule line
// of a section drops the rules a defaults section gave; rules of the other
// kind are refused. Returns: false after reporting.
bool own_check_rules(const Directive& d, const std::string& kw, CheckConfig::RulesKind kind,
                     CheckConfig& c, Reporter& rep);

}  // namespace hearth::config::detail
