// Response heads and the framing of the body that follows them.
#include <gtest/gtest.h>

#include <string>

#include "http/framing.h"
#include "http/head_parser.h"
#include "http_test_util.h"

namespace hearth::http {
namespace {

using Kind = BodyFraming::Kind;

class ResponseParserTest : public ::testing::Test {
 protected:
  ParseResult parse(std::string_view data) { return parser_.parse_response(data, &head_); }
  HeadParser parser_;
  ResponseHead head_;
};

TEST_F(ResponseParserTest, OkWithContentLength) {
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\n";
  const std::string wire = head + "hello";  // views point into it: keep it alive
  const ParseResult r = parse(wire);
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(r.consumed, head.size());
  EXPECT_EQ(head_.status, 200);
  EXPECT_EQ(head_.reason, "OK");
  EXPECT_EQ(head_.version_minor, 1);
  EXPECT_EQ(head_.headers.size(), 2u);
  EXPECT_TRUE(head_.flags.keep_alive);
  const BodyFraming f = response_framing(Method::kGet, head_);
  EXPECT_EQ(f, BodyFraming::content_length(5));
  EXPECT_TRUE(response_keeps_alive(head_, f));
}

TEST_F(ResponseParserTest, ReasonMayBeEmptyOrAbsent) {
  ASSERT_EQ(parse("HTTP/1.1 204\r\n\r\n").status, ParseStatus::kDone);
  EXPECT_EQ(head_.status, 204);
  EXPECT_EQ(head_.reason, "");
  ASSERT_EQ(parse("HTTP/1.1 404 \r\n\r\n").status, ParseStatus::kDone);
  EXPECT_EQ(head_.reason, "");
  ASSERT_EQ(parse("HTTP/1.1 503 Service\tUnavailable now\r\n\r\n").status, ParseStatus::kDone);
  EXPECT_EQ(head_.reason, "Service\tUnavailable now");
}

TEST_F(ResponseParserTest, Http10ResponseClosesByDefault) {
  ASSERT_EQ(parse("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n").status, ParseStatus::kDone);
  EXPECT_EQ(head_.version_minor, 0);
  EXPECT_FALSE(head_.flags.keep_alive);
  EXPECT_FALSE(response_keeps_alive(head_, response_framing(Method::kGet, head_)));
}

// NTLM and Negotiate authenticate the connection, not the request: hearth must
// keep such a server connection for the client that started the handshake.
TEST_F(ResponseParserTest, ConnectionBoundAuthentication) {
  struct Case {
    const char* wire;
    bool binds;
  } const cases[] = {
      {"HTTP/1.1 401 U\r\nWWW-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n", true},
      {"HTTP/1.1 401 U\r\nwww-authenticate: ntlm TlRMTVNTUAACAAAA\r\nContent-Length: 0\r\n\r\n",
       true},
      {"HTTP/1.1 401 U\r\nWWW-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n", true},
      {"HTTP/1.1 401 U\r\nWWW-Authenticate: Basic realm=x, NTLM\r\nContent-Length: 0\r\n\r\n",
       true},
      {"HTTP/1.1 401 U\r\nWWW-Authenticate: Basic realm=x\r\n"
       "WWW-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n",
       true},
      {"HTTP/1.1 401 U\r\nWWW-Authenticate: Basic realm=NTLM\r\nContent-Length: 0\r\n\r\n",
       false},
      {"HTTP/1.1 401 U\r\nWWW-Authenticate: NTLMv3\r\nContent-Length: 0\r\n\r\n", false},
      {"HTTP/1.1 401 U\r\nWWW-Authenticate: Bearer\r\nContent-Length: 0\r\n\r\n", false},
      {"HTTP/1.1 200 OK\r\nWWW-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n", false},
      {"HTTP/1.1 407 P\r\nProxy-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n", true},
      {"HTTP/1.1 401 U\r\nProxy-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n", false},
  };
  for (const Case& c : cases) {
    const std::string wire = c.wire;
    ASSERT_EQ(parse(wire).status, ParseStatus::kDone) << wire;
    EXPECT_EQ(binds_connection_auth(head_), c.binds) << wire;
  }
}

struct FramingCase {
  const char* name;
  Method method;
  std::string head;
  BodyFraming expected;
};

const FramingCase kFramingCases[] = {
    {"content_length", Method::kGet, "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n",
     BodyFraming::content_length(12)},
    {"chunked", Method::kGet, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
     BodyFraming::chunked()},
    {"gzip_chunked", Method::kPost, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
     BodyFraming::chunked()},
    {"te_not_chunked", Method::kGet, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
     BodyFraming::close_delimited()},
    {"te_unknown", Method::kGet, "HTTP/1.1 200 OK\r\nTransfer-Encoding: br2\r\n\r\n",
     BodyFraming::close_delimited()},
    {"neither", Method::kGet, "HTTP/1.1 200 OK\r\n\r\n", BodyFraming::close_delimited()},
    {"head_request", Method::kHead, "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n",
     BodyFraming::none()},
    {"head_request_chunked", Method::kHead, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
     BodyFraming::none()},
    {"no_content", Method::kGet, "HTTP/1.1 204 No Content\r\n\r\n", BodyFraming::none()},
    {"not_modified", Method::kGet, "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n",
     BodyFraming::none()},
    {"continue", Method::kPut, "HTTP/1.1 100 Continue\r\n\r\n", BodyFraming::none()},
    {"early_hints", Method::kGet, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
     BodyFraming::none()},
    {"switching", Method::kGet,
     "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
     BodyFraming::tunnel()},
    {"connect_ok", Method::kConnect, "HTTP/1.1 200 Connection established\r\n\r\n",
     BodyFraming::tunnel()},
    {"connect_denied", Method::kConnect, "HTTP/1.1 407 Proxy Auth\r\nContent-Length: 3\r\n\r\n",
     BodyFraming::content_length(3)},
    {"zero_length", Method::kGet, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
     BodyFraming::content_length(0)},
};

class ResponseFramingTest : public ::testing::TestWithParam<FramingCase> {};

TEST_P(ResponseFramingTest, Framing) {
  HeadParser parser;
  ResponseHead head;
  const ParseResult r = parser.parse_response(GetParam().head, &head);
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(r.consumed, GetParam().head.size());
  const BodyFraming f = response_framing(GetParam().method, head);
  EXPECT_EQ(f.kind, GetParam().expected.kind);
  EXPECT_EQ(f.length, GetParam().expected.length);
  if (f.kind == Kind::kCloseDelimited || f.kind == Kind::kTunnel) {
    EXPECT_FALSE(response_keeps_alive(head, f));
  } else {
    EXPECT_TRUE(response_keeps_alive(head, f));
  }
}

INSTANTIATE_TEST_SUITE_P(All, ResponseFramingTest, ::testing::ValuesIn(kFramingCases),
                         [](const ::testing::TestParamInfo<FramingCase>& info) {
                           return std::string(info.param.name);
                         });

struct BadResponse {
  const char* name;
  std::string head;
};

const BadResponse kBadResponses[] = {
    {"cl_and_te", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"},
    {"te_and_cl", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"},
    {"cl_invalid", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n"},
    {"cl_list", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n"},
    {"cl_negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"},
    {"cl_conflict", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 4\r\n\r\n"},
    {"cl_space_before_colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n"},
    {"te_chunked_twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"},
    {"te_in_http10", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"},
    {"te_empty_element", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked,\r\n\r\n"},
    {"http2_version", "HTTP/2.0 200 OK\r\n\r\n"},
    {"http12_version", "HTTP/1.2 200 OK\r\n\r\n"},
    {"lowercase_version", "http/1.1 200 OK\r\n\r\n"},
    {"two_digit_status", "HTTP/1.1 20 OK\r\n\r\n"},
    {"status_below_100", "HTTP/1.1 099 Odd\r\n\r\n"},
    {"status_above_599", "HTTP/1.1 600 Odd\r\n\r\n"},
    {"status_letters", "HTTP/1.1 2x0 OK\r\n\r\n"},
    {"status_four_digits", "HTTP/1.1 2000 OK\r\n\r\n"},
    {"ctl_in_reason", "HTTP/1.1 200 O\x01K\r\n\r\n"},
    {"bare_lf", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"},
    {"bare_cr", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"},
    {"obs_fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n"},
    {"leading_empty_line", "\r\nHTTP/1.1 200 OK\r\n\r\n"},
    {"http09_body", "<html>hello</html>\r\n\r\n"},
};

class ResponseRejectTest : public ::testing::TestWithParam<BadResponse> {};

TEST_P(ResponseRejectTest, AnswersBadGateway) {
  HeadParser parser;
  ResponseHead head;
  const ParseResult r = parser.parse_response(GetParam().head, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 502) << r.reason;
  std::string storage;
  const ParseResult b = testing::parse_bytewise(&parser, GetParam().head, &head, &storage);
  ASSERT_EQ(b.status, ParseStatus::kError);
  EXPECT_EQ(b.http_status, 502);
}

INSTANTIATE_TEST_SUITE_P(All, ResponseRejectTest, ::testing::ValuesIn(kBadResponses),
                         [](const ::testing::TestParamInfo<BadResponse>& info) {
                           return std::string(info.param.name);
                         });

TEST(ResponseLimits, OversizedResponseHeadIsBadGateway) {
  HeadLimits limits;
  limits.max_head_size = 64;
  HeadParser parser(limits);
  ResponseHead head;
  const std::string big = "HTTP/1.1 200 OK\r\nX-Pad: " + std::string(100, 'a') + "\r\n\r\n";
  const ParseResult r = parser.parse_response(big, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 502);
}

}  // namespace
}  // namespace hearth::http
