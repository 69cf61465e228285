// The chunked body validator: message boundaries, payload and rejections.
#include "http/chunked_decoder.h"

#include <gtest/gtest.h>

#include <string>

#include "http_test_util.h"

namespace hearth::http {
namespace {

using namespace std::string_literals;
using testing::feed_in_steps;
using testing::FeedOutcome;

FeedOutcome feed_all(std::string_view data) {
  ChunkedDecoder d;
  return feed_in_steps(&d, data, data.size() == 0 ? 1 : data.size());
}

TEST(ChunkedDecoderTest, SingleChunk) {
  ChunkedDecoder d;
  const std::string body = "5\r\nhello\r\n0\r\n\r\n";
  BodyStatus st;
  EXPECT_EQ(d.feed(body.data(), body.size(), &st), body.size());
  EXPECT_EQ(st, BodyStatus::kDone);
  EXPECT_TRUE(d.done());
  EXPECT_EQ(d.payload_bytes(), 5u);
  // Once done, nothing more belongs to the body.
  EXPECT_EQ(d.feed("x", 1, &st), 0u);
  EXPECT_EQ(st, BodyStatus::kDone);
}

TEST(ChunkedDecoderTest, StopsAtEndOfMessage) {
  const std::string body = "3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n";
  const std::string next = "GET / HTTP/1.1\r\n";
  ChunkedDecoder d;
  BodyStatus st;
  const std::string all = body + next;
  EXPECT_EQ(d.feed(all.data(), all.size(), &st), body.size());
  EXPECT_EQ(st, BodyStatus::kDone);
  EXPECT_EQ(d.payload_bytes(), 13u);
}

TEST(ChunkedDecoderTest, TrailersAreConsumedAsPartOfTheBody) {
  const std::string body = "4\r\nWiki\r\n0\r\nExpires: never\r\nX-Sum:\tabc \r\n\r\n";
  const FeedOutcome out = feed_all(body + "next");
  EXPECT_EQ(out.status, BodyStatus::kDone);
  EXPECT_EQ(out.consumed, body.size());
}

TEST(ChunkedDecoderTest, ExtensionsAndHexCase) {
  const std::string body =
      "a;name=value;q=\"x y\"\r\n0123456789\r\nB ; ext\r\nhello world\r\n0;last\r\n\r\n";
  ChunkedDecoder d;
  BodyStatus st;
  EXPECT_EQ(d.feed(body.data(), body.size(), &st), body.size());
  EXPECT_EQ(st, BodyStatus::kDone) << d.error();
  EXPECT_EQ(d.payload_bytes(), 21u);
}

TEST(ChunkedDecoderTest, IncompleteBodyNeedsMore) {
  ChunkedDecoder d;
  BodyStatus st;
  const std::string part = "5\r\nhel";
  EXPECT_EQ(d.feed(part.data(), part.size(), &st), part.size());
  EXPECT_EQ(st, BodyStatus::kMore);
  EXPECT_FALSE(d.done());
}

TEST(ChunkedDecoderTest, MaximumChunkSizeIsAccepted) {
  ChunkedDecoder d;
  BodyStatus st;
  const std::string line = "4000000000000000\r\n";  // exactly 2^62
  EXPECT_EQ(d.feed(line.data(), line.size(), &st), line.size());
  EXPECT_EQ(st, BodyStatus::kMore) << d.error();
}

TEST(ChunkedDecoderTest, DecodeHandsOutPayload) {
  const std::string body = "5\r\nhello\r\n1;x\r\n \r\n5\r\nworld\r\n0\r\nT: v\r\n\r\n";
  ChunkedDecoder d;
  std::string payload;
  size_t off = 0;
  BodyStatus st = BodyStatus::kMore;
  while (st == BodyStatus::kMore && off < body.size()) {
    std::string_view piece;
    off += d.decode(body.data() + off, body.size() - off, &st, &piece);
    payload += piece;
  }
  EXPECT_EQ(st, BodyStatus::kDone);
  EXPECT_EQ(off, body.size());
  EXPECT_EQ(payload, "hello world");
}

TEST(ChunkedDecoderTest, ResetStartsANewMessage) {
  ChunkedDecoder d;
  BodyStatus st;
  d.feed("0\r\n\r\n", 5, &st);
  ASSERT_EQ(st, BodyStatus::kDone);
  d.reset();
  EXPECT_FALSE(d.done());
  EXPECT_EQ(d.feed("2\r\nok\r\n0\r\n\r\n", 12, &st), 12u);
  EXPECT_EQ(st, BodyStatus::kDone);
}

TEST(ChunkedDecoderTest, ErrorReportsValidPrefix) {
  ChunkedDecoder d;
  BodyStatus st;
  const std::string body = "5\r\nhelloX\r\n";
  EXPECT_EQ(d.feed(body.data(), body.size(), &st), 8u);
  EXPECT_EQ(st, BodyStatus::kError);
  EXPECT_TRUE(d.failed());
  EXPECT_STRNE(d.error(), "");
  EXPECT_EQ(d.feed("0\r\n\r\n", 5, &st), 0u);
  EXPECT_EQ(st, BodyStatus::kError);
}

struct BadChunked {
  const char* name;
  std::string body;
};

const BadChunked kBadChunked[] = {
    {"not_hex", "g\r\n"},
    {"missing_size", "\r\n"},
    {"negative", "-1\r\n"},
    {"plus", "+5\r\nhello\r\n0\r\n\r\n"},
    {"hex_prefix", "0x5\r\nhello\r\n0\r\n\r\n"},
    {"leading_space", " 5\r\nhello\r\n"},
    {"trailing_space_no_ext", "5 \r\nhello\r\n0\r\n\r\n"},
    {"seventeen_digits", "00000000000000005\r\nhello\r\n"},
    {"above_2_62", "4000000000000001\r\n"},
    {"all_f", "FFFFFFFFFFFFFFFF\r\n"},
    {"size_bare_lf", "5\nhello\r\n0\r\n\r\n"},
    {"size_bare_cr", "5\rhello\r\n0\r\n\r\n"},
    {"ext_bare_lf", "5;a\nhello\r\n0\r\n\r\n"},
    {"ext_ctl", "5;a\x01\r\nhello\r\n0\r\n\r\n"},
    {"ext_nul", "5;a\0\r\nhello\r\n0\r\n\r\n"s},
    {"data_too_long", "5\r\nhelloX\r\n0\r\n\r\n"},
    {"data_bare_lf", "5\r\nhello\n0\r\n\r\n"},
    {"data_missing_lf", "5\r\nhello\rX"},
    {"last_chunk_bare_lf", "0\n\r\n"},
    {"final_bare_lf", "0\r\n\n"},
    {"final_bare_cr", "0\r\n\rX"},
    {"trailer_obs_fold", "0\r\nA: b\r\n c\r\n\r\n"},
    {"trailer_leading_space", "0\r\n X: b\r\n\r\n"},
    {"trailer_space_before_colon", "0\r\nX : b\r\n\r\n"},
    {"trailer_empty_name", "0\r\n: b\r\n\r\n"},
    {"trailer_no_colon", "0\r\nXb\r\n\r\n"},
    {"trailer_nul", "0\r\nX: a\0\r\n\r\n"s},
    {"trailer_bare_lf", "0\r\nX: a\n\r\n"},
    {"trailer_content_length", "0\r\nContent-Length: 5\r\n\r\n"},
    {"trailer_transfer_encoding", "0\r\ntransfer-ENCODING: chunked\r\n\r\n"},
    {"trailer_host", "0\r\nHOST: evil\r\n\r\n"},
};

class ChunkedRejectTest : public ::testing::TestWithParam<BadChunked> {};

TEST_P(ChunkedRejectTest, Whole) {
  EXPECT_EQ(feed_all(GetParam().body).status, BodyStatus::kError);
}

TEST_P(ChunkedRejectTest, ByteByByte) {
  ChunkedDecoder d;
  EXPECT_EQ(feed_in_steps(&d, GetParam().body, 1).status, BodyStatus::kError);
}

INSTANTIATE_TEST_SUITE_P(All, ChunkedRejectTest, ::testing::ValuesIn(kBadChunked),
                         [](const ::testing::TestParamInfo<BadChunked>& info) {
                           return std::string(info.param.name);
                         });

TEST(ChunkedLimitsTest, LongChunkLineIsRefused) {
  ChunkedLimits limits;
  limits.max_chunk_line = 16;
  ChunkedDecoder ok(limits);
  const std::string fits = "1;" + std::string(14, 'a') + "\r\nx\r\n0\r\n\r\n";
  EXPECT_EQ(feed_in_steps(&ok, fits, fits.size()).status, BodyStatus::kDone);
  ChunkedDecoder bad(limits);
  const std::string longer = "1;" + std::string(15, 'a') + "\r\nx\r\n0\r\n\r\n";
  EXPECT_EQ(feed_in_steps(&bad, longer, longer.size()).status, BodyStatus::kError);
}

TEST(ChunkedLimitsTest, LargeTrailerSectionIsRefused) {
  ChunkedLimits limits;
  limits.max_trailer_size = 32;
  ChunkedDecoder ok(limits);
  const std::string fits = "0\r\nX: " + std::string(25, 'a') + "\r\n\r\n";  // 32 trailer bytes
  EXPECT_EQ(feed_in_steps(&ok, fits, fits.size()).status, BodyStatus::kDone) << ok.error();
  ChunkedDecoder bad(limits);
  const std::string longer = "0\r\nX: " + std::string(26, 'a') + "\r\n\r\n";
  EXPECT_EQ(feed_in_steps(&bad, longer, longer.size()).status, BodyStatus::kError);
}

TEST(ChunkedLimitsTest, LongTrailerNameIsNotMistakenForAFramingField) {
  const std::string body = "0\r\ncontent-length-and-more: 1\r\nX-Host: b\r\n\r\n";
  EXPECT_EQ(feed_all(body).status, BodyStatus::kDone);
}

}  // namespace
}  // namespace hearth::http
