// SpliceDir's decisions that need no socket: which mode a direction gets from
// the frontend's and the backend's option splice-* bits, and when
// splice-auto considers a direction a stream.
#include "stream/splice_dir.h"

#include <gtest/gtest.h>

#include "config/enums.h"

namespace hearth::stream {
namespace {

using config::kSpliceAuto;
using config::kSpliceRequest;
using config::kSpliceResponse;
using Mode = SpliceDir::Mode;

TEST(SpliceDir, ModeOfADirection) {
  EXPECT_EQ(SpliceDir::mode_for(0, kSpliceRequest), Mode::kOff);
  EXPECT_EQ(SpliceDir::mode_for(kSpliceRequest, kSpliceRequest), Mode::kOn);
  EXPECT_EQ(SpliceDir::mode_for(kSpliceRequest, kSpliceResponse), Mode::kOff);
  EXPECT_EQ(SpliceDir::mode_for(kSpliceAuto, kSpliceResponse), Mode::kAuto);
  // The explicit option wins over auto for its direction.
  EXPECT_EQ(SpliceDir::mode_for(kSpliceAuto | kSpliceResponse, kSpliceResponse), Mode::kOn);
  EXPECT_EQ(SpliceDir::mode_for(kSpliceAuto | kSpliceResponse, kSpliceRequest), Mode::kAuto);
}

TEST(SpliceDir, OnWantsAPipeAtOnceAutoOnceItStreams) {
  SpliceDir off, on, full, small;
  on.set_mode(Mode::kOn);
  full.set_mode(Mode::kAuto);
  small.set_mode(Mode::kAuto);
  EXPECT_FALSE(off.wanted());
  EXPECT_TRUE(on.wanted());
  EXPECT_FALSE(full.wanted());
  full.note_buffered(16384, 16384);  // one read filled the buffer
  EXPECT_TRUE(full.wanted());
  // Small reads: a stream once four buffers' worth went through.
  for (int i = 0; i < 7; ++i) small.note_buffered(8192, 16384);
  EXPECT_FALSE(small.wanted());
  small.note_buffered(8192, 16384);
  EXPECT_TRUE(small.wanted());
  off.note_full_read();
  EXPECT_FALSE(off.wanted());  // off stays off
  EXPECT_FALSE(on.active());   // no pipe before a pump takes one
  EXPECT_EQ(on.pending(), 0u);
}

}  // namespace
}  // namespace hearth::stream
