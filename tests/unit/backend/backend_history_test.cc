#include "backend/backend_history.h"

#include <gtest/gtest.h>

namespace hearth::backend {
namespace {

TEST(BackendHistory, CountsDownTransitionsAndTimeDown) {
  BackendHistory h;
  h.start(1000, true);
  EXPECT_EQ(h.last_change_ms(), 1000);
  EXPECT_EQ(h.downtime_ms(5000), 0);
  h.note(2000, true);  // no change
  EXPECT_EQ(h.last_change_ms(), 1000);
  h.note(3000, false);
  EXPECT_EQ(h.down_transitions(), 1u);
  EXPECT_EQ(h.downtime_ms(3500), 500);  // down now: counted up to now
  h.note(4000, true);
  EXPECT_EQ(h.downtime_ms(9000), 1000);
  EXPECT_EQ(h.last_change_ms(), 4000);
  h.note(6000, false);
  h.note(6100, false);
  EXPECT_EQ(h.down_transitions(), 2u);
  EXPECT_EQ(h.downtime_ms(6500), 1500);
}

TEST(BackendHistory, DownFromTheStart) {
  BackendHistory h;
  h.start(0, false);
  EXPECT_EQ(h.down_transitions(), 0u);  // as HAProxy: no transition seen
  EXPECT_EQ(h.downtime_ms(700), 700);
}

}  // namespace
}  // namespace hearth::backend
