// Valid request heads: what the parser reports about them.
#include <gtest/gtest.h>

#include <string>

#include "http/head_parser.h"

namespace hearth::http {
namespace {

class RequestParserTest : public ::testing::Test {
 protected:
  ParseResult parse(std::string_view data) { return parser_.parse_request(data, &head_); }
  HeadParser parser_;
  RequestHead head_;
};

TEST_F(RequestParserTest, SimpleGet) {
  const std::string req =
      "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n";
  const ParseResult r = parse(req);
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(r.consumed, req.size());
  EXPECT_EQ(head_.method, Method::kGet);
  EXPECT_EQ(head_.method_str, "GET");
  EXPECT_EQ(head_.target, "/index.html?q=1");
  EXPECT_EQ(head_.path, "/index.html?q=1");
  EXPECT_EQ(head_.target_form, TargetForm::kOrigin);
  EXPECT_EQ(head_.host, "example.com");
  EXPECT_EQ(head_.version_minor, 1);
  EXPECT_TRUE(head_.flags.keep_alive);
  EXPECT_EQ(head_.framing, BodyFraming::none());
  ASSERT_EQ(head_.headers.size(), 2u);
  EXPECT_EQ(head_.headers[0].name, "Host");
  EXPECT_EQ(head_.headers[1].name, "Accept");
  EXPECT_EQ(head_.headers[1].value, "*/*");
  ASSERT_NE(head_.headers.find("ACCEPT"), nullptr);
  EXPECT_EQ(head_.headers.find("accept")->value, "*/*");
  EXPECT_EQ(head_.headers.find("missing"), nullptr);
}

TEST_F(RequestParserTest, ValuesAreTrimmedAndKeepInnerWhitespace) {
  const ParseResult r = parse("GET / HTTP/1.1\r\nHost:a\r\nX-A: \t one\ttwo  \t\r\nX-B:\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.host, "a");
  EXPECT_EQ(head_.headers.find("x-a")->value, "one\ttwo");
  EXPECT_EQ(head_.headers.find("x-b")->value, "");
}

TEST_F(RequestParserTest, ObsTextIsAllowedInValues) {
  const ParseResult r = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xc3\xa9\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.headers.find("x-name")->value, "caf\xc3\xa9");
}

TEST_F(RequestParserTest, PostWithContentLengthLeavesBodyToCaller) {
  const std::string head = "POST /submit HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n";
  const std::string wire = head + "hello";
  const ParseResult r = parse(wire);
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(r.consumed, head.size());
  EXPECT_EQ(head_.method, Method::kPost);
  EXPECT_TRUE(head_.flags.has_content_length);
  EXPECT_EQ(head_.content_length, 5u);
  EXPECT_EQ(head_.framing, BodyFraming::content_length(5));
}

TEST_F(RequestParserTest, RepeatedIdenticalContentLengthIsAccepted) {
  const ParseResult r =
      parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\ncontent-length: 007\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.framing, BodyFraming::content_length(7));
}

TEST_F(RequestParserTest, LargestContentLengthIsAccepted) {
  const ParseResult r =
      parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.content_length, 9223372036854775807ull);
}

TEST_F(RequestParserTest, ChunkedRequest) {
  const ParseResult r = parse(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, CHUNKED\r\nTE: trailers\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.framing, BodyFraming::chunked());
  EXPECT_TRUE(head_.flags.transfer_encoding);
  EXPECT_TRUE(head_.flags.chunked);
  EXPECT_TRUE(head_.flags.te_present);
  EXPECT_TRUE(head_.flags.trailers_accepted);
}

