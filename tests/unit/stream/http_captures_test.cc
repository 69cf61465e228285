// TxnCaptures: the last occurrence of a header, cut to the slot's length;
// declared slots filled by id; the record's views.
#include "stream/http_captures.h"

#include <gtest/gtest.h>

#include "core/buffer.h"

namespace hearth::stream {
namespace {

TEST(TxnCaptures, LastOccurrenceCutToLength) {
  std::vector<config::CaptureSlot> slots = {{{}, "X-One", 4}, {{}, "", 3}, {{}, "host", 20}};
  TxnCaptures caps;
  caps.reset(3, 0);
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

}  // namespace
}  // namespace hearth::stream
