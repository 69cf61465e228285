#include "peers/registry.h"

namespace hearth::peers {
namespace {

std::vector<Section*>& sections() {
  static auto* v = new std::vector<Section*>();
  return *v;
}

}  // namespace

void register_section(Section* s) { sections().push_back(s); }
const std::vector<Section*>& all_sections() { return sections(); }
void clear_sections() { sections().clear(); }

}  // namespace hearth::peers
