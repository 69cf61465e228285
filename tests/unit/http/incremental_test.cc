// Feeding bytes in pieces must give exactly the verdict of feeding them whole.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/body_reader.h"
#include "http/framing.h"
#include "http/head_parser.h"
#include "http_test_util.h"

namespace hearth::http {
namespace {

using testing::feed_in_steps;
using testing::parse_bytewise;

const std::vector<std::string>& request_samples() {
  static const std::vector<std::string> samples = {
      "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
      "\r\nGET /x?y HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nUser-Agent: t\r\n\r\nBODY",
      "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
      "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "GET http://a/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
      "GET / HTTP/1.0\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\rB: c\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\n\n",
      "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
      "G\x01T / HTTP/1.1\r\nHost: a\r\n\r\n",
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
      "GE\x7fT\r\n\r\n",
  };
  return samples;
}

TEST(IncrementalHeadTest, RequestsByteByByteMatchWhole) {
  for (const std::string& sample : request_samples()) {
    HeadParser whole_parser;
    HeadParser piece_parser;
    RequestHead whole;
    RequestHead piece;
    std::string storage;
    const ParseResult a = whole_parser.parse_request(sample, &whole);
    const ParseResult b = parse_bytewise(&piece_parser, sample, &piece, &storage);
    ASSERT_EQ(a.status, b.status) << sample;
    EXPECT_EQ(a.consumed, b.consumed) << sample;
    EXPECT_EQ(a.http_status, b.http_status) << sample;
    if (a.status != ParseStatus::kDone) continue;
    EXPECT_EQ(whole.target, piece.target);
    EXPECT_EQ(whole.host, piece.host);
    EXPECT_EQ(whole.framing, piece.framing);
    EXPECT_EQ(whole.flags.keep_alive, piece.flags.keep_alive);
    ASSERT_EQ(whole.headers.size(), piece.headers.size());
    for (size_t i = 0; i < whole.headers.size(); ++i) {
      EXPECT_EQ(whole.headers[i].name, piece.headers[i].name);
      EXPECT_EQ(whole.headers[i].value, piece.headers[i].value);
    }
    // The views of the piecewise parse point into the last buffer given.
    EXPECT_GE(piece.target.data(), storage.data());
    EXPECT_LE(piece.target.data() + piece.target.size(), storage.data() + storage.size());
  }
}

TEST(IncrementalHeadTest, TwoPieceSplitAtEveryPoint) {
  const std::string sample =
      "PUT /obj HTTP/1.1\r\nHost: s3\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc";
  HeadParser reference;
  RequestHead expected;
  const ParseResult want = reference.parse_request(sample, &expected);
  ASSERT_EQ(want.status, ParseStatus::kDone);
  for (size_t split = 0; split <= sample.size(); ++split) {
    HeadParser parser;
    RequestHead head;
    ParseResult r = parser.parse_request(std::string_view(sample).substr(0, split), &head);
    if (r.status == ParseStatus::kNeedMore) r = parser.parse_request(sample, &head);
    ASSERT_EQ(r.status, ParseStatus::kDone) << split;
    EXPECT_EQ(r.consumed, want.consumed) << split;
    EXPECT_TRUE(head.flags.expect_continue);
    EXPECT_EQ(head.framing, BodyFraming::content_length(3));
  }
}

TEST(IncrementalHeadTest, ResponsesByteByByteMatchWhole) {
  const std::string samples[] = {
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n",
  };
  for (const std::string& sample : samples) {
    HeadParser whole_parser;
    HeadParser piece_parser;
    ResponseHead whole;
    ResponseHead piece;
    std::string storage;
    const ParseResult a = whole_parser.parse_response(sample, &whole);
    const ParseResult b = parse_bytewise(&piece_parser, sample, &piece, &storage);
    ASSERT_EQ(a.status, b.status) << sample;
    EXPECT_EQ(a.consumed, b.consumed);
    EXPECT_EQ(a.http_status, b.http_status);
    if (a.status == ParseStatus::kDone) {
      EXPECT_EQ(whole.status, piece.status);
      EXPECT_EQ(response_framing(Method::kGet, whole), response_framing(Method::kGet, piece));
    }
  }
}

TEST(IncrementalHeadTest, ParserSwitchesBetweenRequestAndResponse) {
  HeadParser parser;
  RequestHead req;
  ResponseHead resp;
  EXPECT_EQ(parser.parse_request("GET / HTTP/1.1\r\nHo", &req).status, ParseStatus::kNeedMore);
  // A response scan must not inherit the request's progress.
  EXPECT_EQ(parser.parse_response("HTTP/1.1 204 No Content\r\n\r\n", &resp).status,
            ParseStatus::kDone);
  EXPECT_EQ(resp.status, 204);
}

const std::string kChunkedSamples[] = {
    "5\r\nhello\r\n0\r\n\r\n",
    "1a;ext=\"v\"\r\nabcdefghijklmnopqrstuvwxyz\r\n3 ;x\r\nabc\r\n0\r\nT1: a\r\nT2: b\r\n\r\nNEXT",
    "00000000000000F\r\n0123456789abcde\r\n0\r\n\r\n",
    "5\r\nhello\r\n0\r\nX : y\r\n\r\n",
    "5\r\nhello\n0\r\n\r\n",
    "5\r\nhel",
};

TEST(IncrementalChunkedTest, EveryStepSizeMatchesWhole) {
  for (const std::string& sample : kChunkedSamples) {
    ChunkedDecoder whole;
    const testing::FeedOutcome want = feed_in_steps(&whole, sample, sample.size());
    for (size_t step = 1; step <= sample.size(); ++step) {
      ChunkedDecoder d;
      const testing::FeedOutcome got = feed_in_steps(&d, sample, step);
      EXPECT_EQ(got.status, want.status) << sample << " step " << step;
      if (want.status != BodyStatus::kError) {
        EXPECT_EQ(got.consumed, want.consumed) << sample << " step " << step;
        EXPECT_EQ(d.payload_bytes(), whole.payload_bytes());
      }
    }
  }
}

TEST(IncrementalChunkedTest, FullMessageThroughHeadParserAndBodyReader) {
  const std::string head = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string body = "4\r\nWiki\r\n5\r\npedia\r\n0\r\nChecksum: 1\r\n\r\n";
  const std::string next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string wire = head + body + next;
  HeadParser parser;
  RequestHead req;
  ParseResult r = parser.parse_request(wire, &req);
  ASSERT_EQ(r.status, ParseStatus::kDone);
  BodyReader reader;
  reader.reset(req.framing);
  size_t off = r.consumed;
  BodyStatus st = BodyStatus::kMore;
  while (st == BodyStatus::kMore) off += reader.feed(wire.data() + off, 1, &st);
  ASSERT_EQ(st, BodyStatus::kDone);
  EXPECT_EQ(off, head.size() + body.size());
  r = parser.parse_request(std::string_view(wire).substr(off), &req);
  ASSERT_EQ(r.status, ParseStatus::kDone);
  EXPECT_EQ(req.target, "/next");
}

}  // namespace
}  // namespace hearth::http

