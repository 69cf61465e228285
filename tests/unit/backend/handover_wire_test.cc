#include "backend/handover_wire.h"

#include <gtest/gtest.h>

namespace hearth::backend {
namespace {

TEST(HandoverWire, IdleItemsRoundTrip) {
  const IdleHandoverItem a{"be", "s1", "127.0.0.1", 8080, 1234, 7};
  const IdleHandoverItem b{"api-v2", "srv.2", "::1", 443, 0, 1};
  const std::string msg =
      std::string(kIdleHandoverHeader) + format_idle_item(a) + format_idle_item(b);
  EXPECT_EQ(msg, "idle\nbe s1 127.0.0.1 8080 1234 7\napi-v2 srv.2 ::1 443 0 1\n");
  std::vector<IdleHandoverItem> out;
  ASSERT_TRUE(parse_idle_handover(msg, 2, &out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].backend, "be");
  EXPECT_EQ(out[0].port, 8080);
  EXPECT_EQ(out[0].idle_ms, 1234);
  EXPECT_EQ(out[0].exchanges, 7u);
  EXPECT_EQ(out[1].ip, "::1");
}

TEST(HandoverWire, IdleMessageMustMatchItsDescriptors) {
  const std::string msg = "idle\nbe s1 127.0.0.1 80 5 1\n";
  std::vector<IdleHandoverItem> out;
  EXPECT_TRUE(parse_idle_handover(msg, 1, &out));
  EXPECT_FALSE(parse_idle_handover(msg, 2, &out));  // a descriptor without its line
  EXPECT_FALSE(parse_idle_handover(msg, 0, &out));
}

TEST(HandoverWire, BadIdleLinesRejectTheMessage) {
  std::vector<IdleHandoverItem> out;
  for (const char* bad :
       {"idel\nbe s1 1.2.3.4 80 5 1\n", "idle\nbe s1 1.2.3.4 80 5\n",
        "idle\nbe s1 1.2.3.4 99999 5 1\n", "idle\nbe s1 1.2.3.4 80 -5 1\n",
        "idle\nbe s1 1.2.3.4 80 5 x\n", "idle\nbe s1 1.2.3.4 80 5 1", "idle\nbe  1.2.3.4 80 5 1\n"})
    EXPECT_FALSE(parse_idle_handover(bad, 1, &out)) << bad;
}

TEST(HandoverWire, KeepAliveLinesRoundTripAndSkipBadOnes) {
  const KeepAliveLine k{"be", "s1", {200, 210, 190}, {150}};
  const KeepAliveLine empty{"be", "s2", {}, {}};
  const std::string text =
      format_keepalive_line(k) + "garbage line\nbe s3 c=1,,2 a=\n" + format_keepalive_line(empty);
  EXPECT_EQ(format_keepalive_line(k), "be s1 c=200,210,190 a=150\n");
  const std::vector<KeepAliveLine> out = parse_keepalive_lines(text);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].closes, (std::vector<int64_t>{200, 210, 190}));
  EXPECT_EQ(out[0].alives, (std::vector<int64_t>{150}));
  EXPECT_EQ(out[1].server, "s2");
  EXPECT_TRUE(out[1].closes.empty());
}

}  // namespace
}  // namespace hearth::backend
