// Access-log formats (LogFormat::parse_log / render): %-variables from a
// LogRecord, the +Q/+X/+E flags, %{..}o, separators, refusals. The expected
// texts are what HAProxy 2.6 prints for the same format and values.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include <cstring>

#include "expr/log_format.h"

namespace hearth::expr {
namespace {

LogAddr v4(const char* ip, uint16_t port) {
  LogAddr a;
  a.family = AF_INET;
  inet_pton(AF_INET, ip, a.bytes);
  a.port = port;
  return a;
}

class LogFormatLog : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
    r.client = v4("127.0.0.1", 51668);
    r.frontend = v4("127.0.0.1", 18095);
    r.server = v4("10.0.0.2", 8080);
    r.fe_name = "fe";
    r.be_name = "be";
    r.srv_name = "s1";
    r.accept_ms = 1796053623865;  // 30/Nov/2026:15:47:03.865 UTC
    r.request_ms = r.accept_ms + 2;
    r.ti = 2;
    r.treq = 1;
    r.tw = 0;
    r.tc = 1;
    r.tr = 8;
    r.tt = 15;
    r.status = 200;
    r.bytes_out = 569;
    r.bytes_in = 82;
    r.act_conns = 3;
    r.fe_conns = 2;
    r.be_conns = 1;
    r.srv_conns = 1;
    r.req_counter = 4;
    r.request = "GET /a%20b?q=1 HTTP/1.1";
    r.has_request = true;
  }
  std::string render(const std::string& fmt) {
    std::string err;
    auto f = LogFormat::parse_log(fmt, kUseAny, &err);
    EXPECT_TRUE(f) << err;
    if (!f) return "";
    std::string out;
    f->render(nullptr, r, &out);
    return out;
  }
  std::string error(const std::string& fmt) {
    std::string err;
    EXPECT_FALSE(LogFormat::parse_log(fmt, kUseAny, &err));
    return err;
  }
  LogRecord r;
};

TEST_F(LogFormatLog, Httplog) {
  EXPECT_EQ(render("%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc "
                   "%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r"),
            "127.0.0.1:51668 [30/Nov/2026:15:47:03.867] fe be/s1 1/0/1/8/13 200 569 - - ---- "
            "3/2/1/1/0 0/0 \"GET /a%20b?q=1 HTTP/1.1\"");
}

TEST_F(LogFormatLog, Tcplog) {
  r.term = "cD";
  EXPECT_EQ(render("%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq"),
            "127.0.0.1:51668 [30/Nov/2026:15:47:03.865] fe be/s1 0/1/15 569 cD 3/2/1/1/0 0/0");
}

TEST_F(LogFormatLog, Dates) {
  EXPECT_EQ(render("%T|%Tl|%trg|%trl|%ms|%Ts|%{+X}Ts|%{+X}ms"),
            "30/Nov/2026:15:47:03 +0000|30/Nov/2026:15:47:03 +0000|30/Nov/2026:15:47:03 "
            "+0000|30/Nov/2026:15:47:03 +0000|865|1796053623|6B0D9A77|361");
}

TEST_F(LogFormatLog, Timers) {
  EXPECT_EQ(render("%Th %Ti %TR %Tq %Tw %Tc %Tr %Ta %Tt %Td %Tu"), "0 2 1 3 0 1 8 13 15 3 13");
  r.tc = r.tr = -1;
  EXPECT_EQ(render("%Tc %Tr %Td"), "-1 -1 -1");
}

TEST_F(LogFormatLog, GlobalQuoteAndItsExceptions) {
  EXPECT_EQ(render("%{+Q}o %{-Q}ci %ci %cp %f %ST %HM %ID %CC %[src]"),
            "127.0.0.1 \"127.0.0.1\" 51668 \"fe\" 200 \"GET\" \"\" \"\" \"\"");
}

TEST_F(LogFormatLog, Hex) {
  EXPECT_EQ(render("%{+X}ci %{+X}cp %{+X}si:%{+X}sp %{+X}rt %{+X}lc"),
            "7F000001 C9D4 0A000002:1F90 0004 0000");
}

