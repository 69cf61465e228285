#include "backend/check_expect.h"

#include <cstdlib>

#include "http/headers.h"

namespace hearth::backend {
namespace {

using Kind = config::CheckExpect::Kind;
using Custom = config::CheckExpect::Custom;
using V = ExpectVerdict::Kind;

std::string hex_dump(std::string_view bytes) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// Decodes an even-length hex string. Returns: false if it is not one.
bool unhex(std::string_view hex, std::string* out) {
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2) return false;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(char(hi << 4 | lo));
  }
  return true;
}

ExpectVerdict fail(CheckStatus st, std::string info, int code = 0) {
  ExpectVerdict v;
  v.kind = V::kFail;
  v.status = st;
  v.info = std::move(info);
  v.code = code;
  return v;
}

// status-code EXPR: the code a result carries (an integer, or text starting with digits).
int status_code_of(const config::CheckExpect& e, CheckFetch& ctx, int dflt) {
  if (!e.status_code) return dflt;
  expr::Sample s;
  if (!expr::eval_sample_expr(*e.status_code, ctx, s)) return dflt;
  if (s.type == expr::SmpType::kSint || s.type == expr::SmpType::kBool) return int(s.sint);
  if (s.type == expr::SmpType::kStr || s.type == expr::SmpType::kBin) {
    const std::string t(s.str);
    char* end = nullptr;
    const long v = std::strtol(t.c_str(), &end, 10);
    if (end != t.c_str()) return int(v);
  }
  return dflt;
}

const char* kind_suffix(Kind k) {
  switch (k) {
    case Kind::kRString:
      return " (regex)";
    case Kind::kRBinary:
      return " (binary regex)";
    case Kind::kBinary:
      return " (binary)";
    case Kind::kStringLf:
      return " (log-format string)";
    case Kind::kBinaryLf:
      return " (log-format binary)";
    case Kind::kCustom:
      return " (custom function)";
    default:
      return "";
  }
}

// The info of a failed expect: `given` if any, else its on-error format,
// else for tcp-check the generic text; then its comment.
std::string error_info(const CheckProgram& p, const CheckStep& s, bool matched,
                       std::string_view given, CheckFetch& ctx) {
  const config::CheckExpect& e = s.rule.expect;
  std::string msg;
  if (!given.empty()) {
    msg = std::string(given);
  } else if (e.on_error) {
    msg = c_string(e.on_error->eval(ctx));
  } else if (p.tcp_texts()) {
    msg = matched ? "TCPCHK matched unwanted content" : "TCPCHK did not match content";
    if (e.kind == Kind::kString) msg += " '" + e.pattern + "'";
    msg += kind_suffix(e.kind);
    msg += " at step " + std::to_string(s.step);
  }
  if (!s.rule.comment.empty()) msg += " comment: " + s.rule.comment;
  return msg;
}

ExpectVerdict mysql_packet(const CheckStep& s, std::string_view d, size_t off, bool last_read,
                           bool last_rule, const CheckProgram& p, CheckFetch& ctx) {
  const config::CheckExpect& e = s.rule.expect;
  auto byte = [&](size_t i) { return unsigned(uint8_t(d[i])); };
  if (d.size() < off + 4) {
    if (!last_read) return ExpectVerdict{V::kWait};
    return fail(e.error_status.value_or(CheckStatus::kL7Rsp), error_info(p, s, false, "", ctx));
  }
  const size_t plen = byte(off) | byte(off + 1) << 8 | byte(off + 2) << 16;
  // An empty packet has no first byte to read: as truncated (found by fuzzing).
  if (d.size() < off + plen + 4 || plen == 0) {
    if (!last_read && plen) return ExpectVerdict{V::kWait};
    return fail(e.error_status.value_or(CheckStatus::kL7Rsp), error_info(p, s, false, "", ctx));
  }
  if (byte(off + 4) == 0xff) {  // an ERR packet: code, then the message
    const int err = d.size() > off + 6 ? int(byte(off + 5) | byte(off + 6) << 8) : 0;
    const std::string_view text = d.size() > off + 7 ? d.substr(off + 7) : std::string_view();
    return fail(CheckStatus::kL7Sts, error_info(p, s, false, c_string(text), ctx), err);
  }
  if (!last_rule) return ExpectVerdict{V::kContinue};
  ExpectVerdict v;
  v.kind = V::kPass;
  v.status = e.ok_status.value_or(CheckStatus::kL7Ok);
  v.info = d.size() > 5 ? c_string(d.substr(5)) : "";  // the server version
  return v;
}

