#include "config/diagnostic.h"

namespace hearth::config {

std::string Diagnostic::str() const {
  std::string out = loc.file;
  out += ':';
  out += std::to_string(loc.line);
  out += ": ";
  if (!keyword.empty()) {
    out += '\'';
    out += keyword;
    out += "': ";
  }
  out += message;
  return out;
}

}  // namespace hearth::config
