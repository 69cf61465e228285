#include "admin/peers_commands.h"

#include <mutex>

#include "core/event_loop.h"
#include "peers/registry.h"
#include "peers/section.h"

namespace hearth::admin {

std::string cli_peers_command(const std::vector<std::string>& w,
                              const RuntimeApi::OnThreads& on_threads) {
  if (w.size() < 2 || w[0] != "show" || w[1] != "peers") return "";
  size_t i = 2;
  if (i < w.size() && (w[i] == "dict" || w[i] == "-")) ++i;  // no dictionary to dump apart
  const std::string name = i < w.size() ? w[i] : "";
  std::vector<peers::Section*> chosen;
  for (peers::Section* s : peers::all_sections())
    if (name.empty() || s->name() == name) chosen.push_back(s);
  if (!name.empty() && chosen.empty()) return "No such peers\n\n";
  std::vector<std::string> parts(chosen.size());
  std::mutex mu;
  on_threads([&](int t) {
    for (size_t k = 0; k < chosen.size(); ++k) {
      if (chosen[k]->thread() != t || !chosen[k]->loop()) continue;
      std::string d = chosen[k]->dump(chosen[k]->loop()->now_ms());
      std::lock_guard<std::mutex> g(mu);
      parts[k] = std::move(d);
    }
  });
  std::string out;
  for (const std::string& p : parts) out += p;
  return out + "\n";
}

}  // namespace hearth::admin