TEST_F(LogFormatLog, EscapeAndEncoding) {
  r.request = "GET /a\"b]c\\d#e HTTP/1.1";
  EXPECT_EQ(
      render("%r|%{+E}r|%{+Q,+E}HU"),
      "GET /a#22b]c\\d#23e HTTP/1.1|GET /a#22b\\]c\\\\d#23e HTTP/1.1|\"/a#22b\\]c\\\\d#23e\"");
}

TEST_F(LogFormatLog, RequestParts) {
  EXPECT_EQ(render("%HM|%HU|%HP|%HPO|%HQ|%HV"), "GET|/a%20b?q=1|/a%20b|/a%20b|?q=1|HTTP/1.1");
  r.request = "GET http://h.example/x/y?z HTTP/1.0";
  EXPECT_EQ(render("%HPO|%HP|%HQ|%HV"), "/x/y|http://h.example/x/y|?z|HTTP/1.0");
  r.has_request = false;
  EXPECT_EQ(render("%r|%HM|%HU|%HQ|"), "<BADREQ>|<BADREQ>|<BADREQ>||");
}

TEST_F(LogFormatLog, Captures) {
  EXPECT_EQ(render("a %hr %hs %hrl %hsl z"), "a z");  // none declared: nothing, one space
  const LogCapture req[] = {{"127.0", true}, {"", false}, {"x\"y|z", true}};
  const LogCapture res[] = {{"Simple", true}};
  r.req_caps = req;
  r.n_req_caps = 3;
  r.res_caps = res;
  r.n_res_caps = 1;
  EXPECT_EQ(render("%hr %hs %hrl %hsl"), "{127.0||x#22y#7Cz} {Simple} 127.0 - x#22y#7Cz Simple");
  EXPECT_EQ(render("%{+Q}hr %{+Q}hrl"), "\"{127.0||x#22y#7Cz}\" \"127.0\" \"\" \"x#22y#7Cz\"");
}

TEST_F(LogFormatLog, SeparatorsMerge) {
  EXPECT_EQ(render("   a  %ci   b%%c  %hr  z "), "a 127.0.0.1 b%c z ");
  EXPECT_EQ(render("%{+Q}o %ci"), "\"127.0.0.1\"");
}

TEST_F(LogFormatLog, TermAndRetries) {
  r.term = "SC";
  r.retries = 2;
  r.redispatched = true;
  EXPECT_EQ(render("%ts %tsc %rc"), "SC SC-- +2");
}

TEST_F(LogFormatLog, UniqueId) {
  EXPECT_EQ(render("%ID"), "-");
  r.unique_id = "abc";
  r.has_unique_id = true;
  EXPECT_EQ(render("%ID %{+Q}ID"), "abc \"abc\"");
}

// %sslv and %sslc are the client connection's TLS protocol and cipher: "-"
// without a TLS session to read them from.
TEST_F(LogFormatLog, SslVarsWithoutTls) { EXPECT_EQ(render("%sslv %sslc"), "- -"); }

TEST_F(LogFormatLog, Refusals) {
  EXPECT_EQ(error("%fn"), "unknown log-format variable '%fn' (write %% for a literal '%')");
  EXPECT_EQ(error("%sslvx"), "unknown log-format variable '%sslvx' (write %% for a literal '%')");
  EXPECT_EQ(error("%{+Z}ci"),
            "in log-format '%{+Z}ci': unknown log-format flag '+Z' (expects +Q, "
            "+X, +E or their '-')");
  EXPECT_EQ(error("%{+Q"), "missing '}' after '%{' in log-format '%{+Q'");
  EXPECT_EQ(error("a % b"),
            "a '%' must be followed by '%', '[' or a variable name in log-format 'a % b' (write %% "
            "for a literal '%')");
}

TEST_F(LogFormatLog, WhatItUses) {
  std::string err;
  auto f = LogFormat::parse_log("%ci %bi %HM", kUseAny, &err);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->uses(LogVar::kBackendIp));
  EXPECT_FALSE(f->uses(LogVar::kServerIp));
  EXPECT_TRUE(f->uses_request_line());
  EXPECT_EQ(f->http_var(), "%HM");
  f = LogFormat::parse_log("%ci %t", kUseAny, &err);
  EXPECT_FALSE(f->uses_request_line());
  EXPECT_EQ(f->http_var(), "");
}

}  // namespace
}  // namespace hearth::expr
