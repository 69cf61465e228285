// Converters beyond the basic ones (HAProxy manual 7.3.1): hashes,
// encodings, dates and those that read or set variables.
#include "expr/converter.h"

namespace hearth::expr {

const ConvDef* find_more_converter(std::string_view name) {
  (void)name;
  return nullptr;
}

}  // namespace hearth::expr