// The LDAPv3 bindResponse (RFC 4511 4.2.2): a SEQUENCE holding messageID 1,
// then [APPLICATION 1] whose first element is the ENUMERATED resultCode.
ExpectVerdict ldap_bind(const CheckStep& s, std::string_view d, bool last_read,
                        const CheckProgram& p, CheckFetch& ctx) {
  const config::CheckExpect& e = s.rule.expect;
  auto invalid = [&] {
    return fail(e.error_status.value_or(CheckStatus::kL7Rsp),
                error_info(p, s, false, "Not LDAPv3 protocol", ctx));
  };
  auto byte = [&](size_t i) { return unsigned(uint8_t(d[i])); };
  if (d.size() < 2) return last_read ? invalid() : ExpectVerdict{V::kWait};
  const size_t n = byte(1) & 0x80 ? byte(1) & 0x7f : 0;
  if (n > 4) return invalid();
  if (d.size() < 7 + n) return last_read ? invalid() : ExpectVerdict{V::kWait};
  if (d.substr(2 + n, 4) != std::string_view("\x02\x01\x01\x61", 4)) return invalid();
  const size_t m = byte(6 + n) & 0x80 ? byte(6 + n) & 0x7f : 0;
  if (m > 4) return invalid();
  if (d.size() < 10 + n + m) return last_read ? invalid() : ExpectVerdict{V::kWait};
  if (d.substr(7 + n + m, 2) != std::string_view("\x0a\x01", 2)) return invalid();
  const int code = int(byte(9 + n + m));
  if (code != 0)
    return fail(
        CheckStatus::kL7Sts,
        error_info(p, s, false, "See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9", ctx),
        code);
  ExpectVerdict v;
  v.kind = V::kPass;
  v.status = e.ok_status.value_or(CheckStatus::kL7Ok);
  v.info = "Success";
  return v;
}

}  // namespace

std::string c_string(std::string_view s) {
  const size_t nul = s.find('\0');
  return std::string(nul == std::string_view::npos ? s : s.substr(0, nul));
}

