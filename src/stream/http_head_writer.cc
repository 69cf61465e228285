#include "stream/http_head_writer.h"

#include <cstdio>

#include "http/connection.h"
#include "http/headers.h"
#include "http/method.h"
#include "http/status.h"

namespace hearth::stream {
namespace {

// Writes a 3-digit status code at out[0..2]. Requires: 100 <= status <= 999.
void format_status(int status, char* out) {
  out[0] = char('0' + status / 100);
  out[1] = char('0' + status / 10 % 10);
  out[2] = char('0' + status % 10);
}

bool named_by_rule(std::string_view name, const std::vector<HttpRuleRt>& rules) {
  for (const HttpRuleRt& r : rules)
    if ((r.action == HttpRuleRt::Action::kSetHeader || r.action == HttpRuleRt::Action::kDelHeader) &&
        http::iequals(name, r.name))
      return true;
  return false;
}

void put_set_rules(HeadWriter& w, const std::vector<HttpRuleRt>& rules) {
  for (const HttpRuleRt& r : rules)
    if (r.action == HttpRuleRt::Action::kSetHeader) w.field(r.name, r.value);
}

// Copies the end-to-end fields: drops hop-by-hop ones (RFC 9110 §7.6.1) and those
// a set-header/del-header rule replaces.
void put_end_to_end(HeadWriter& w, const http::Headers& hdrs, const http::ConnectionTokens& conn,
                    const std::vector<HttpRuleRt>& rules, bool keep_upgrade, bool drop_te = false) {
  for (const http::HeaderField& f : hdrs) {
    if (http::hop_by_hop(f.name, conn) && !(keep_upgrade && http::iequals(f.name, "upgrade")))
      continue;
    if (drop_te && http::iequals(f.name, "transfer-encoding")) continue;
    if (named_by_rule(f.name, rules)) continue;
    w.field(f.name, f.value);
  }
}

}  // namespace

bool write_request_head(const http::RequestHead& req, const HttpSettings& hs,
                        const RequestHeadOptions& opt, Buffer& out) {
  HeadWriter w(out);
  w.put(req.method_str).put(" ").put(req.target);
  w.put(req.version_minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  bool upgrade = req.flags.upgrade;
  put_end_to_end(w, req.headers, req.connection, hs.request_rules, upgrade);
  put_set_rules(w, hs.request_rules);
  if (hs.forwardfor && !named_by_rule("x-forwarded-for", hs.request_rules))
    w.field("x-forwarded-for", opt.client_ip);
  if (upgrade) w.field("connection", "upgrade");
  else if (opt.close_server_side) w.field("connection", "close");
  else if (req.version_minor == 0) w.field("connection", "keep-alive");
  w.put("\r\n");
  return w.ok();
}

bool write_response_head(const http::ResponseHead& res, const HttpSettings& hs,
                         const ResponseHeadOptions& opt, Buffer& out) {
  HeadWriter w(out);
  char status_line[16] = "HTTP/1.1 000 ";
  format_status(res.status, status_line + 9);
  w.put(status_line).put(res.reason).put("\r\n");
  bool upgrade = res.status == 101;
  const std::vector<HttpRuleRt> no_rules;
  const std::vector<HttpRuleRt>& rules = opt.interim ? no_rules : hs.response_rules;
  put_end_to_end(w, res.headers, res.connection, rules, upgrade, opt.drop_transfer_encoding);
  if (!opt.interim) put_set_rules(w, rules);
  if (upgrade) w.field("connection", "upgrade");
  else if (opt.interim) {
  } else if (opt.close_client) w.field("connection", "close");
  else if (opt.client_version_minor == 0) w.field("connection", "keep-alive");
  w.put("\r\n");
  return w.ok();
}

bool write_local_response(int status, std::string_view content_type, std::string_view body,
                          bool close, Buffer& out) {
  HeadWriter w(out);
  char line[96];
  snprintf(line, sizeof line, "HTTP/1.1 %d ", status);
  w.put(line).put(http::reason_phrase(status)).put("\r\n");
  snprintf(line, sizeof line, "%zu", body.size());
  w.field("content-length", line);
  if (!content_type.empty()) w.field("content-type", content_type);
  w.field("cache-control", "no-cache");
  if (close) w.field("connection", "close");
  w.put("\r\n").put(body);
  return w.ok();
}

}  // namespace hearth::stream
