// errorfile, errorfiles, errorloc*, http-error, http-errors sections and
// the errorfile options of deny / return rules.
#include <gtest/gtest.h>

#include <fstream>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "hearth_ef_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const std::string kOk403 =
    "HTTP/1.0 403 Forbidden\r\nCache-Control: no-cache\r\nConnection: close\r\n"
    "Content-Type: text/html\r\nX-Err: one\r\n\r\n<p>no</p>\n";

std::string tag(const ParseResult& r, size_t proxy, int code) {
  const auto& e = r.config.proxies.at(proxy).errors;
  const auto it = e.find(code);
  if (it == e.end()) return "<none>";
  for (const auto& [n, v] : it->second->fields) {
    if (n == "x-err") return v;
  }
  return it->second->empty ? "<empty>" : "<reply>";
}

TEST(ErrorFile, ParsesAWholeResponse) {
  std::string err;
  auto r = parse_errorfile_text(kOk403, 403, &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->reason, "Forbidden");
  EXPECT_TRUE(r->close);            // Connection: close (and no content-length)
  ASSERT_EQ(r->fields.size(), 3u);  // Connection dropped, names lower-cased
  EXPECT_EQ(r->fields[0].first, "cache-control");
  EXPECT_EQ(r->fields[2].first, "x-err");
  EXPECT_EQ(r->body, "<p>no</p>\n");
  r = parse_errorfile_text("HTTP/1.1 503 Busy\nContent-Length: 2\n\nok", 503, &err);
  ASSERT_TRUE(r) << err;
  EXPECT_FALSE(r->close);
  EXPECT_EQ(r->body, "ok");
  r = parse_errorfile_text("", 408, &err);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty);
}

