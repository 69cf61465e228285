// TxnCaptures: the last occurrence of a header, cut to the slot's length;
// declared slots filled by id; the record's views.
#include "stream/http_captures.h"

#include <gtest/gtest.h>

#include "core/buffer.h"

namespace hearth::stream {
namespace {

TEST(TxnCaptures, LastOccurrenceCutToLength) {
  std::vector<config::CaptureSlot> slots = {{{}, "X-One", 4}, {{}, "", 3}, {{}, "host", 20}};
  const std::vector<config::CaptureSlot> none;
  TxnCaptures caps;
  caps.reset(slots, none);
  http::MsgHead head;
  ASSERT_TRUE(head.init(4));
  head.fields().add("x-one", "first");
  head.fields().add("Host", "ex.com");
  head.fields().add("X-ONE", "second");
  caps.capture_headers(slots, head, false);
  std::string_view v;
  ASSERT_TRUE(caps.get(false, 0, &v));
  EXPECT_EQ(v, "seco");
  EXPECT_FALSE(caps.get(false, 1, &v));  // a declared slot: only rules fill it
  ASSERT_TRUE(caps.get(false, 2, &v));
  EXPECT_EQ(v, "ex.com");
  EXPECT_TRUE(caps.set(false, 1, "abcdef", 3));
  ASSERT_TRUE(caps.get(false, 1, &v));
  EXPECT_EQ(v, "abc");
  EXPECT_FALSE(caps.set(false, 3, "x", 3));
  EXPECT_FALSE(caps.set(true, 0, "x", 3));
  expr::LogRecord r;
  caps.fill(&r);
  ASSERT_EQ(r.n_req_caps, 3u);
  EXPECT_EQ(r.req_caps[0].value, "seco");
  EXPECT_TRUE(r.req_caps[1].set);
  EXPECT_EQ(r.n_res_caps, 0u);
}

// A capture rule's slot: cut to the length its declaration gave, whatever
// the rule; a slot the frontend lacks is left alone.
TEST(TxnCaptures, SetDeclaredCutsToTheSlotLength) {
  const std::vector<config::CaptureSlot> req = {{{}, "host", 2}, {{}, "", 5}};
  const std::vector<config::CaptureSlot> res = {{{}, "", 3}};
  TxnCaptures caps;
  caps.reset(req, res);
  std::string_view v;
  EXPECT_TRUE(caps.set_declared(false, 1, "123456789"));
  ASSERT_TRUE(caps.get(false, 1, &v));
  EXPECT_EQ(v, "12345");
  EXPECT_TRUE(caps.set_declared(true, 0, "abcdef"));
  ASSERT_TRUE(caps.get(true, 0, &v));
  EXPECT_EQ(v, "abc");
  EXPECT_FALSE(caps.set_declared(false, 2, "x"));
  EXPECT_FALSE(caps.set_declared(true, 1, "x"));
  TxnCaptures unset;  // a frontend without captures: never reset
  EXPECT_FALSE(unset.set_declared(false, 0, "x"));
}

}  // namespace
}  // namespace hearth::stream