TEST_F(RequestParserTest, TransferEncodingSplitOverTwoLines) {
  const ParseResult r = parse(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: "
      "chunked\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.framing, BodyFraming::chunked());
}

TEST_F(RequestParserTest, PipelinedRequestsParseOneAfterAnother) {
  const std::string first = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string second = "GET /2 HTTP/1.1\r\nHost: b\r\n\r\n";
  const std::string buf = first + second;
  ParseResult r = parse(buf);
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(r.consumed, first.size());
  EXPECT_EQ(head_.target, "/1");
  r = parse(std::string_view(buf).substr(r.consumed));
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(r.consumed, second.size());
  EXPECT_EQ(head_.target, "/2");
  EXPECT_EQ(head_.host, "b");
}

TEST_F(RequestParserTest, AbsoluteForm) {
  const ParseResult r =
      parse("GET HTTP://Example.com:8080/a/b?c HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.target_form, TargetForm::kAbsolute);
  EXPECT_EQ(head_.authority, "Example.com:8080");
  EXPECT_EQ(head_.path, "/a/b?c");
}

TEST_F(RequestParserTest, AbsoluteFormWithoutPath) {
  const ParseResult r = parse("GET https://a.example HTTP/1.1\r\nHost: a.example\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.authority, "a.example");
  EXPECT_EQ(head_.path, "");
}

TEST_F(RequestParserTest, AuthorityFormForConnect) {
  const ParseResult r = parse("CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.method, Method::kConnect);
  EXPECT_EQ(head_.target_form, TargetForm::kAuthority);
  EXPECT_EQ(head_.authority, "[::1]:443");
}

TEST_F(RequestParserTest, AsteriskFormForOptions) {
  const ParseResult r = parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.target_form, TargetForm::kAsterisk);
}

TEST_F(RequestParserTest, UnknownMethodTokenIsKept) {
  const ParseResult r = parse("PURGE /x HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.method, Method::kOther);
  EXPECT_EQ(head_.method_str, "PURGE");
}

TEST_F(RequestParserTest, MethodsAreCaseSensitive) {
  const ParseResult r = parse("get / HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head_.method, Method::kOther);
}

TEST_F(RequestParserTest, Http10DefaultsToClose) {
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n").status, ParseStatus::kDone);
  EXPECT_EQ(head_.version_minor, 0);
  EXPECT_FALSE(head_.flags.keep_alive);
  EXPECT_EQ(head_.host, "");
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").status, ParseStatus::kDone);
  EXPECT_TRUE(head_.flags.keep_alive);
}

TEST_F(RequestParserTest, ConnectionCloseDisablesKeepAlive) {
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, CLOSE\r\n\r\n").status,
            ParseStatus::kDone);
  EXPECT_FALSE(head_.flags.keep_alive);
  EXPECT_TRUE(head_.connection.close());
  EXPECT_TRUE(head_.connection.contains("foo"));
}

TEST_F(RequestParserTest, ExpectContinue) {
  ASSERT_EQ(parse("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n")
                .status,
            ParseStatus::kDone);
  EXPECT_TRUE(head_.flags.expect_continue);
  // RFC 9110 §10.1.1: ignored in HTTP/1.0.
  ASSERT_EQ(parse("PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").status,
            ParseStatus::kDone);
  EXPECT_FALSE(head_.flags.expect_continue);
}

TEST_F(RequestParserTest, UpgradeNeedsConnectionToken) {
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                .status,
            ParseStatus::kDone);
  EXPECT_TRUE(head_.flags.upgrade);
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n").status,
            ParseStatus::kDone);
  EXPECT_FALSE(head_.flags.upgrade);
}

TEST_F(RequestParserTest, LeadingEmptyLinesAreSkipped) {
  const std::string req = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const ParseResult r = parse(req);
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(r.consumed, req.size());
  EXPECT_EQ(head_.method_str, "GET");
}

TEST_F(RequestParserTest, IncompleteHeadNeedsMore) {
  EXPECT_EQ(parse("").status, ParseStatus::kNeedMore);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n").status, ParseStatus::kNeedMore);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n\r").status, ParseStatus::kNeedMore);
  const ParseResult r = parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(r.status, ParseStatus::kDone);
}

TEST_F(RequestParserTest, ParserIsReusableAfterError) {
  EXPECT_EQ(parse("GET / HTTP/1.1\nHost: a\r\n\r\n").status, ParseStatus::kError);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status, ParseStatus::kDone);
}

}  // namespace
}  // namespace hearth::http