namespace hearth::http {
namespace {

// As HAProxy: a method byte that no method may hold is refused at once, not
// when the line ends (a TLS ClientHello sent to a plain HTTP port gets its
// 400 before any timeout).
TEST(IncrementalHeadTest, ABadMethodByteIsRefusedBeforeTheLineEnds) {
  HeadParser p;
  RequestHead h;
  const ParseResult r = p.parse_request(std::string_view("\x16\x03\x00\x00\x2f", 5), &h);
  EXPECT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_STREQ(r.reason, "invalid method");
  EXPECT_EQ(r.error_at, 0u);
  HeadParser q;
  EXPECT_EQ(q.parse_request("GE", &h).status, ParseStatus::kNeedMore);
  EXPECT_EQ(q.parse_request("GET /x", &h).status, ParseStatus::kNeedMore);
  HeadParser e;
  EXPECT_EQ(e.parse_request("\r", &h).status, ParseStatus::kNeedMore) << "an empty line begins";
}

}  // namespace
}  // namespace hearth::http

namespace hearth::http {
namespace {

// The fuzzer's invariant on a fixed sample: heads made of a few meaningful
// bytes, parsed whole and in two pieces, give the same verdict, reason and
// position (the early method check must agree with the line parsers).
TEST(IncrementalHeadTest, SplitAndWholeAgreeOnRandomHeads) {
  const char alphabet[] = {'G', 'E', 'T', ' ', '/', '\r', '\n', '\x01', ':', 'H', '1', '.', '\t'};
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 16;
  };
  for (int n = 0; n < 20000; ++n) {
    std::string data = n % 3 == 0 ? "GET / HTTP/1.1\r\n" : "";
    const size_t len = next() % 24;
    for (size_t i = 0; i < len; ++i) data += alphabet[next() % sizeof alphabet];
    if (n % 2 == 0) data += "\r\n\r\n";
    const size_t split = next() % (data.size() + 1);
    HeadParser whole_parser, split_parser;
    RequestHead whole, piece;
    const ParseResult a = whole_parser.parse_request(data, &whole);
    const std::string prefix = data.substr(0, split);
    ParseResult b = split_parser.parse_request(prefix, &piece);
    if (b.status == ParseStatus::kNeedMore) b = split_parser.parse_request(data, &piece);
    ASSERT_EQ(a.status, b.status) << ::testing::PrintToString(data) << " split " << split;
    EXPECT_STREQ(a.reason, b.reason) << ::testing::PrintToString(data) << " split " << split;
    EXPECT_EQ(a.http_status, b.http_status);
    if (a.status == ParseStatus::kError) {
      EXPECT_EQ(a.error_at, b.error_at);
    }
  }
}

}  // namespace
}  // namespace hearth::http
