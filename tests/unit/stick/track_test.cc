// Tracked counters: what starting and stopping a tracker counts, events and
// bytes with their rates, general purpose counters and tags, and reading
// stored values (nothing for types a table does not store).
#include "stick/track.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::stick {
namespace {

Table make(std::initializer_list<const char*> store) {
  TableConfig c;
  c.name = "t";
  c.type = KeyType::kIp;
  c.key_len = 4;
  c.size = 10;
  c.expire_ms = 60000;
  std::string err;
  for (const char* s : store) EXPECT_TRUE(c.layout.add(s, &err)) << err;
  return Table(std::move(c));
}

int64_t value(Table& t, Entry* e, DataType type, size_t idx = 0, int64_t now = 1000) {
  int64_t v = -1;
  EXPECT_TRUE(read_value(t, e, type, idx, now, &v));
  return v;
}

TEST(StickTrack, StartCountsAConnectionAndStopReleasesIt) {
  Table t = make({"conn_cnt", "conn_cur", "conn_rate(10s)"});
  TrackSlots slots;
  for (int i = 0; i < 2; ++i) {
    Entry* e = t.get_or_create(std::string(4, 'a'), 1000);
    ASSERT_NE(e, nullptr);
    track_start(slots.slot[i], t, e, 1000);
  }
  Entry* e = slots.slot[0].entry;
  EXPECT_EQ(slots.slot[1].entry, e);  // the same key: one entry, two trackers
  EXPECT_EQ(e->refs.load(), 2u);
  EXPECT_EQ(value(t, e, DataType::kConnCnt), 2);
  EXPECT_EQ(value(t, e, DataType::kConnCur), 2);
  EXPECT_EQ(value(t, e, DataType::kConnRate), 2);
  track_stop(slots.slot[1], 5000);
  EXPECT_EQ(value(t, e, DataType::kConnCur), 1);
  EXPECT_EQ(e->touched, 5000);  // the expiry runs from the stop
  track_stop_all(slots, 6000);
  EXPECT_FALSE(slots.any());
  EXPECT_EQ(e->refs.load(), 0u);
  EXPECT_EQ(value(t, e, DataType::kConnCnt), 2);  // counts stay
  EXPECT_EQ(value(t, e, DataType::kConnCur), 0);
  track_stop(slots.slot[0], 7000);  // an empty slot: nothing
}

TEST(StickTrack, EventsAndBytesCountWithTheirRates) {
  Table t = make({"sess_cnt", "http_req_cnt", "http_req_rate(1s)", "http_err_cnt",
                  "http_fail_rate(1s)", "bytes_in_cnt", "bytes_out_rate(1s)"});
  Entry* e = t.get_or_create(std::string(4, 'b'), 1000);
  count_event(t, e, Event::kSess, 1000);
  for (int i = 0; i < 3; ++i) count_event(t, e, Event::kHttpReq, 1000);
  count_event(t, e, Event::kHttpErr, 1000);
  count_event(t, e, Event::kHttpFail, 1000);
  count_bytes(t, e, 5000, 700, 1000);
  EXPECT_EQ(value(t, e, DataType::kSessCnt), 1);
  EXPECT_EQ(value(t, e, DataType::kHttpReqCnt), 3);
  EXPECT_EQ(value(t, e, DataType::kHttpReqRate), 3);
  EXPECT_EQ(value(t, e, DataType::kHttpErrCnt), 1);
  EXPECT_EQ(value(t, e, DataType::kHttpFailRate), 1);
  EXPECT_EQ(value(t, e, DataType::kBytesInCnt), 5000);
  EXPECT_EQ(value(t, e, DataType::kBytesOutRate), 700);
  // Half a period later the previous second counts for half.
  EXPECT_EQ(value(t, e, DataType::kHttpReqRate, 0, 2500), 1);
  // Not stored: no value.
  int64_t v = 0;
  EXPECT_FALSE(read_value(t, e, DataType::kConnCnt, 0, 1000, &v));
  EXPECT_EQ(count_conn(t, e), -1);
  t.release(e);
}

TEST(StickTrack, GeneralPurposeCountersAndTags) {
  Table t = make({"gpc0", "gpc0_rate(10s)", "gpt0", "conn_cnt"});
  Entry* e = t.get_or_create(std::string(4, 'c'), 1000);
  EXPECT_EQ(gpc_inc(t, e, DataType::kGpc0, 0, 1000), 1);
  EXPECT_EQ(gpc_inc(t, e, DataType::kGpc0, 0, 1000), 2);
  EXPECT_EQ(value(t, e, DataType::kGpc0Rate), 2);
  EXPECT_EQ(gpc_clear(t, e, DataType::kGpc0, 0), 2);
  EXPECT_EQ(value(t, e, DataType::kGpc0), 0);
  EXPECT_EQ(value(t, e, DataType::kGpc0Rate), 0);
  EXPECT_EQ(gpc_inc(t, e, DataType::kGpc1, 0, 1000), -1);  // neither gpc1 nor its rate
  EXPECT_TRUE(gpt_set(t, e, DataType::kGpt0, 0, 42));
  EXPECT_FALSE(gpt_set(t, e, DataType::kGpt, 0, 1));
  EXPECT_EQ(value(t, e, DataType::kGpt0), 42);
  EXPECT_EQ(count_conn(t, e), 1);
  t.release(e);

  Table a = make({"gpc(3)", "gpc_rate(3,10s)", "gpt(2)"});
  Entry* x = a.get_or_create(std::string(4, 'd'), 1000);
  EXPECT_EQ(gpc_inc(a, x, DataType::kGpc, 2, 1000), 1);
  EXPECT_EQ(value(a, x, DataType::kGpc, 2), 1);
  EXPECT_EQ(value(a, x, DataType::kGpcRate, 2), 1);
  EXPECT_EQ(value(a, x, DataType::kGpc, 1), 0);
  EXPECT_TRUE(gpt_set(a, x, DataType::kGpt, 1, 7));
  EXPECT_EQ(value(a, x, DataType::kGpt, 1), 7);
  int64_t v = 0;
  EXPECT_FALSE(read_value(a, x, DataType::kGpt, 2, 1000, &v));  // beyond the array
  a.release(x);
}

}  // namespace
}  // namespace hearth::stick
