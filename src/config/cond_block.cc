#include "config/cond_block.h"

#include "config/condition.h"

namespace hearth::config {

bool CondBlocks::skipping() const { return !blocks_.empty() && !blocks_.back().active; }

bool CondBlocks::consume(const detail::Directive& d, ParseResult& out) {
  const std::string& kw = d[0];
  if (kw == ".if") {
    open_if(d, out);
    return true;
  }
  if (kw == ".elif" || kw == ".else" || kw == ".endif") {
    branch(d, out);
    return true;
  }
  if (skipping()) return true;  // even unknown dot directives: the branch is not read
  if (kw.empty() || kw[0] != '.') return false;
  message(d, out);
  return true;
}

bool CondBlocks::evaluate(const detail::Directive& d, ParseResult& out) {
  std::string text;
  for (size_t i = 1; i < d.size(); ++i) text += (i > 1 ? " " : "") + d[i];
  CondError err;
  const CondValue v = eval_condition(text, env_, &err);
  if (v == CondValue::kError) {
    out.errors.push_back(Diagnostic{
        d.loc, d[0],
        err.message + " (at character " + std::to_string(err.pos + 1) + " of the condition)"});
    return false;
  }
  return v == CondValue::kTrue;
}

void CondBlocks::open_if(const detail::Directive& d, ParseResult& out) {
  const bool parent_skips = skipping();
  // In a skipped branch the condition is not evaluated: only nesting counts.
  const bool value = !parent_skips && evaluate(d, out);
  blocks_.push_back(Block{d.loc, value, value, false, parent_skips});
}

void CondBlocks::branch(const detail::Directive& d, ParseResult& out) {
  const std::string& kw = d[0];
  if (blocks_.empty()) {
    out.errors.push_back(Diagnostic{d.loc, kw, "no '.if' is open here"});
    return;
  }
  Block& b = blocks_.back();
  if (kw == ".endif") {
    if (d.size() > 1 && !b.parent_skips)
      out.errors.push_back(Diagnostic{d.loc, kw, "takes no argument, got '" + d[1] + "'"});
    blocks_.pop_back();
    return;
  }
  if (b.seen_else) {
    out.errors.push_back(Diagnostic{
        d.loc, kw,
        "the '.if' block of line " + std::to_string(b.loc.line) + " already had its '.else'"});
    b.active = false;
    return;
  }
  if (kw == ".else") {
    if (d.size() > 1 && !b.parent_skips)
      out.errors.push_back(Diagnostic{d.loc, kw, "takes no argument, got '" + d[1] + "'"});
    b.seen_else = true;
    b.active = !b.parent_skips && !b.taken;
    b.taken = true;
    return;
  }
  // .elif: evaluated only when no earlier branch was taken.
  const bool value = !b.parent_skips && !b.taken && evaluate(d, out);
  b.active = value;
  b.taken = b.taken || value;
}

void CondBlocks::message(const detail::Directive& d, ParseResult& out) {
  const std::string& kw = d[0];
  std::vector<Diagnostic>* to = nullptr;
  if (kw == ".diag")
    to = &out.diags;
  else if (kw == ".notice")
    to = &out.notices;
  else if (kw == ".warning")
    to = &out.warnings;
  else if (kw == ".alert")
    to = &out.errors;
  if (to == nullptr) {
    out.errors.push_back(Diagnostic{
        d.loc, kw,
        "unknown directive: expects .if, .elif, .else, .endif, .diag, .notice, .warning or "
        ".alert"});
    return;
  }
  if (d.size() > 2) {
    out.errors.push_back(Diagnostic{
        d.loc, kw, "takes one message; '" + d[2] + "' is extra (quote a message that has blanks)"});
    return;
  }
  to->push_back(Diagnostic{d.loc, kw, d.size() > 1 ? d[1] : ""});
}

void CondBlocks::end_of_file(ParseResult& out) {
  for (const Block& b : blocks_)
    out.errors.push_back(Diagnostic{b.loc, ".if", "this block has no '.endif' in its file"});
  blocks_.clear();
}

}  // namespace hearth::config
