// "http-request" and "http-response" rules.
#include <gtest/gtest.h>

#include "config_test_util.h"
#include "expr/proc_vars.h"
#include "expr/vars.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

ParseResult frontend(const std::string& lines) {
  return parse("frontend f\n  mode http\n" + lines);
}
const std::vector<HttpRule>& req(const ParseResult& r) {
  return r.config.proxies.at(0).http_request_rules;
}
const std::vector<HttpRule>& rsp(const ParseResult& r) {
  return r.config.proxies.at(0).http_response_rules;
}

TEST(HttpRules, SetAndDelHeaderInOrder) {
  auto r = frontend(
      "  http-request set-header X-Forwarded-Proto https\n"
      "  http-request del-header X-Debug\n"
      "  http-response set-header Cache-Control \"no-store, private\"\n"
      "  http-response del-header Server\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 2u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kSetHeader);
  EXPECT_EQ(req(r)[0].name, "X-Forwarded-Proto");
  EXPECT_EQ(req(r)[0].value, "https");
  EXPECT_EQ(req(r)[0].loc.line, 3);
  EXPECT_EQ(req(r)[1].action, HttpRule::Action::kDelHeader);
  EXPECT_EQ(req(r)[1].name, "X-Debug");
  ASSERT_EQ(rsp(r).size(), 2u);
  EXPECT_EQ(rsp(r)[0].value, "no-store, private");
  EXPECT_EQ(rsp(r)[1].action, HttpRule::Action::kDelHeader);
  EXPECT_EQ(rsp(r)[1].loc.line, 6);
}

TEST(HttpRules, UseServiceWithItsCondition) {
  auto r = frontend("  http-request use-service prometheus-exporter if { path /metrics }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 1u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kUseService);
  EXPECT_EQ(req(r)[0].name, "prometheus-exporter");
  EXPECT_NE(req(r)[0].cond, nullptr);
}

TEST(HttpRules, AddHeaderOnBothSides) {
  auto r = frontend("  http-request add-header X-A one\n  http-response add-header X-B two\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 1u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kAddHeader);
  EXPECT_EQ(req(r)[0].name, "X-A");
  EXPECT_EQ(req(r)[0].value, "one");
  ASSERT_EQ(rsp(r).size(), 1u);
  EXPECT_EQ(rsp(r)[0].action, HttpRule::Action::kAddHeader);
  EXPECT_EQ(rsp(r)[0].value, "two");
}

TEST(HttpRules, ReplaceHeaderAndValue) {
  auto r = frontend(
      "  http-request replace-header X-A b(.) Z\\1\n"
      "  http-response replace-value X-B ^b(.*)$ Y\\1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 1u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kReplaceHeader);
  EXPECT_EQ(req(r)[0].name, "X-A");
  EXPECT_EQ(req(r)[0].value, "Z\\1");
  ASSERT_NE(req(r)[0].regex, nullptr);
  EXPECT_EQ(req(r)[0].regex->pattern(), "b(.)");
  ASSERT_EQ(rsp(r).size(), 1u);
  EXPECT_EQ(rsp(r)[0].action, HttpRule::Action::kReplaceValue);
  EXPECT_TRUE(has(frontend("  http-request replace-header X-A a(b Z\n").errors,
                  "t.cfg:3: 'http-request replace-header': invalid regular expression 'a(b': "
                  "missing closing parenthesis"));
  EXPECT_EQ(only_error(frontend("  http-request replace-value X-A a\n")),
            "t.cfg:3: 'http-request replace-value': missing argument: expects 'http-request "
            "replace-value NAME REGEX FORMAT'");
  EXPECT_EQ(only_error(frontend("  http-request replace-header X-A a b if c\n")),
            "t.cfg:3: 'http-request replace-header': no such ACL : 'c'");
  EXPECT_EQ(only_error(frontend("  http-request replace-header X-A a %[src]\n")),
            "t.cfg:3: 'http-request replace-header': log-format expressions such as %[src] or %ci "
            "are not supported by Hearth yet; write %% for a literal '%'");
}

TEST(HttpRules, DoublePercentIsALiteralPercent) {
  auto r = frontend("  http-request set-header X-Share 100%%\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(req(r)[0].value, "100%");
}

TEST(HttpRules, DenyDefaultsTo403) {
  auto r = frontend(
      "  http-request deny\n  http-request deny deny_status 429\n"
      "  http-request deny status 401 content-type text/plain string nope\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 3u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kDeny);
  EXPECT_EQ(req(r)[0].status, 403);
  EXPECT_EQ(req(r)[1].status, 429);
  EXPECT_EQ(req(r)[2].status, 401);
  EXPECT_EQ(req(r)[2].content_type, "text/plain");
  EXPECT_EQ(req(r)[2].value, "nope");
}

TEST(HttpRules, Return) {
  auto r = frontend(
      "  http-request return\n"
      "  http-request return status 503 content-type \"text/html\" string \"<h1>down</h1>\"\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kReturn);
  EXPECT_EQ(req(r)[0].status, 200);
  EXPECT_EQ(req(r)[1].status, 503);
  EXPECT_EQ(req(r)[1].content_type, "text/html");
  EXPECT_EQ(req(r)[1].value, "<h1>down</h1>");
}

TEST(HttpRules, AllowedInBackends) {
  auto r = parse("backend b\n  http-request set-header X-A 1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(req(r).size(), 1u);
}

TEST(HttpRules, Redirect) {
  auto r = frontend(
      "  http-request redirect prefix /p code 301 drop-query append-slash set-cookie A=1 if TRUE\n"
      "  http-request redirect location /x%[path]\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 2u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kRedirect);
  EXPECT_EQ(req(r)[0].redirect, HttpRule::RedirectType::kPrefix);
  EXPECT_EQ(req(r)[0].status, 301);
  EXPECT_TRUE(req(r)[0].drop_query && req(r)[0].append_slash);
  EXPECT_EQ(req(r)[0].cookie, "A=1; path=/;");
  EXPECT_NE(req(r)[0].cond, nullptr);
  EXPECT_NE(req(r)[1].fmt, nullptr);
  EXPECT_EQ(req(r)[1].status, 302);
  const std::string kExpects =
      "expects location, prefix, scheme, code, drop-query, append-slash, ignore-empty, "
      "set-cookie or clear-cookie";
  EXPECT_EQ(only_error(frontend("  http-request redirect to /x\n")),
            "t.cfg:3: 'http-request redirect': unknown option 'to': " + kExpects);
  EXPECT_EQ(only_error(frontend("  http-request redirect location /x code 200\n")),
            "t.cfg:3: 'http-request redirect': option 'code' expects 301, 302, 303, 307 or 308, "
            "got '200'");
  EXPECT_EQ(only_error(frontend("  http-request redirect location /x bounce\n")),
            "t.cfg:3: 'http-request redirect': unknown option 'bounce': " + kExpects);
  EXPECT_EQ(only_error(frontend("  http-request redirect code 301\n")),
            "t.cfg:3: 'http-request redirect': expects 'location', 'prefix' or 'scheme' followed "
            "by a value");
  EXPECT_EQ(only_error(frontend("  http-request redirect location /x prefix /y\n")),
            "t.cfg:3: 'http-request redirect': only one of 'location', 'prefix' or 'scheme' is "
            "allowed");
  // Options may come first, as in HAProxy; ignore-empty is kept.
  auto o = frontend("  http-request redirect code 307 location %[hdr(x)] ignore-empty\n");
  ASSERT_TRUE(o.ok()) << dump(o.errors);
  EXPECT_EQ(req(o)[0].status, 307);
  EXPECT_TRUE(req(o)[0].ignore_empty);
}

// The legacy keyword: the same words, a literal value, its own list.
TEST(HttpRules, LegacyRedirect) {
  auto r = frontend(
      "  redirect code 301 prefix /p%41 drop-query if TRUE\n"
      "  redirect location https://ex.com/\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies[0];
  ASSERT_EQ(p.redirect_rules.size(), 2u);
  EXPECT_TRUE(p.http_request_rules.empty());
  EXPECT_EQ(p.redirect_rules[0].value, "/p%41");  // not a log-format
  EXPECT_EQ(p.redirect_rules[0].fmt, nullptr);
  EXPECT_EQ(p.redirect_rules[0].status, 301);
  EXPECT_TRUE(p.redirect_rules[0].drop_query);
  EXPECT_NE(p.redirect_rules[0].cond, nullptr);
  EXPECT_EQ(p.redirect_rules[1].redirect, HttpRule::RedirectType::kLocation);
  EXPECT_EQ(only_error(parse("defaults\n  mode http\n  redirect location /x\n")),
            "t.cfg:3: 'redirect': not allowed in a defaults section (allowed in: frontend, "
            "backend, listen)");
  EXPECT_EQ(only_error(frontend("  redirect location\n")),
            "t.cfg:3: 'redirect': option 'location' expects a value");
  EXPECT_EQ(only_error(frontend("  redirect location /x if\n")).substr(0, 15), "t.cfg:3: 'redir");
}

TEST(HttpRules, Errors) {
  EXPECT_EQ(only_error(frontend("  http-request set-header X-A\n")),
            "t.cfg:3: 'http-request set-header': missing argument: expects 'http-request "
            "set-header NAME VALUE'");
  EXPECT_EQ(only_error(frontend("  http-request set-header X-A b c\n")),
            "t.cfg:3: 'http-request set-header': unexpected argument 'c': expects 'http-request "
            "set-header NAME VALUE'");
  EXPECT_EQ(only_error(frontend("  http-request deny if bad\n")),
            "t.cfg:3: 'http-request deny': no such ACL : 'bad'");
  EXPECT_EQ(only_error(frontend("  http-request deny if\n")),
            "t.cfg:3: 'http-request deny': missing condition after 'if'");
  EXPECT_EQ(only_error(frontend("  http-request set-header X-A b when x\n")),
            "t.cfg:3: 'http-request set-header': unexpected argument 'when': expects "
            "'http-request set-header NAME VALUE'");
  EXPECT_EQ(only_error(frontend("  http-request set-header X-Ip %[nope]\n")),
            "t.cfg:3: 'http-request set-header': in log-format '%[nope]': unknown fetch method "
            "'nope'");
  EXPECT_EQ(only_error(frontend("  http-request set-header X-Ip %[src\n")),
            "t.cfg:3: 'http-request set-header': missing ']' after '%[src' in log-format '%[src'");
  EXPECT_EQ(only_error(frontend("  http-request set-header X-Ip %Tz\n")),
            "t.cfg:3: 'http-request set-header': unknown log-format variable '%Tz' (write %% for "
            "a literal '%')");
  EXPECT_EQ(only_error(frontend("  http-request set-var(proc) str(a)\n")),
            "t.cfg:3: 'http-request set-var': invalid variable name 'proc': expects a scope among "
            "proc, sess, txn, req, res, check, then '.' and a name");
  EXPECT_EQ(only_error(frontend("  http-request set-var(txn.x,ifbig) str(a)\n")),
            "t.cfg:3: 'http-request set-var': unknown set-var condition 'ifbig' (expects ifexists, "
            "ifnotexists, ifempty, ifnotempty, ifset, ifnotset, ifgt, iflt)");
  EXPECT_EQ(only_error(frontend("  http-request set-var(txn.x) status\n")),
            "t.cfg:3: 'http-request set-var': fetch method 'status' extracts information from "
            "'HTTP response headers', none of which is available here");
  EXPECT_EQ(only_error(frontend("  http-request set-header \"Bad Name\" x\n")),
            "t.cfg:3: 'http-request set-header': invalid header name 'Bad Name': expects an HTTP "
            "token such as X-Forwarded-Proto");
  EXPECT_EQ(
      only_error(frontend("  http-request set-header X-A \"a\\r\\nInjected: 1\"\n")),
      "t.cfg:3: 'http-request set-header': the value must not contain CR, LF or NUL characters");
  EXPECT_EQ(only_error(frontend("  http-request deny deny_status 99\n")),
            "t.cfg:3: 'http-request deny': option 'deny_status' expects an HTTP status between 200 "
            "and 599, got '99'");
  EXPECT_EQ(only_error(frontend("  http-request return status 200 string hi\n")),
            "t.cfg:3: 'http-request return': a body needs 'content-type T', e.g. content-type "
            "text/plain");
  EXPECT_EQ(only_error(frontend("  http-request return status 204 content-type a/b string x\n")),
            "t.cfg:3: 'http-request return': status 204 cannot carry a body");
  EXPECT_EQ(only_error(frontend("  http-request return errorfile /nonexistent/x\n")),
            "t.cfg:3: 'http-request return': cannot open the file '/nonexistent/x'");
  EXPECT_EQ(only_error(frontend("  http-request return blah x\n")),
            "t.cfg:3: 'http-request return': option 'blah' is not supported: expects [status N] "
            "[content-type T] [default-errorfiles | errorfile F | errorfiles NAME | string S | "
            "lf-string FMT | file F | lf-file F] [hdr NAME FMT]...");
  EXPECT_EQ(only_error(frontend("  http-request return hdr X\n")),
            "t.cfg:3: 'http-request return': option 'hdr' expects a name and a value");
  EXPECT_EQ(only_error(frontend("  http-request return content-type a/b file /nonexistent\n")),
            "t.cfg:3: 'http-request return': cannot read file '/nonexistent' for option 'file' (or "
            "it is larger than 1 MiB)");
  EXPECT_EQ(only_error(frontend("  http-request return content-type a/b file /dev/zero\n")),
            "t.cfg:3: 'http-request return': cannot read file '/dev/zero' for option 'file' (or "
            "it is larger than 1 MiB)");
  EXPECT_EQ(only_error(frontend("  http-request return content-type a/b string x lf-string y\n")),
            "t.cfg:3: 'http-request return': only one of default-errorfiles, errorfile, "
            "errorfiles, string, lf-string, file or lf-file may be given");
  EXPECT_EQ(only_error(frontend("  http-request return status\n")),
            "t.cfg:3: 'http-request return': option 'status' expects a value");
  // The lists of supported actions grow; their beginning is what is checked.
  auto starts = [](const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
  };
  EXPECT_TRUE(starts(only_error(frontend("  http-request set-mark 1\n")),
                     "t.cfg:3: 'http-request set-mark': Hearth does not support this action yet; "
                     "supported: set-header, add-header, "));
  // use-service: only the services Hearth has; no service is an http-response action.
  EXPECT_EQ(only_error(frontend("  http-request use-service lua.hello\n")),
            "t.cfg:3: 'http-request use-service': unknown service 'lua.hello'; Hearth has: "
            "prometheus-exporter");
  EXPECT_EQ(only_error(frontend("  http-request use-service\n")),
            "t.cfg:3: 'http-request use-service': expects a service name: prometheus-exporter");
  EXPECT_EQ(only_error(frontend("  http-request use-service prometheus-exporter extra\n")),
            "t.cfg:3: 'http-request use-service': unexpected argument 'extra': expects [if|unless "
            "COND]");
  EXPECT_TRUE(starts(only_error(frontend("  http-response use-service prometheus-exporter\n")),
                     "t.cfg:3: 'http-response use-service': unknown action; supported: "));
  // HAProxy 2.6 has no http-response tarpit.
  EXPECT_TRUE(starts(only_error(frontend("  http-response tarpit\n")),
                     "t.cfg:3: 'http-response tarpit': unknown action; supported: set-header, "));
  EXPECT_TRUE(starts(only_error(frontend("  http-request sethdr a b\n")),
                     "t.cfg:3: 'http-request sethdr': unknown action; supported: set-header, "));
  EXPECT_TRUE(starts(only_error(frontend("  http-request\n")),
                     "t.cfg:3: 'http-request': missing action: expects set-header, "));
  EXPECT_EQ(only_error(frontend("  http-request add-header X-A\n")),
            "t.cfg:3: 'http-request add-header': missing argument: expects 'http-request "
            "add-header NAME VALUE'");
}

const std::vector<HttpRule>& after(const ParseResult& r) {
  return r.config.proxies.at(0).http_after_response_rules;
}

TEST(HttpRules, ResponseDenyReturnRedirectAllowSetStatus) {
  auto r = frontend(
      "  http-response deny\n"
      "  http-response deny deny_status 418 content-type text/plain string tea\n"
      "  http-response return status 201\n"
      "  http-response redirect location /moved code 301\n"
      "  http-response allow if TRUE\n"
      "  http-response set-status 503 reason \"Slow Down\"\n"
      "  http-response set-status 299\n"
      "  http-response strict-mode off\n"
      "  http-request allow\n"
      "  http-request strict-mode on if TRUE\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(rsp(r).size(), 8u);
  EXPECT_EQ(rsp(r)[0].action, HttpRule::Action::kDeny);
  EXPECT_EQ(rsp(r)[0].status, 502);  // a response's deny is a 502 (HAProxy)
  EXPECT_EQ(rsp(r)[1].status, 418);
  EXPECT_EQ(rsp(r)[2].action, HttpRule::Action::kReturn);
  EXPECT_EQ(rsp(r)[3].action, HttpRule::Action::kRedirect);
  EXPECT_EQ(rsp(r)[3].status, 301);
  EXPECT_EQ(rsp(r)[4].action, HttpRule::Action::kAllow);
  EXPECT_NE(rsp(r)[4].cond, nullptr);
  EXPECT_EQ(rsp(r)[5].action, HttpRule::Action::kSetStatus);
  EXPECT_EQ(rsp(r)[5].status, 503);
  EXPECT_EQ(rsp(r)[5].value, "Slow Down");
  EXPECT_TRUE(rsp(r)[5].has_body);
  EXPECT_FALSE(rsp(r)[6].has_body);
  EXPECT_EQ(rsp(r)[7].action, HttpRule::Action::kStrictMode);
  EXPECT_FALSE(rsp(r)[7].strict_on);
  ASSERT_EQ(req(r).size(), 2u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kAllow);
  EXPECT_TRUE(req(r)[1].strict_on);
}

TEST(HttpRules, AfterResponse) {
  auto r = frontend(
      "  http-after-response set-header X-A 1\n"
      "  http-after-response allow if { status 403 }\n"
      "  http-after-response set-status 200 if { capture.req.uri /x }\n"
      "  http-after-response set-var(res.s) status\n"
      "  http-after-response del-header content-type\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(after(r).size(), 5u);
  EXPECT_EQ(after(r)[1].action, HttpRule::Action::kAllow);
  EXPECT_TRUE(req(r).empty() && rsp(r).empty());
  auto starts = [](const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
  };
  // Only the actions HAProxy allows there.
  EXPECT_TRUE(starts(only_error(frontend("  http-after-response deny\n")),
                     "t.cfg:3: 'http-after-response deny': unknown action; supported: "));
  EXPECT_TRUE(starts(only_error(frontend("  http-after-response set-path /x\n")),
                     "t.cfg:3: 'http-after-response set-path': unknown action; supported: "));
  EXPECT_EQ(only_error(frontend("  http-after-response set-header X %[path]\n")),
            "t.cfg:3: 'http-after-response set-header': in log-format '%[path]': fetch method "
            "'path' extracts information from 'HTTP request headers', none of which is "
            "available here");
  // In tcp mode the rules are ignored, with a warning.
  auto tcp = testing::parse_and_validate(
      "listen l\n  bind :1\n  server s 127.0.0.1:2\n  http-after-response allow\n");
  EXPECT_TRUE(tcp.ok());
  bool warned = false;
  for (const Diagnostic& w : tcp.warnings)
    warned |= w.keyword == "http-after-response" && w.message.find("tcp mode") != w.message.npos;
  EXPECT_TRUE(warned) << dump(tcp.warnings);
}

TEST(HttpRules, NewActionErrors) {
  auto starts = [](const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
  };
  EXPECT_EQ(only_error(frontend("  http-response set-status 99\n")),
            "t.cfg:3: 'http-response set-status': expects a status code between 100 and 999, "
            "got '99'");
  EXPECT_EQ(only_error(frontend("  http-response set-status\n")),
            "t.cfg:3: 'http-response set-status': expects a status code between 100 and 999");
  EXPECT_EQ(only_error(frontend("  http-response set-status 200 reason\n")),
            "t.cfg:3: 'http-response set-status': 'reason' expects a text");
  EXPECT_EQ(only_error(frontend("  http-response set-status 200 because x\n")),
            "t.cfg:3: 'http-response set-status': unexpected argument 'because': expects "
            "[if|unless COND]");
  EXPECT_EQ(only_error(frontend("  http-request allow now\n")),
            "t.cfg:3: 'http-request allow': unexpected argument 'now': expects [if|unless COND]");
  EXPECT_EQ(only_error(frontend("  http-request strict-mode maybe\n")),
            "t.cfg:3: 'http-request strict-mode': expects 'on' or 'off'");
  EXPECT_EQ(only_error(frontend("  http-response redirect prefix /p\n")),
            "t.cfg:3: 'http-response redirect': only 'location' redirects are possible on a "
            "response");
  // set-status is for responses only (HAProxy has no http-request set-status).
  EXPECT_TRUE(starts(only_error(frontend("  http-request set-status 200\n")),
                     "t.cfg:3: 'http-request set-status': unknown action; supported: "));
}

TEST(HttpRules, NamedDefaultsRulesRunBeforeTheProxysOwn) {
  auto r = parse(
      "defaults common\n  mode http\n"
      "defaults front from common\n  http-request set-header X-D 1\n"
      "  http-after-response set-header X-A 1\n"
      "frontend f from front\n  http-request set-header X-F 1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& f = r.config.proxies.at(0);
  ASSERT_EQ(f.http_request_rules.size(), 2u);
  EXPECT_EQ(f.http_request_rules[0].name, "X-D");
  EXPECT_EQ(f.http_request_rules[1].name, "X-F");
  EXPECT_EQ(f.http_after_response_rules.size(), 1u);
}

// HAProxy 2.6 creates the proc variables that set-var actions name when it
// reads the configuration, so "ifexists" holds for them from the start.
TEST(HttpRules, SetVarActionsCreateTheirProcVariables) {
  auto r = parse(
      "frontend f\n  mode http\n  bind :1\n"
      "  http-response set-var(proc.rule_decl_http,ifexists) int(1)\n"
      "  tcp-request content set-var(proc.rule_decl_tcp) int(1) if FALSE\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  expr::Sample one;
  one.set_sint(1);
  auto exists = [&](const char* name) {
    expr::VarName v;
    std::string err;
    EXPECT_TRUE(expr::parse_var_name(name, &v, &err)) << err;
    return expr::ProcVars::instance().set_if(v.id, expr::kVarIfExists, one);
  };
  EXPECT_TRUE(exists("proc.rule_decl_http"));
  EXPECT_TRUE(exists("proc.rule_decl_tcp"));
  EXPECT_FALSE(exists("proc.rule_never_named"));
}

TEST(HttpRules, DefaultsRulesErrors) {
  EXPECT_EQ(only_error(parse("defaults\n  mode http\n  http-request set-header X-D 1\n")),
            "t.cfg:3: 'http-request': not allowed in an anonymous defaults section: name it "
            "(defaults NAME) and have proxies use it with 'from NAME'");
  EXPECT_EQ(only_error(parse("defaults d\n  mode http\n  http-response set-header X-D 1\n"
                             "listen l from d\n  bind :1\n  server s 127.0.0.1:2\n")),
            "t.cfg:4: 'listen': a listen section cannot inherit TCP/HTTP rules from a defaults "
            "section (the one at t.cfg:1)");
  EXPECT_EQ(only_error(parse("defaults d\n  mode http\n  http-response set-header X-D 1\n"
                             "frontend f from d\n  bind :1\n  default_backend b\n"
                             "backend b from d\n")),
            "t.cfg:7: 'backend': the defaults section at t.cfg:1 defines TCP/HTTP rules: it may "
            "serve frontends or backends, not both");
  // Without rules, one defaults section serves everything.
  EXPECT_TRUE(parse("defaults d\n  mode http\nfrontend f from d\n  bind :1\n"
                    "  default_backend b\nbackend b from d\nlisten l from d\n  bind :2\n")
                  .ok());
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(HttpRules, TarpitTakesTheOptionsOfDeny) {
  auto r = frontend(
      "  http-request tarpit\n"
      "  http-request tarpit deny_status 429 if { path /a }\n"
      "  http-request tarpit status 503 content-type text/plain string slow hdr x-a b\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 3u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kTarpit);
  EXPECT_EQ(req(r)[0].status, 500);  // HAProxy's default for a tarpit
  ASSERT_TRUE(req(r)[0].errmsg);     // the proxy's message for the status
  EXPECT_EQ(req(r)[1].status, 429);
  EXPECT_TRUE(req(r)[1].cond);
  EXPECT_EQ(req(r)[2].status, 503);
  EXPECT_EQ(req(r)[2].value, "slow");
  EXPECT_EQ(req(r)[2].content_type, "text/plain");
  ASSERT_EQ(req(r)[2].hdrs.size(), 1u);
  EXPECT_TRUE(starts_with(only_error(frontend("  http-request tarpit deny_stat 429\n")),
                          "t.cfg:3: 'http-request tarpit': option 'deny_stat' is not supported"));
}

TEST(HttpRules, SetTimeout) {
  auto r = parse(
      "backend b\n  mode http\n"
      "  http-request set-timeout server 2s\n"
      "  http-request set-timeout tunnel int(1500) if TRUE\n"
      "  http-request set-timeout server req.hdr(x-t),mul(2)\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& rules = req(r);
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].action, HttpRule::Action::kSetTimeout);
  EXPECT_FALSE(rules[0].timeout_tunnel);
  EXPECT_EQ(rules[0].wait_ms, 2000);
  EXPECT_FALSE(rules[0].expr);
  EXPECT_TRUE(rules[1].timeout_tunnel);
  EXPECT_TRUE(rules[1].expr);
  EXPECT_TRUE(rules[1].cond);
  EXPECT_TRUE(rules[2].expr);
  EXPECT_TRUE(parse("listen l\n  mode http\n  http-request set-timeout server 1s\n").ok());
  // As HAProxy 2.6: no client target, no null value, not in a frontend.
  EXPECT_EQ(only_error(parse("backend b\n  http-request set-timeout client 1s\n")),
            "t.cfg:2: 'http-request set-timeout': expects 'server' or 'tunnel', got 'client'");
  EXPECT_EQ(only_error(parse("backend b\n  http-request set-timeout server 0\n")),
            "t.cfg:2: 'http-request set-timeout': a timeout of 0 is not allowed");
  EXPECT_EQ(only_error(parse("backend b\n  http-request set-timeout server\n")),
            "t.cfg:2: 'http-request set-timeout': missing value: expects 'http-request "
            "set-timeout server TIMEOUT|EXPR'");
  EXPECT_TRUE(starts_with(only_error(parse("backend b\n  http-request set-timeout server nope\n")),
                          "t.cfg:2: 'http-request set-timeout': "));
  EXPECT_EQ(only_error(frontend("  http-request set-timeout server 1s\n")),
            "t.cfg:3: 'http-request set-timeout': the server and tunnel timeouts belong to a "
            "backend: allowed in a backend, listen or defaults section only");
}

TEST(HttpRules, EarlyHintRunsAsHAProxyGroupsThem) {
  auto r = frontend(
      "  http-request early-hint Link \"</a.css>; rel=preload\" if TRUE\n"
      "  http-request early-hint Link %[path]\n"
      "  http-request early-hint x-a b\n"
      "  http-request early-hint x-c d if FALSE\n"
      "  http-request set-var(txn.x) str(1)\n"
      "  http-request early-hint x-e f\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 6u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kEarlyHint);
  EXPECT_EQ(req(r)[0].name, "link");  // written in lower case, as HAProxy's
  EXPECT_EQ(req(r)[0].value, "</a.css>; rel=preload");
  EXPECT_TRUE(req(r)[1].fmt);
  // A run: an early-hint and the unconditional ones after it.
  EXPECT_EQ(req(r)[0].eh_group, 3);
  EXPECT_EQ(req(r)[1].eh_group, 2);
  EXPECT_EQ(req(r)[2].eh_group, 1);
  EXPECT_EQ(req(r)[3].eh_group, 1);  // the next rule is no early-hint
  EXPECT_EQ(req(r)[5].eh_group, 1);
  EXPECT_EQ(only_error(frontend("  http-request early-hint Link\n")),
            "t.cfg:3: 'http-request early-hint': missing argument: expects 'http-request "
            "early-hint NAME FORMAT'");
  EXPECT_TRUE(starts_with(only_error(frontend("  http-request early-hint \"a b\" c\n")),
                          "t.cfg:3: 'http-request early-hint': invalid header name 'a b'"));
  EXPECT_TRUE(starts_with(only_error(frontend("  http-response early-hint a b\n")),
                          "t.cfg:3: 'http-response early-hint': unknown action"));
}

}  // namespace
}  // namespace hearth::config

namespace hearth::config {
namespace {

// add-acl, del-acl, set-map, del-map: the file's reference, the formats and
// the condition; the shapes HAProxy refuses are refused with the line.
TEST(HttpRules, PatternFileActions) {
  auto r = frontend(
      "  http-request add-acl(/tmp/a.lst) %[req.hdr(x)] if { path /add }\n"
      "  http-request del-acl(/tmp/a.lst) %[req.hdr(x)]\n"
      "  http-request set-map(/tmp/m.map) %[src] v-%[req.hdr(y)] unless { path /x }\n"
      "  http-response del-map(/tmp/m.map) %[res.hdr(k)]\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(req(r).size(), 3u);
  EXPECT_EQ(req(r)[0].action, HttpRule::Action::kAddAcl);
  EXPECT_NE(req(r)[0].cond, nullptr);
  EXPECT_EQ(req(r)[0].pat_ref, req(r)[1].pat_ref);  // one reference per file
  EXPECT_EQ(req(r)[0].pat_ref->path(), "/tmp/a.lst");
  EXPECT_EQ(req(r)[1].action, HttpRule::Action::kDelAcl);
  EXPECT_EQ(req(r)[2].action, HttpRule::Action::kSetMap);
  EXPECT_NE(req(r)[2].fmt2, nullptr);
  EXPECT_NE(req(r)[2].cond, nullptr);
  ASSERT_EQ(rsp(r).size(), 1u);
  EXPECT_EQ(rsp(r)[0].action, HttpRule::Action::kDelMap);
  EXPECT_EQ(rsp(r)[0].pat_ref, req(r)[2].pat_ref);

  EXPECT_EQ(only_error(frontend("  http-request add-acl %[src]\n")),
            "t.cfg:3: 'http-request add-acl': expects the file name in parentheses: "
            "add-acl(FILE) KEY-FORMAT");
  EXPECT_EQ(only_error(frontend("  http-request set-map(/m) %[src]\n")),
            "t.cfg:3: 'http-request set-map(/m)': expects set-map(FILE) KEY-FORMAT "
            "VALUE-FORMAT [if|unless CONDITION]");
  EXPECT_EQ(only_error(frontend("  http-request del-map(/m) a b\n")),
            "t.cfg:3: 'http-request del-map(/m)': expects del-map(FILE) KEY-FORMAT "
            "[if|unless CONDITION]");
  EXPECT_FALSE(frontend("  http-after-response set-map(/m) a b\n").ok());
}

}  // namespace
}  // namespace hearth::config
