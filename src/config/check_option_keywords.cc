// "option tcp-check" and the protocol checks: "option redis-check",
// "mysql-check [user U [post-41|pre-41]]", "pgsql-check user U",
// "smtpchk [EHLO|HELO DOMAIN]", "ldap-check", "ssl-hello-chk". Each
// protocol check is a fixed list of tcp-check rules, written here as the
// tcp-check lines HAProxy 2.6 defines for it and parsed like any other.
#include "config/check_rule_parser.h"
#include "config/keywords.h"

namespace hearth::config::detail {
namespace {

// The SSLv3 CLIENT HELLO of ssl-hello-chk, as hex with the time filled in
// per check: record and handshake headers, version 3.0, the time, 28 bytes of
// "HAPROXYSSLCHK\n" twice as the random, no session, 39 common cipher
// suites, NULL compression.
std::string ssl_hello_format() {
  std::string f =
      "160300007901000075"
      "0300"
      "%[date(),htonl,hex]";
  f += "484150524F585953534C43484B0A484150524F585953534C43484B0A";  // the random
  f += "00"
       "004E";
  static const char* const kCiphers[] = {
      "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "000A",
      "000B", "000C", "000D", "000E", "000F", "0010", "0011", "0012", "0013", "0014",
      "0015", "0016", "0017", "0018", "0019", "001A", "001B", "002F", "0030", "0031",
      "0032", "0033", "0034", "0035", "0036", "0037", "0038", "0039", "003A"};
  for (const char* c : kCiphers) f += c;
  f += "01"
       "00";
  return f;
}

std::string hex_of(const std::string& bytes) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// Parses one fixed "tcp-check ..." line (as words) into the list.
bool add_line(const Directive& at, std::vector<std::string> words, std::vector<CheckRule>* out,
              Reporter& rep) {
  Directive d;
  d.loc = at.loc;
  d.words = std::move(words);
  d.words.insert(d.words.begin(), "tcp-check");
  CheckRule r;
  if (!parse_tcp_check_rule(d, &r, rep)) return false;
  out->push_back(std::move(r));
  return true;
}

void add_custom(CheckExpect::Custom c, std::vector<CheckRule>* out) {
  CheckRule r;
  r.action = CheckRule::Action::kExpect;
  r.expect.kind = CheckExpect::Kind::kCustom;
  r.expect.custom = c;
  out->push_back(std::move(r));
}

std::string le24(size_t n) {
  return std::string{char(n & 0xff), char((n >> 8) & 0xff), char((n >> 16) & 0xff)};
}

// The MySQL client authentication packet (sequence 1) for `user`, no
// password, followed by COM_QUIT, in the old (pre-4.1) or the 4.1 format.
std::string mysql_login(const std::string& user, bool post41) {
  std::string body;
  if (post41) {
    body = std::string("\x00\x82\x00\x00", 4) + std::string("\x00\x80\x00\x01", 4) + "\x21" +
           std::string(23, '\0');
  } else {
    body = std::string("\x00\x80", 2) + std::string("\x00\x00\x01", 3);
  }
  body += user + std::string(1, '\0') + std::string(1, '\0');
  std::string pkt = le24(body.size()) + "\x01" + body;
  pkt += std::string("\x01\x00\x00\x00\x01", 5);  // COM_QUIT
  return pkt;
}

// The PostgreSQL StartupMessage (protocol 3.0) for `user`.
std::string pgsql_startup(const std::string& user) {
  std::string body = std::string("\x00\x03\x00\x00", 4) + "user" + std::string(1, '\0') + user +
                     std::string(1, '\0') + std::string(1, '\0');
  const uint32_t len = uint32_t(body.size() + 4);
  std::string pkt{char(len >> 24), char((len >> 16) & 0xff), char((len >> 8) & 0xff),
                  char(len & 0xff)};
  return pkt + body;
}

bool build(const Directive& d, const std::string& name, const std::string& kw, size_t first,
           CheckConfig& c, Reporter& rep) {
  std::vector<CheckRule> rules;
  const size_t nargs = d.size() - first;
  auto no_args = [&] {
    if (nargs == 0) return true;
    rep.error(d.loc, kw, "unexpected argument '" + d[first] + "': expects '" + kw + "' alone");
    return false;
  };
  if (name == "tcp-check") {
    if (!no_args()) return false;
    c.type = CheckType::kTcp;
    return true;
  }
  if (name == "redis-check") {
    if (!no_args()) return false;
    if (!add_line(d, {"send", "*1\r\n$4\r\nPING\r\n"}, &rules, rep) ||
        !add_line(d,
                  {"expect", "string", "+PONG\r\n", "error-status", "L7STS", "on-error",
                   "%[res.payload(0,0),cut_crlf]", "on-success", "Redis server is ok"},
                  &rules, rep))
      return false;
    c.type = CheckType::kRedis;
  } else if (name == "ssl-hello-chk") {
    if (!no_args()) return false;
    if (!add_line(d, {"send-binary-lf", ssl_hello_format()}, &rules, rep) ||
        !add_line(d,
                  {"expect", "rbinary", "^1[56]", "min-recv", "5", "ok-status", "L6OK",
                   "error-status", "L6RSP", "tout-status", "L6TOUT"},
                  &rules, rep))
      return false;
    c.type = CheckType::kSslHello;
  } else if (name == "ldap-check") {
    if (!no_args()) return false;
    if (!add_line(d, {"send-binary", "300C020101600702010304008000"}, &rules, rep) ||
        !add_line(d,
                  {"expect", "rbinary", "^30", "min-recv", "14", "on-error", "Not LDAPv3 protocol"},
                  &rules, rep))
      return false;
    add_custom(CheckExpect::Custom::kLdapBind, &rules);
    c.type = CheckType::kLdap;
  } else if (name == "mysql-check") {
    std::string user;
    bool post41 = false;
    if (nargs > 0) {
      const bool ok = d[first] == "user" && nargs >= 2 && nargs <= 3 &&
                      (nargs == 2 || d[first + 2] == "post-41" || d[first + 2] == "pre-41");
      if (!ok || d[first + 1].empty()) {
        rep.error(d.loc, kw, "expects 'option mysql-check [user USER [post-41|pre-41]]'");
        return false;
      }
      user = d[first + 1];
      post41 = !(nargs == 3 && d[first + 2] == "pre-41");  // 4.1 unless told otherwise
      if (user.size() > 32) {
        rep.error(d.loc, kw, "user name '" + user + "' is longer than 32 characters");
        return false;
      }
    }
    if (!add_line(d, {"connect", "default", "linger"}, &rules, rep)) return false;
    if (!user.empty() &&
        !add_line(d, {"send-binary", hex_of(mysql_login(user, post41))}, &rules, rep))
      return false;
    add_custom(CheckExpect::Custom::kMysqlHandshake, &rules);
    if (!user.empty()) add_custom(CheckExpect::Custom::kMysqlOk, &rules);
    c.type = CheckType::kMysql;
  } else if (name == "pgsql-check") {
    if (nargs != 2 || d[first] != "user" || d[first + 1].empty()) {
      rep.error(d.loc, kw, "expects 'option pgsql-check user USER'");
      return false;
    }
    if (!add_line(d, {"connect", "default"}, &rules, rep) ||
        !add_line(d, {"send-binary", hex_of(pgsql_startup(d[first + 1]))}, &rules, rep) ||
        !add_line(d,
                  {"expect", "!", "rstring", "^E", "min-recv", "5", "error-status", "L7RSP",
                   "on-error", "%[res.payload(6,0)]"},
                  &rules, rep) ||
        !add_line(
            d,
            {"expect", "rbinary", "^520000000800000000", "min-recv", "9", "error-status", "L7STS",
             "on-success", "PostgreSQL server is ok", "on-error", "PostgreSQL unknown error"},
            &rules, rep))
      return false;
    c.type = CheckType::kPgsql;
  } else {  // smtpchk
    std::string cmd = "HELO localhost";
    if (nargs > 0) {
      if (nargs != 2 || (d[first] != "HELO" && d[first] != "EHLO")) {
        rep.error(d.loc, kw, "expects 'option smtpchk [EHLO|HELO DOMAIN]'");
        return false;
      }
      cmd = d[first] + " " + d[first + 1];
    }
    expr::VarName var;
    std::string err;
    expr::parse_var_name("check.smtp_cmd", &var, &err);
    c.preset_vars = {{var, cmd}};
    const std::vector<std::vector<std::string>> lines = {
        {"connect", "default"},
        {"expect", "rstring", "^[0-9]{3}[ \r]", "min-recv", "4", "error-status", "L7RSP",
         "on-error", "%[res.payload(0,0),cut_crlf]"},
        {"expect", "rstring", "^2[0-9]{2}[ \r]", "min-recv", "4", "error-status", "L7STS",
         "on-error", "%[res.payload(4,0),ltrim(' '),cut_crlf]", "status-code", "res.payload(0,3)"},
        {"send-lf", "%[var(check.smtp_cmd)]\r\n"},
        {"expect", "rstring", "^[0-9]{3}[- \r]", "min-recv", "4", "error-status", "L7RSP",
         "on-error", "%[res.payload(0,0),cut_crlf]"},
        {"expect", "rstring", "^2[0-9]{2}[- \r]", "min-recv", "4", "error-status", "L7STS",
         "on-error", "%[res.payload(4,0),ltrim(' '),cut_crlf]", "on-success",
         "%[res.payload(4,0),ltrim(' '),cut_crlf]", "status-code", "res.payload(0,3)"}};
    for (const auto& l : lines)
      if (!add_line(d, l, &rules, rep)) return false;
    c.type = CheckType::kSmtp;
  }
  c.proto_rules = std::move(rules);
  return true;
}

}  // namespace

bool is_check_option(const std::string& name) {
  return name == "tcp-check" || name == "redis-check" || name == "mysql-check" ||
         name == "pgsql-check" || name == "smtpchk" || name == "ldap-check" ||
         name == "ssl-hello-chk";
}

void parse_check_option(const Directive& d, ProxySection& s, Reporter& rep) {
  const bool negated = d[0] == "no";
  const size_t name_at = negated ? 2 : 1;
  const std::string& name = d[name_at];
  const std::string kw = (negated ? "no option " : "option ") + name;
  if (!check_section(d, kw, s.proxy.kind, kBackSide, Misplaced::kIgnore, rep)) return;
  CheckConfig& c = s.proxy.check;
  if (negated) {
    if (d.size() > name_at + 1) {
      rep.error(d.loc, kw, "unexpected argument '" + d[name_at + 1] + "'");
      return;
    }
    // Only the check this option selected is turned off.
    CheckConfig probe;
    if (build(d, name, kw, d.size(), probe, rep) && probe.type == c.type) {
      c.type = CheckType::kL4;
      c.proto_rules.clear();
    }
    return;
  }
  build(d, name, kw, name_at + 1, c, rep);
}

}  // namespace hearth::config::detail
