#pragma once
// Active health checks as HAProxy 2.6 models them: a check is an ordered list
// of rules (connect, send, expect, comment, set-var, unset-var) run once per
// check. "option tcp-check" + "tcp-check" lines, "option httpchk" +
// "http-check" lines and the protocol checks (redis, mysql, pgsql, smtp,
// ldap, ssl-hello) all become such a list. Pure data, checked when read;
// the runtime (backend/health_check.h) runs it as it is.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/enums.h"
#include "config/external_check_model.h"
#include "expr/log_format.h"
#include "expr/regex.h"
#include "expr/sample_expr.h"
#include "expr/vars.h"

namespace hearth::config {

struct SourceLoc;

// Which kind of check a backend runs on its servers ("option ...").
enum class CheckType : uint8_t {
  kL4,        // no check option: connect (and TLS handshake) only
  kTcp,       // option tcp-check
  kHttp,      // option httpchk
  kRedis,     // option redis-check
  kMysql,     // option mysql-check
  kPgsql,     // option pgsql-check
  kSmtp,      // option smtpchk
  kLdap,      // option ldap-check
  kSslHello,  // option ssl-hello-chk
  kAgent,     // an agent-check (built by the runtime, not by an option)
  kExternal,  // option external-check: a command's exit status (no rules)
};

// "connect [default] [port N] [addr A] [send-proxy] [ssl] [sni S] [alpn L]
// [linger] [comment C]".
struct CheckConnect {
  bool is_default = false;  // the server's check settings (port, addr, ssl, send-proxy, sni)
  bool implicit = false;    // added ahead of rules that do not start with a connect
  int port = 0;             // 0: the server's check port, else its port
  std::string addr;         // "": the server's check address, else its address
  bool send_proxy = false;
  bool ssl = false;
  std::string sni;
  std::vector<std::string> alpn;  // offered by ALPN in this order (empty: the server's)
  bool linger = false;
  bool via_socks4 = false;  // through the server's socks4 proxy (if it has one)
};

// A send rule: raw bytes (tcp-check send, send-binary and their -lf forms)
// or an HTTP request (http-check send, option httpchk).
struct CheckSend {
  enum class Kind : uint8_t { kString, kBinary, kStringLf, kBinaryLf, kHttp };
  Kind kind = Kind::kString;
  std::string data;                            // kString, kBinary: the bytes
  std::shared_ptr<const expr::LogFormat> fmt;  // kStringLf, kBinaryLf
  // kHttp. A header value or the URI/body "-lf" forms are log-format strings.
  std::string method = "OPTIONS";
  std::string uri = "/";
  std::shared_ptr<const expr::LogFormat> uri_fmt;  // uri-lf
  std::string version = "HTTP/1.0";
  std::string raw_header_lines;  // option httpchk's old "VERSION\r\nName: value" form
  std::vector<std::pair<std::string, std::shared_ptr<const expr::LogFormat>>> headers;
  std::string body;
  std::shared_ptr<const expr::LogFormat> body_fmt;  // body-lf
  bool from_option = false;  // built by "option httpchk" (a later http-check send merges in)
};

// How "http-check expect hdr|fhdr" matches a header name or value:
// -m str (default), beg, end, sub or reg; the "-lf" forms evaluate a format.
struct CheckHdrMatch {
  enum class Method : uint8_t { kStr, kBeg, kEnd, kSub, kReg };
  Method method = Method::kStr;
  std::string text;
  std::shared_ptr<const expr::LogFormat> fmt;
  std::shared_ptr<const expr::Regex> regex;
};

struct CheckExpect {
  enum class Kind : uint8_t {
    kString,    // the bytes contain the text (tcp) / the body does (http)
    kRString,   // a regex matches the bytes / the body
    kBinary,    // the bytes contain the binary data
    kRBinary,   // a regex matches the hex dump of the bytes
    kStringLf,  // string-lf: the text a format gives
    kBinaryLf,  // binary-lf: the hex a format gives
    kStatus,    // http: the status is in one of `ranges`
    kRStatus,   // http: a regex matches the status code
    kHdr,       // http: a header field (values split at commas)
    kFhdr,      // http: a full header line
    kCustom,    // a protocol's own parser (mysql, ldap)
  };
  enum class Custom : uint8_t { kNone, kMysqlHandshake, kMysqlOk, kLdapBind, kAgentReply };
  Kind kind = Kind::kString;
  bool negate = false;
  std::string pattern;  // as written, for messages
  std::string data;     // kString, kBinary: the bytes to find
  std::shared_ptr<const expr::Regex> regex;
  std::shared_ptr<const expr::LogFormat> fmt;  // kStringLf, kBinaryLf
  std::vector<std::pair<int, int>> ranges;     // kStatus: inclusive ranges
  CheckHdrMatch name;                          // kHdr, kFhdr
  std::optional<CheckHdrMatch> value;          // kHdr, kFhdr: "value ..." given
  Custom custom = Custom::kNone;
  int min_recv = -1;  // -1: not set
  std::optional<CheckStatus> ok_status, error_status, tout_status;
  std::shared_ptr<const expr::LogFormat> on_success, on_error;
  std::shared_ptr<const expr::SampleExpr> status_code;
  bool implicit = false;  // the default HTTP expectation (2xx or 3xx)
};

struct CheckRule {
  enum class Action : uint8_t { kConnect, kSend, kExpect, kComment, kSetVar, kUnsetVar };
  Action action = Action::kComment;
  std::string comment;  // "comment TEXT" (or a comment rule's text)
  CheckConnect connect;
  CheckSend send;
  CheckExpect expect;
  // set-var(NAME[,COND...]) EXPR | set-var-fmt(NAME[,COND...]) FMT | unset-var(NAME)
  expr::VarName var;
  uint16_t var_conds = 0;
  std::shared_ptr<const expr::SampleExpr> var_expr;
  std::shared_ptr<const expr::LogFormat> var_fmt;
};

// A backend's check: its type and its rules.
struct CheckConfig {
  CheckType type = CheckType::kL4;
  // The tcp-check or http-check lines of the section (or inherited from its
  // defaults section until the section writes its own).
  enum class RulesKind : uint8_t { kNone, kTcp, kHttp };
  RulesKind rules_kind = RulesKind::kNone;
  std::vector<CheckRule> rules;
  int rules_line = 0;      // of the first such line; 0: none
  std::string rules_file;  //   and its file
  bool rules_inherited = false;
  // The fixed rules of a protocol check (redis, mysql, ...), built by its option.
  std::vector<CheckRule> proto_rules;
  bool send_state = false;      // http-check send-state
  bool disable_on_404 = false;  // http-check disable-on-404
  int disable_on_404_line = 0;  //   its line (0: inherited or none)
  std::string disable_on_404_file;
  // Variables a protocol check sets before its rules (smtp's command).
  std::vector<std::pair<expr::VarName, std::string>> preset_vars;
  ExternalCheckConfig external;  // external-check command / path
};

}  // namespace hearth::config
