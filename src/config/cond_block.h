#pragma once
// The configuration's conditional and message directives, handled before any
// section sees a line:
//   .if COND / .elif COND / .else / .endif   keep or skip the lines between
//   .diag MSG / .notice MSG / .warning MSG   report MSG at that level
//   .alert MSG                               report MSG as an error: the
//                                            configuration does not load
// COND is the rest of the line, words joined by one blank (condition.h).
// Blocks nest; each file must close the blocks it opens.
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/lexer.h"
#include "config/parse_context.h"

namespace hearth::config {

class CondBlocks {
 public:
  explicit CondBlocks(const EnvLookup& env) : env_(env) {}

  // Returns: true if `d` was a dot directive or lies in a skipped block (the
  // caller then ignores it); false if the sections should parse it.
  bool consume(const detail::Directive& d, ParseResult& out);
  // Returns: true while lines are skipped (a false branch).
  bool skipping() const;
  // At the end of a file: reports blocks left open, and forgets them.
  void end_of_file(ParseResult& out);

 private:
  struct Block {
    SourceLoc loc;      // of the .if
    bool taken;         // some branch of this block was true
    bool active;        // lines of the current branch are kept
    bool seen_else;     // .else was met
    bool parent_skips;  // the whole block is inside a skipped branch
  };
  void open_if(const detail::Directive& d, ParseResult& out);
  void branch(const detail::Directive& d, ParseResult& out);
  void message(const detail::Directive& d, ParseResult& out);
  // Returns: the condition's value; false after reporting an error.
  bool evaluate(const detail::Directive& d, ParseResult& out);

  const EnvLookup& env_;
  std::vector<Block> blocks_;
};

}  // namespace hearth::config
