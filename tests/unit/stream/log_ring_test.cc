// LogRing: bounded storage, what readers hold, what is dropped and counted,
// and the framings of RingForwarder.
#include "stream/log_ring.h"

#include <gtest/gtest.h>

#include "stream/log_sink.h"
#include "stream/ring_forwarder.h"

namespace hearth::stream {
namespace {

config::RingConfig ring_config(size_t size, int servers) {
  config::RingConfig c;
  c.name = "r";
  c.size = size;
  for (int i = 0; i < servers; ++i) c.servers.push_back(config::RingServerConfig{});
  return c;
}

std::string take_all(LogRing& ring, LogRing::Reader& r) {
  std::string out;
  ring.take(r, &out, 1 << 20, &RingForwarder::frame_legacy);
  return out;
}

TEST(LogRing, KeepsTheLatestEventsWithoutReaders) {
  LogRing ring(ring_config(64, 0));  // 4 bytes of length per event
  for (const char* e : {"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd", "eeeeeeeeee"})
    EXPECT_TRUE(ring.write(e));
  std::string out;
  ring.dump(&out);
  EXPECT_EQ(out, "bbbbbbbbbb\ncccccccccc\ndddddddddd\neeeeeeeeee\n");  // 4 x 14 bytes fit
  EXPECT_EQ(ring.dropped(), 0u);                                       // nobody was to send them
  EXPECT_EQ(ring.description(), "r");
}

TEST(LogRing, ConnectedReaderHoldsItsEventsAndNewOnesAreDropped) {
  LogRing ring(ring_config(64, 1));
  LogRing::Reader& r = ring.reader(0);
  ring.set_connected(r, true);
  const uint64_t before = LogSink::dropped();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(ring.write("0123456789"));
  EXPECT_FALSE(ring.write("overflow!!"));  // the slow server holds the ring
  EXPECT_EQ(ring.dropped(), 1u);
  EXPECT_EQ(LogSink::dropped() - before, 1u);
  EXPECT_EQ(take_all(ring, r), "0123456789\n0123456789\n0123456789\n0123456789\n");
  EXPECT_TRUE(ring.write("after"));  // sent events may go now
  EXPECT_EQ(take_all(ring, r), "after\n");
  EXPECT_EQ(take_all(ring, r), "");
}

TEST(LogRing, DisconnectedReaderLosesOverwrittenEventsCounted) {
  LogRing ring(ring_config(64, 1));
  LogRing::Reader& r = ring.reader(0);
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(ring.write(std::string(10, char('a' + i))));
  EXPECT_EQ(ring.dropped(), 2u);  // a and b were never sent
  ring.set_connected(r, true);
  EXPECT_EQ(take_all(ring, r), "cccccccccc\ndddddddddd\neeeeeeeeee\nffffffffff\n");
}

TEST(LogRing, TakeStopsAtTheLimitAndResumes) {
  LogRing ring(ring_config(1024, 1));
  LogRing::Reader& r = ring.reader(0);
  ring.set_connected(r, true);
  for (const char* e : {"one", "two", "three"}) ring.write(e);
  std::string out;
  EXPECT_EQ(ring.take(r, &out, 3, &RingForwarder::frame_octet_count), 1u);
  EXPECT_EQ(out, "3 one");
  EXPECT_EQ(ring.take(r, &out, 100, &RingForwarder::frame_octet_count), 2u);
  EXPECT_EQ(out, "3 one3 two5 three");
}

TEST(LogRing, EventLargerThanTheRingIsCut) {
  LogRing ring(ring_config(64, 0));
  EXPECT_TRUE(ring.write(std::string(100, 'z')));
  std::string out;
  ring.dump(&out);
  EXPECT_EQ(out, std::string(60, 'z') + "\n");
}

TEST(LogRing, Registry) {
  clear_rings();
  register_ring(std::make_shared<LogRing>(ring_config(64, 0)));
  EXPECT_NE(find_ring("r"), nullptr);
  EXPECT_EQ(find_ring("s"), nullptr);
  EXPECT_EQ(all_rings().size(), 1u);
  clear_rings();
}

}  // namespace
}  // namespace hearth::stream
