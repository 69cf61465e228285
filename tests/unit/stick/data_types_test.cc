// The `store` list of stick-table: names and arguments as HAProxy 2.6
// takes them, its exclusions, and the entry block they make.
#include "stick/data_types.h"

#include <gtest/gtest.h>

namespace hearth::stick {
namespace {

TEST(StickLayout, StoresTypesInHAProxyOrder) {
  Layout l;
  std::string err;
  ASSERT_TRUE(l.add("http_req_rate(10s)", &err)) << err;
  ASSERT_TRUE(l.add("gpc0", &err)) << err;
  ASSERT_TRUE(l.add("conn_cur", &err)) << err;
  ASSERT_TRUE(l.add("bytes_in_cnt", &err)) << err;
  ASSERT_EQ(l.types().size(), 4u);
  EXPECT_EQ(l.types()[0].type, DataType::kGpc0);
  EXPECT_EQ(l.types()[1].type, DataType::kConnCur);
  EXPECT_EQ(l.types()[2].type, DataType::kHttpReqRate);
  EXPECT_EQ(l.types()[3].type, DataType::kBytesInCnt);
  EXPECT_EQ(l.find(DataType::kHttpReqRate)->period_ms, 10000u);
  EXPECT_EQ(l.find(DataType::kConnCnt), nullptr);
  // Distinct, aligned places.
  EXPECT_NE(l.find(DataType::kGpc0)->offset, l.find(DataType::kConnCur)->offset);
  for (const StoredType& t : l.types()) EXPECT_EQ(t.offset % 8, 0u);
  EXPECT_GE(l.size(), 4u + 4u + 16u + 8u);
}

TEST(StickLayout, Arrays) {
  Layout l;
  std::string err;
  ASSERT_TRUE(l.add("gpc(3)", &err)) << err;
  ASSERT_TRUE(l.add("gpc_rate(2,1m)", &err)) << err;
  EXPECT_EQ(l.find(DataType::kGpc)->count, 3);
  EXPECT_EQ(l.find(DataType::kGpcRate)->count, 2);
  EXPECT_EQ(l.find(DataType::kGpcRate)->period_ms, 60000u);
  EXPECT_FALSE(l.add("gpc0", &err));  // the array replaces the legacy form
  EXPECT_NE(err.find("cannot be stored with 'gpc'"), std::string::npos) << err;
}

TEST(StickLayout, RefusesWhatHAProxyRefuses) {
  std::string err;
  for (const char* bad : {"nope", "gpc0(1)", "http_req_rate", "http_req_rate(x)", "gpc(0)",
                          "gpc(101)", "gpc_rate(2)", "conn_rate(10s"}) {
    Layout l;
    EXPECT_FALSE(l.add(bad, &err)) << bad;
  }
  Layout l;
  ASSERT_TRUE(l.add("gpc0", &err));
  EXPECT_FALSE(l.add("gpc0", &err));
}

TEST(StickLayout, Periods) {
  uint32_t ms = 0;
  EXPECT_TRUE(parse_period("500", &ms));
  EXPECT_EQ(ms, 500u);
  EXPECT_TRUE(parse_period("10s", &ms));
  EXPECT_EQ(ms, 10000u);
  EXPECT_TRUE(parse_period("2h", &ms));
  EXPECT_EQ(ms, 7200000u);
  EXPECT_FALSE(parse_period("", &ms));
  EXPECT_FALSE(parse_period("1y", &ms));
  EXPECT_FALSE(parse_period("30d", &ms));  // beyond 2^31 - 1 ms
}

}  // namespace
}  // namespace hearth::stick
