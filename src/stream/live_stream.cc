#include "stream/live_stream.h"

namespace hearth::stream {
namespace {

List& thread_streams() {
  static thread_local List list;
  return list;
}

}  // namespace

LiveStream::LiveStream() { thread_streams().push_back(&hook_); }

LiveStream::~LiveStream() { hook_.unlink(); }

void for_each_live_stream(const std::function<bool(LiveStream*)>& f) {
  bool go = true;
  thread_streams().for_each([&](ListHook* h) {
    if (!go) return;
    go = f(container_of<LiveStream, &LiveStream::hook_>(h));
  });
}

}  // namespace hearth::stream
