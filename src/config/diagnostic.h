#pragma once
// What the parser and the validator report: errors and warnings, each tied to
// the file, line and keyword it is about.
#include <string>
#include <vector>

#include "config/model.h"

namespace hearth::config {

struct Diagnostic {
  SourceLoc loc;
  std::string keyword;  // as the user wrote it, e.g. "timeout connect"
  std::string message;  // says what would have been accepted

  // Returns: "FILE:LINE: 'keyword': message" (the keyword part is left out when
  // the diagnostic is about no keyword in particular, e.g. an unreadable file).
  std::string str() const;
};

struct ParseResult {
  Config config;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  // ".notice MSG" lines met, and ".diag MSG" ones (shown with -dD only).
  std::vector<Diagnostic> notices;
  std::vector<Diagnostic> diags;

  // Returns: true when no error was reported (warnings do not count).
  bool ok() const { return errors.empty(); }
};

}  // namespace hearth::config