TEST(ErrorFile, RefusesWhatIsNotAWholeResponse) {
  std::string err;
  EXPECT_FALSE(parse_errorfile_text("garbage\r\n\r\n", 400, &err));
  EXPECT_NE(err.find("status line"), std::string::npos);
  EXPECT_FALSE(parse_errorfile_text("HTTP/1.1 400 Bad\r\nX: y\r\n", 400, &err));
  EXPECT_NE(err.find("no empty line"), std::string::npos);
  EXPECT_FALSE(
      parse_errorfile_text("HTTP/1.1 400 Bad\r\nContent-Length: 10\r\n\r\nabc", 400, &err));
  EXPECT_EQ(err, "payload size does not match the announced content-length (3 != 10)");
  EXPECT_FALSE(parse_errorfile_text(
      "HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, &err));
  EXPECT_FALSE(parse_errorfile_text("HTTP/1.1 400 Bad\r\nbad line\r\n\r\n", 400, &err));
}

TEST(ErrorFile, LaterLinesOverrideEarlierOnesAndDefaultsComeFirst) {
  const std::string a = write_file("a.http", kOk403);
  std::string b_text = kOk403;
  b_text.replace(b_text.find("one"), 3, "two");
  const std::string b = write_file("b.http", b_text);
  std::string c_text = b_text;
  c_text.replace(c_text.find("two"), 3, "six");
  const std::string c = write_file("c.http", c_text);
  auto r = parse("http-errors e1\n  errorfile 403 " + b + "\n  errorfile 404 " + b +
                 "\ndefaults\n  mode http\n  errorfiles e1\n  errorfile 404 " + a +
                 "\nfrontend f1\n  bind :1\n"
                 "frontend f2\n  bind :2\n  errorfile 403 " +
                 c + "\n  errorfiles e2 404\n" + "http-errors e2\n  errorfile 404 " + c + "\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(tag(r, 0, 403), "two");
  EXPECT_EQ(tag(r, 0, 404), "one");
  EXPECT_EQ(tag(r, 1, 403), "six");
  EXPECT_EQ(tag(r, 1, 404), "six");  // a section declared after the proxy
}

TEST(ErrorFile, HttpErrorAndErrorloc) {
  const std::string a = write_file("d.http", kOk403);
  auto r = parse("http-errors e1\n  errorfile 404 " + a +
                 "\ndefaults\n  mode http\n  errorfile 403 " + a +
                 "\nfrontend f\n  bind :1\n"
                 "  http-error status 403 default-errorfiles\n"
                 "  http-error status 404 errorfiles e1\n"
                 "  http-error status 500 content-type text/plain hdr x-p %[path] lf-string "
                 "\"at %[path]\"\n"
                 "  http-error status 400\n"
                 "  errorloc303 503 /maint\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& e = r.config.proxies.at(0).errors;
  EXPECT_EQ(e.count(403), 0u);  // reset: the built-in message
  EXPECT_EQ(tag(r, 0, 404), "one");
  ASSERT_EQ(e.count(500), 1u);
  EXPECT_FALSE(e.at(500)->whole);
  EXPECT_EQ(e.at(500)->content_type, "text/plain");
  EXPECT_TRUE(e.at(500)->body_fmt);
  EXPECT_EQ(e.at(500)->hdrs.size(), 1u);
  ASSERT_EQ(e.count(400), 1u);
  EXPECT_TRUE(e.at(400)->body.empty());
  ASSERT_EQ(e.count(503), 1u);
  EXPECT_EQ(e.at(503)->status, 303);
  EXPECT_EQ(e.at(503)->fields.back().second, "/maint");
}

TEST(ErrorFile, RuleOptions) {
  const std::string a = write_file("e.http", kOk403);
  auto r = parse("http-errors e1\n  errorfile 404 " + a +
                 "\nfrontend f\n  mode http\n  bind :1\n"
                 "  http-request deny deny_status 404 errorfiles e1 if { path /a }\n"
                 "  http-request return status 403 errorfile " +
                 a +
                 " if { path /b }\n"
                 "  http-request return status 400 default-errorfiles\n"
                 "  http-request deny\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& rules = r.config.proxies.at(0).http_request_rules;
  ASSERT_EQ(rules.size(), 4u);
  ASSERT_TRUE(rules[0].errmsg && rules[0].errmsg->reply);
  EXPECT_EQ(rules[0].errmsg->section, "e1");
  ASSERT_TRUE(rules[1].errmsg && rules[1].errmsg->reply);
  ASSERT_TRUE(rules[2].errmsg);
  EXPECT_TRUE(rules[2].errmsg->use_proxy);
  ASSERT_TRUE(rules[3].errmsg);  // a deny without a payload: its errorfile
  EXPECT_TRUE(rules[3].errmsg->use_proxy);
}

TEST(ErrorFile, ErrorsNameFileLineAndKeyword) {
  const std::string bad = write_file("bad.http", "HTTP/1.1 403 F\r\nContent-Length: 9\r\n\r\nx");
  const std::string ok = write_file("ok.http", kOk403);
  auto fe = [](const std::string& l) { return parse("frontend f\n  mode http\n" + l); };
  EXPECT_EQ(only_error(fe("  errorfile 302 " + ok + "\n")),
            "t.cfg:3: 'errorfile': status code '302' not handled: expects 200, 400, 401, 403, "
            "404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503 or 504");
  EXPECT_EQ(only_error(fe("  errorfile 403 /nonexistent/x\n")),
            "t.cfg:3: 'errorfile': cannot open the file '/nonexistent/x'");
  EXPECT_EQ(only_error(fe("  errorfile 403 " + bad + "\n")),
            "t.cfg:3: 'errorfile': '" + bad +
                "': payload size does not match the announced content-length (1 != 9)");
  EXPECT_EQ(only_error(fe("  errorfile 403\n")).substr(0, 24), "t.cfg:3: 'errorfile': mi");
  EXPECT_EQ(only_error(fe("  errorfiles nosuch\n")),
            "t.cfg:3: 'errorfiles': unknown http-errors section 'nosuch'");
  EXPECT_EQ(only_error(fe("  errorloc 403\n")).substr(0, 23), "t.cfg:3: 'errorloc': mi");
  EXPECT_EQ(only_error(fe("  http-error status 418\n")).substr(0, 52),
            "t.cfg:3: 'http-error': status code '418' not handled");
  EXPECT_EQ(only_error(fe("  http-error 400\n")),
            "t.cfg:3: 'http-error': expects 'status CODE' followed by the reply's options");
  EXPECT_EQ(only_error(fe("  http-error status 400 string x\n")),
            "t.cfg:3: 'http-error': a body needs 'content-type T', e.g. content-type text/plain");
  EXPECT_EQ(only_error(fe("  http-request deny deny_status 418\n")).substr(0, 82),
            "t.cfg:3: 'http-request deny': status code '418' not handled by default with 'defau");
  EXPECT_EQ(only_error(fe("  http-request return status 418 errorfiles x\n")).substr(0, 77),
            "t.cfg:3: 'http-request return': status code '418' not handled by default with");
  EXPECT_EQ(only_error(fe("  http-request return status 404 errorfiles nosuch\n")),
            "t.cfg:3: 'http-request': unknown http-errors section 'nosuch'");
  EXPECT_EQ(only_error(parse("http-errors e\n  errorloc 403 /x\n")),
            "t.cfg:2: 'errorloc': unknown keyword in an http-errors section: expects errorfile "
            "CODE FILE");
  EXPECT_EQ(only_error(parse("http-errors e\nhttp-errors e\n")),
            "t.cfg:2: 'http-errors': an http-errors section named 'e' already exists");
  // A section without the code: a warning, as HAProxy.
  auto r = parse("http-errors e\n  errorfile 403 " + ok +
                 "\nfrontend f\n  mode http\n  errorfiles e 404\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:5: 'errorfiles'", "status '404' not declared"));
  // Larger than tune.bufsize.
  const std::string big = write_file(
      "big.http", "HTTP/1.1 403 F\r\ncontent-length: 20000\r\n\r\n" + std::string(20000, 'a'));
  EXPECT_EQ(only_error(fe("  errorfile 403 " + big + "\n")),
            "t.cfg:3: 'errorfile': the message is larger than tune.bufsize (16384 bytes)");
  EXPECT_TRUE(
      parse("global\n  tune.bufsize 32768\nfrontend f\n  mode http\n  errorfile 403 " + big + "\n")
          .ok());
}

}  // namespace
}  // namespace hearth::config