ExpectVerdict eval_content_expect(const CheckProgram& p, const CheckStep& s, std::string_view data,
                                  bool last_read, bool last_rule, CheckFetch& ctx) {
  const config::CheckExpect& e = s.rule.expect;
  ctx.set_response(data);
  if (e.kind == Kind::kCustom) {
    switch (e.custom) {
      case Custom::kMysqlHandshake:
        return mysql_packet(s, data, 0, last_read, last_rule, p, ctx);
      case Custom::kMysqlOk: {
        if (data.size() < 3)
          return last_read ? mysql_packet(s, data, 0, true, last_rule, p, ctx)
                           : ExpectVerdict{V::kWait};
        const size_t hs = 4 + (unsigned(uint8_t(data[0])) | unsigned(uint8_t(data[1])) << 8 |
                               unsigned(uint8_t(data[2])) << 16);
        return mysql_packet(s, data, hs, last_read, last_rule, p, ctx);
      }
      case Custom::kLdapBind:
        return ldap_bind(s, data, last_read, p, ctx);
      case Custom::kAgentReply:  // HealthCheck::agent_reply() reads it
      case Custom::kNone:
        break;
    }
    return fail(CheckStatus::kL7Rsp, "no parser for this check");
  }
  if (!last_read) {
    if ((e.kind == Kind::kString || e.kind == Kind::kBinary) && data.size() < e.data.size())
      return ExpectVerdict{V::kWait};
    if (e.min_recv > 0 && data.size() < size_t(e.min_recv)) return ExpectVerdict{V::kWait};
  }
  bool match = false;
  switch (e.kind) {
    case Kind::kString:
    case Kind::kBinary:
      match = data.find(e.data) != std::string_view::npos;
      break;
    case Kind::kRString:
      match = e.regex->matches(data);
      break;
    case Kind::kRBinary:
      match = e.regex->matches(hex_dump(data));
      break;
    case Kind::kStringLf:
      match = data.find(e.fmt->eval(ctx)) != std::string_view::npos;
      break;
    case Kind::kBinaryLf: {
      std::string bin;
      match = unhex(e.fmt->eval(ctx), &bin) && data.find(bin) != std::string_view::npos;
      break;
    }
    default:  // HTTP matches do not run on raw bytes
      break;
  }
  if (!match && !last_read && e.min_recv == -1) return ExpectVerdict{V::kWait};
  if (match != e.negate) return ExpectVerdict{V::kContinue};
  ExpectVerdict v =
      fail(e.error_status.value_or(CheckStatus::kL7Rsp), error_info(p, s, match, "", ctx));
  v.code = status_code_of(e, ctx, 0);
  return v;
}

