#include "admin/event_commands.h"

#include <cstdio>

#include "stream/log_ring.h"

namespace hearth::admin {

std::string cli_show_events(const std::vector<std::string>& w) {
  if (w.size() == 2) {
    std::string out = "Event rings (show events NAME [-n] prints one):\n";
    // The debug converter's file descriptor sinks come first, as in HAProxy.
    out +=
        "    stdout     : type=fd, 0 dropped, standard output (fd#1)\n"
        "    stderr     : type=fd, 0 dropped, standard output (fd#2)\n";  // sic, HAProxy 2.6
    for (const auto& r : stream::all_rings()) {
      char line[160];
      snprintf(line, sizeof line, "    %-10s : type=buffer, %llu dropped, ", r->name().c_str(),
               static_cast<unsigned long long>(r->dropped()));
      out.append(line).append(r->description()).push_back('\n');
    }
    return out + "\n";
  }
  if (w[2] == "stdout" || w[2] == "stderr") return "\n";  // nothing is kept there
  const auto ring = stream::find_ring(w[2]);
  if (!ring) return "No such event sink\n";
  bool only_new = false;
  for (size_t i = 3; i < w.size(); ++i) {
    if (w[i] == "-n") {
      only_new = true;
    } else if (w[i] == "-w") {
      return "Hearth does not support waiting for events (-w) yet\n";
    } else {
      return "unknown option\n";
    }
  }
  std::string out;
  // -n skips what the ring holds; without -w nothing new can follow.
  if (!only_new) ring->dump(&out);
  return out + "\n";
}

}  // namespace hearth::admin
