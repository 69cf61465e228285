// Size limits: tune.http.maxhdr, request-line length and head size.
#include <gtest/gtest.h>

#include <string>

#include "http/head_parser.h"
#include "http_test_util.h"

namespace hearth::http {
namespace {

std::string request_with_fields(size_t n) {
  std::string s = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (size_t i = 1; i < n; ++i) s += "X-" + std::to_string(i) + ": v\r\n";
  return s + "\r\n";
}

TEST(LimitsTest, DefaultMaxHeadersIs101) {
  HeadParser parser;
  RequestHead head;
  EXPECT_EQ(parser.limits().max_headers, 101u);
  ParseResult r = parser.parse_request(request_with_fields(101), &head);
  ASSERT_EQ(r.status, ParseStatus::kDone) << r.reason;
  EXPECT_EQ(head.headers.size(), 101u);
  r = parser.parse_request(request_with_fields(102), &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 431);
}

TEST(LimitsTest, ConfiguredMaxHeaders) {
  HeadLimits limits;
  limits.max_headers = 3;
  HeadParser parser(limits);
  RequestHead head;
  EXPECT_EQ(parser.parse_request(request_with_fields(3), &head).status, ParseStatus::kDone);
  const ParseResult r = parser.parse_request(request_with_fields(4), &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 431);
}

TEST(LimitsTest, TooManyHeadersDetectedBeforeHeadEnds) {
  HeadLimits limits;
  limits.max_headers = 2;
  HeadParser parser(limits);
  RequestHead head;
  const ParseResult r =
      parser.parse_request("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n", &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 431);
}

TEST(LimitsTest, RequestLineLimit) {
  HeadLimits limits;
  limits.max_request_line = 32;
  HeadParser parser(limits);
  RequestHead head;
  // "GET " + target + " HTTP/1.1" is exactly 32 bytes with a 19-byte target.
  const std::string fits = "GET /" + std::string(18, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
  EXPECT_EQ(parser.parse_request(fits, &head).status, ParseStatus::kDone);
  const std::string longer = "GET /" + std::string(19, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
  const ParseResult r = parser.parse_request(longer, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 414);
}

TEST(LimitsTest, LongRequestLineRefusedBeforeItEnds) {
  HeadParser parser;
  RequestHead head;
  const std::string partial = "GET /" + std::string(9000, 'a');
  const ParseResult r = parser.parse_request(partial, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 414);
}

TEST(LimitsTest, HeadLargerThanBufferIs431) {
  HeadLimits limits;
  limits.max_head_size = 128;
  HeadParser parser(limits);
  RequestHead head;
  const std::string base = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
  // base + value + "\r\n\r\n" is exactly 128 bytes.
  const std::string fits = base + std::string(128 - base.size() - 4, 'v') + "\r\n\r\n";
  ASSERT_EQ(fits.size(), 128u);
  EXPECT_EQ(parser.parse_request(fits, &head).status, ParseStatus::kDone);
  const std::string longer = base + std::string(128 - base.size() - 3, 'v') + "\r\n\r\n";
  ParseResult r = parser.parse_request(longer, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 431);
  // A full buffer without a complete head can never complete.
  r = parser.parse_request(std::string_view(longer).substr(0, 128), &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 431);
}

TEST(LimitsTest, FullBufferEndingInCrIs431) {
  HeadLimits limits;
  limits.max_head_size = 64;
  HeadParser parser(limits);
  RequestHead head;
  std::string s = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
  s += std::string(63 - s.size(), 'v') + "\r";
  ASSERT_EQ(s.size(), 64u);
  const ParseResult r = parser.parse_request(s, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 431);
}

TEST(LimitsTest, EndlessEmptyLinesAreBounded) {
  HeadLimits limits;
  limits.max_head_size = 100;
  HeadParser parser(limits);
  RequestHead head;
  std::string s;
  while (s.size() < 200) s += "\r\n";
  const ParseResult r = parser.parse_request(s, &head);
  ASSERT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 431);
}

}  // namespace
}  // namespace hearth::http
