#include "stick/dict.h"

#include <mutex>
#include <set>

namespace hearth::stick {

const std::string* intern(std::string_view s) {
  static std::mutex mu;
  static auto* strings = new std::set<std::string, std::less<>>();
  std::lock_guard<std::mutex> g(mu);
  auto it = strings->find(s);
  if (it == strings->end()) it = strings->emplace(s).first;
  return &*it;
}

}  // namespace hearth::stick
