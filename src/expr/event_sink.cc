#include "expr/event_sink.h"

#include <unistd.h>

#include <mutex>
#include <set>
#include <string>

namespace hearth::expr {
namespace {

std::mutex& mu() {
  static std::mutex m;
  return m;
}
std::set<std::string, std::less<>>& declared() {
  static std::set<std::string, std::less<>> s;
  return s;
}
EventSinkWriter g_writer = nullptr;

void write_fd(int fd, std::string_view event) {
  std::string line(event);
  line.push_back('\n');
  // One write per event, so that lines from several threads do not mix.
  ssize_t n = ::write(fd, line.data(), line.size());
  (void)n;  // a debugging aid: a closed descriptor loses the line
}

}  // namespace

void reset_event_sinks() {
  std::lock_guard<std::mutex> g(mu());
  declared().clear();
}

void declare_event_sink(std::string_view name) {
  std::lock_guard<std::mutex> g(mu());
  declared().emplace(name);
}

bool event_sink_known(std::string_view name) {
  if (name == "stdout" || name == "stderr" || name == "buf0") return true;
  std::lock_guard<std::mutex> g(mu());
  return declared().count(name) > 0;
}

void set_event_sink_writer(EventSinkWriter w) { g_writer = w; }

void write_event_sink(std::string_view sink, std::string_view event) {
  if (sink == "stdout") return write_fd(STDOUT_FILENO, event);
  if (sink == "stderr") return write_fd(STDERR_FILENO, event);
  if (g_writer) g_writer(sink, event);
}

}  // namespace hearth::expr
