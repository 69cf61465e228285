#pragma once
// The peers sections of the running configuration, for the runtime API
// (`show peers`). Filled while the runtime is built, before workers run.
#include <vector>

namespace hearth::peers {

class Section;

void register_section(Section* s);
const std::vector<Section*>& all_sections();
void clear_sections();

}  // namespace hearth::peers