namespace {

bool hdr_match(const config::CheckHdrMatch& m, std::string_view v, CheckFetch& ctx) {
  std::string want = m.text;
  if (m.fmt) want = std::string(m.fmt->eval(ctx));
  switch (m.method) {
    case config::CheckHdrMatch::Method::kStr:
      return v.size() == want.size() && http::iequals(v, want);
    case config::CheckHdrMatch::Method::kBeg:
      return v.size() >= want.size() && http::iequals(v.substr(0, want.size()), want);
    case config::CheckHdrMatch::Method::kEnd:
      return v.size() >= want.size() && http::iequals(v.substr(v.size() - want.size()), want);
    case config::CheckHdrMatch::Method::kSub: {
      if (want.empty()) return true;
      for (size_t i = 0; i + want.size() <= v.size(); ++i)
        if (http::iequals(v.substr(i, want.size()), want)) return true;
      return false;
    }
    case config::CheckHdrMatch::Method::kReg:
      return m.regex->matches(v);
  }
  return false;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// hdr: any value of a matching field (split at commas); fhdr: the whole line.
// Names are matched as HAProxy does; values are compared case-sensitively for str.
bool headers_match(const config::CheckExpect& e, const CheckResponse& r, CheckFetch& ctx) {
  for (const auto& [name, value] : r.fields) {
    if (!hdr_match(e.name, name, ctx)) continue;
    if (!e.value) return true;
    if (e.kind == Kind::kFhdr) {
      if (hdr_match(*e.value, value, ctx)) return true;
      continue;
    }
    for (std::string_view rest = value;;) {
      const size_t comma = rest.find(',');
      if (hdr_match(*e.value, trim(rest.substr(0, comma)), ctx)) return true;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return false;
}

}  // namespace

ExpectVerdict eval_http_expect(const CheckProgram& p, const CheckStep& s, std::string_view data,
                               bool last_read, bool server_up, CheckFetch& ctx) {
  const config::CheckExpect& e = s.rule.expect;
  CheckResponse r = parse_check_response(data, last_read);
  if (r.state == CheckResponse::State::kIncomplete) return ExpectVerdict{V::kWait};
  if (r.state == CheckResponse::State::kInvalid) {
    return fail(CheckStatus::kL7Rsp, data.empty() ? "connection closed without a response"
                                                  : "invalid response: not an HTTP response");
  }
  // disable-on-404 comes before any expect, as HAProxy's: a server that is
  // not DOWN answering 404 passes conditionally, and the check ends.
  if (p.disable_on_404 && server_up && r.status == 404) {
    ExpectVerdict v{V::kPass};
    v.status = CheckStatus::kL7OkCd;
    v.code = r.status;
    return v;
  }
  const bool body_match = e.kind == Kind::kString || e.kind == Kind::kRString;
  if (body_match && r.state != CheckResponse::State::kComplete) return ExpectVerdict{V::kWait};
  ctx.set_response(r.body);
  ctx.set_http(r.status, r.fields);
  bool match = false;
  CheckStatus err = CheckStatus::kL7Rsp;
  std::string desc;
  switch (e.kind) {
    case Kind::kStatus:
      for (const auto& [lo, hi] : e.ranges) match = match || (r.status >= lo && r.status <= hi);
      err = CheckStatus::kL7Sts;
      desc = std::string(r.reason);
      break;
    case Kind::kRStatus:
      match = e.regex->matches(std::to_string(r.status));
      err = CheckStatus::kL7Sts;
      desc = std::string(r.reason);
      break;
    case Kind::kHdr:
    case Kind::kFhdr:  // as HAProxy: a wrong status, with the reason phrase
      match = headers_match(e, r, ctx);
      err = CheckStatus::kL7Sts;
      desc = std::string(r.reason);
      break;
    case Kind::kString:
      match = r.body.find(e.data) != std::string::npos;
      break;
    case Kind::kRString:
      match = e.regex->matches(r.body);
      break;
    default:
      break;
  }
  if (match != e.negate) {
    ExpectVerdict v{V::kContinue};
    v.code = r.status;
    return v;
  }
  if (e.on_error) desc.clear();
  ExpectVerdict v =
      fail(e.error_status.value_or(err), error_info(p, s, match, desc, ctx), r.status);
  v.code = status_code_of(e, ctx, r.status);
  return v;
}

std::string success_info(const CheckProgram& p, const CheckStep& last, CheckFetch& ctx, int* code) {
  if (last.rule.action == config::CheckRule::Action::kConnect) {
    return p.tcp_texts() && !last.rule.connect.implicit ? "(tcp-check)" : "";
  }
  if (last.rule.action != config::CheckRule::Action::kExpect)
    return p.tcp_texts() ? "(tcp-check)" : "";
  const config::CheckExpect& e = last.rule.expect;
  std::string msg;
  if (e.on_success)
    msg = c_string(e.on_success->eval(ctx));
  else if (p.tcp_texts())
    msg = "(tcp-check)";
  *code = status_code_of(e, ctx, *code);
  return msg;
}

std::string step_text(const CheckProgram& p, const CheckStep& s) {
  if (!p.tcp_texts()) return "";
  if (s.step == 0) return " at initial connection step of tcp-check";
  std::string t = " at step " + std::to_string(s.step) + " of tcp-check";
  const config::CheckRule& r = s.rule;
  switch (r.action) {
    case config::CheckRule::Action::kConnect:
      t += r.connect.port ? " (connect port " + std::to_string(r.connect.port) + ")" : " (connect)";
      break;
    case config::CheckRule::Action::kSend:
      t += " (send)";
      break;
    case config::CheckRule::Action::kExpect:
      switch (r.expect.kind) {
        case Kind::kString:
          t += " (expect string '" + r.expect.pattern + "')";
          break;
        case Kind::kBinary:
          t += " (expect binary '" + hex_dump(r.expect.data) + "')";
          break;
        case Kind::kRString:
          t += " (expect regex)";
          break;
        case Kind::kRBinary:
          t += " (expect binary regex)";
          break;
        case Kind::kStringLf:
          t += " (expect log-format string)";
          break;
        case Kind::kBinaryLf:
          t += " (expect log-format binary)";
          break;
        default:
          t += " (expect custom function)";
          break;
      }
      break;
    default:
      break;
  }
  if (!r.comment.empty()) t += " comment: '" + r.comment + "'";
  return t;
}

}  // namespace hearth::backend
