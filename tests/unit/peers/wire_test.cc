// The peers protocol's framing: integers, message headers, hello lines.
#include "peers/wire.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::peers {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(char(c));
  return s;
}

std::string enc(uint64_t v) {
  std::string s;
  put_varint(&s, v);
  return s;
}

TEST(PeersVarint, SizesAtTheDocumentedBoundaries) {
  // 1 byte below 240, then 2, 3, 4, 5 bytes from 240, 2288, 264432, 33818864.
  EXPECT_EQ(enc(0), bytes({0}));
  EXPECT_EQ(enc(239), bytes({239}));
  EXPECT_EQ(enc(240), bytes({0xf0, 0x00}));
  EXPECT_EQ(enc(2287).size(), 2u);
  EXPECT_EQ(enc(2288).size(), 3u);
  EXPECT_EQ(enc(264431).size(), 3u);
  EXPECT_EQ(enc(264432).size(), 4u);
  EXPECT_EQ(enc(33818863).size(), 4u);
  EXPECT_EQ(enc(33818864).size(), 5u);
  // Values seen from HAProxy 2.6 on the wire: 300, 10000, 30000.
  EXPECT_EQ(enc(300), bytes({0xfc, 0x03}));
  EXPECT_EQ(enc(10000), bytes({0xf0, 0xe2, 0x03}));
  EXPECT_EQ(enc(30000), bytes({0xf0, 0xc4, 0x0d}));
}

TEST(PeersVarint, RoundTripsAndRejectsTruncation) {
  for (uint64_t v : {uint64_t(0), uint64_t(1), uint64_t(239), uint64_t(240), uint64_t(5000),
                     uint64_t(1) << 31, ~uint64_t(0) >> 1, ~uint64_t(0)}) {
    const std::string s = enc(v);
    Reader r(s);
    EXPECT_EQ(r.varint(), v);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.done());
    Reader cut(std::string_view(s).substr(0, s.size() - 1));
    cut.varint();
    EXPECT_FALSE(cut.ok()) << v;
  }
  // Continuation bytes forever: malformed, not a hang or an overflow.
  const std::string endless(20, char(0xff));
  Reader r(endless);
  r.varint();
  EXPECT_FALSE(r.ok());
}

TEST(PeersFrame, ControlAndSizedMessages) {
  std::string out;
  put_message(&out, kClassControl, kHeartbeat);
  put_message(&out, kClassTable, kAck, bytes({1, 0, 0, 0, 2}));
  Frame f;
  ASSERT_EQ(next_frame(out, 1000, &f), FrameStatus::kOk);
  EXPECT_EQ(f.cls, kClassControl);
  EXPECT_EQ(f.type, kHeartbeat);
  EXPECT_EQ(f.size, 2u);
  ASSERT_EQ(next_frame(std::string_view(out).substr(2), 1000, &f), FrameStatus::kOk);
  EXPECT_EQ(f.type, kAck);
  EXPECT_EQ(f.payload, bytes({1, 0, 0, 0, 2}));
  EXPECT_EQ(next_frame(std::string_view(out).substr(2, 4), 1000, &f), FrameStatus::kNeedMore);
  EXPECT_EQ(next_frame(std::string_view(out).substr(2), 4, &f), FrameStatus::kTooBig);
  EXPECT_EQ(next_frame(bytes({10, 130}) + std::string(12, char(0xff)), 1000, &f),
            FrameStatus::kBad);
}

TEST(PeersHello, MakeAndParse) {
  const std::string h = make_hello("B", "A", 1234);
  EXPECT_EQ(h, "HAProxyS 2.1\nB\nA 1234 1\n");
  Hello out;
  EXPECT_EQ(parse_hello(h, &out), kStatusOk);
  EXPECT_EQ(out.remote, "B");
  EXPECT_EQ(out.sender, "A");
  EXPECT_EQ(parse_hello("HAProxyS 2.0\nB\nA 1 0\n", &out), kStatusOk);  // older minor
  EXPECT_EQ(parse_hello("HAProxyS 3.0\nB\nA 1 0\n", &out), kStatusBadVersion);
  EXPECT_EQ(parse_hello("HAProxyS 2.9\nB\nA 1 0\n", &out), kStatusBadVersion);
  EXPECT_EQ(parse_hello("Other 2.1\nB\nA 1 0\n", &out), kStatusProtocolError);
  EXPECT_EQ(parse_hello("HAProxyS 2.1\n\nA 1 0\n", &out), kStatusProtocolError);
  EXPECT_EQ(parse_hello("HAProxyS 2.1\nB\n", &out), kStatusProtocolError);
}

}  // namespace
}  // namespace hearth::peers
