// One reader for every framing: what it consumes and when the message ends.
#include "http/body_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::http {
namespace {

TEST(ContentLengthBodyTest, CountsDown) {
  ContentLengthBody body(5);
  BodyStatus st;
  EXPECT_EQ(body.feed(3, &st), 3u);
  EXPECT_EQ(st, BodyStatus::kMore);
  EXPECT_EQ(body.remaining(), 2u);
  EXPECT_EQ(body.feed(10, &st), 2u);
  EXPECT_EQ(st, BodyStatus::kDone);
  EXPECT_TRUE(body.done());
  EXPECT_EQ(body.feed(10, &st), 0u);
}

TEST(BodyReaderTest, NoneIsDoneAtOnce) {
  BodyReader reader;
  reader.reset(BodyFraming::none());
  EXPECT_TRUE(reader.done());
  BodyStatus st;
  EXPECT_EQ(reader.feed("GET", 3, &st), 0u);
  EXPECT_EQ(st, BodyStatus::kDone);
}

TEST(BodyReaderTest, ZeroLengthIsDoneAtOnce) {
  BodyReader reader;
  reader.reset(BodyFraming::content_length(0));
  EXPECT_TRUE(reader.done());
  BodyStatus st;
  EXPECT_EQ(reader.feed("abc", 3, &st), 0u);
  EXPECT_EQ(st, BodyStatus::kDone);
}

TEST(BodyReaderTest, ContentLengthStopsAtTheEnd) {
  BodyReader reader;
  reader.reset(BodyFraming::content_length(4));
  BodyStatus st;
  const std::string data = "abcdGET / HTTP/1.1";
  EXPECT_EQ(reader.feed(data.data(), 2, &st), 2u);
  EXPECT_EQ(st, BodyStatus::kMore);
  EXPECT_FALSE(reader.done());
  EXPECT_EQ(reader.feed(data.data() + 2, data.size() - 2, &st), 2u);
  EXPECT_EQ(st, BodyStatus::kDone);
  EXPECT_TRUE(reader.done());
}

TEST(BodyReaderTest, TruncatedContentLengthIsNotACleanEnd) {
  BodyReader reader;
  reader.reset(BodyFraming::content_length(4));
  BodyStatus st;
  reader.feed("ab", 2, &st);
  EXPECT_FALSE(reader.on_eof());
  EXPECT_FALSE(reader.done());
}

TEST(BodyReaderTest, ChunkedUsesTheDecoder) {
  BodyReader reader;
  reader.reset(BodyFraming::chunked());
  BodyStatus st;
  const std::string data = "2\r\nhi\r\n0\r\n\r\nNEXT";
  EXPECT_EQ(reader.feed(data.data(), data.size(), &st), data.size() - 4);
  EXPECT_EQ(st, BodyStatus::kDone);
  EXPECT_TRUE(reader.done());
}

TEST(BodyReaderTest, ChunkedErrorIsReported) {
  BodyReader reader;
  reader.reset(BodyFraming::chunked());
  BodyStatus st;
  reader.feed("zz\r\n", 4, &st);
  EXPECT_EQ(st, BodyStatus::kError);
  EXPECT_STRNE(reader.error(), "");
  EXPECT_FALSE(reader.on_eof());
}

TEST(BodyReaderTest, ResetClearsPreviousChunkedState) {
  BodyReader reader;
  reader.reset(BodyFraming::chunked());
  BodyStatus st;
  reader.feed("zz", 2, &st);
  ASSERT_EQ(st, BodyStatus::kError);
  reader.reset(BodyFraming::chunked());
  EXPECT_EQ(reader.feed("0\r\n\r\n", 5, &st), 5u);
  EXPECT_EQ(st, BodyStatus::kDone);
}

TEST(BodyReaderTest, CloseDelimitedEndsOnlyAtEof) {
  BodyReader reader;
  reader.reset(BodyFraming::close_delimited());
  BodyStatus st;
  EXPECT_EQ(reader.feed("0\r\n\r\nanything", 13, &st), 13u);
  EXPECT_EQ(st, BodyStatus::kMore);
  EXPECT_FALSE(reader.done());
  EXPECT_TRUE(reader.on_eof());
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.feed("x", 1, &st), 0u);
  EXPECT_EQ(st, BodyStatus::kDone);
}

TEST(BodyReaderTest, TunnelPassesEverything) {
  BodyReader reader;
  reader.reset(BodyFraming::tunnel());
  BodyStatus st;
  EXPECT_EQ(reader.feed("\x16\x03\x01", 3, &st), 3u);
  EXPECT_EQ(st, BodyStatus::kMore);
  EXPECT_EQ(reader.framing(), BodyFraming::tunnel());
  EXPECT_TRUE(reader.on_eof());
}

}  // namespace
}  // namespace hearth::http
