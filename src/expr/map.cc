#include "expr/map.h"

namespace hearth::expr {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool Map::typed_value(const std::string& text, SmpType out, Sample* s) {
  Sample v;
  v.set_str(text);
  if (out == SmpType::kStr) {
    *s = v;
    return true;
  }
  if (out == SmpType::kSint) {
    // Values must be integers as a whole, not a leading run of digits.
    size_t i = text[0] == '-' || text[0] == '+' ? 1 : 0;
    if (i == text.size()) return false;
    for (; i < text.size(); ++i)
      if (text[i] < '0' || text[i] > '9') return false;
  }
  if (!cast(v, out)) return false;
  *s = v;
  return true;
}

std::vector<PatEntry> Map::entries_of(const std::vector<std::string>& lines) {
  std::vector<PatEntry> out;
  out.reserve(lines.size());
  for (const std::string& l : lines) {
    size_t k = 0;
    while (k < l.size() && !is_blank(l[k])) ++k;
    size_t v = k;
    while (v < l.size() && is_blank(l[v])) ++v;
    size_t e = l.size();
    while (e > v && is_blank(l[e - 1])) --e;
    out.push_back(PatEntry{l.substr(0, k), l.substr(v, e - v)});
  }
  return out;
}

std::shared_ptr<const Map> Map::load(const std::string& path, MatchMethod m, SmpType out, bool regm,
                                     PatternSource& files, std::string* err) {
  std::shared_ptr<PatRef> ref = PatRefRegistry::instance().file_ref(path);
  std::vector<PatEntry> entries;
  if (!ref->loaded()) {
    std::vector<std::string> lines;
    if (!files.read_lines(path, &lines, err)) return nullptr;
    entries = entries_of(lines);
  }
  if (!ref->mark_loaded(true, true, std::move(entries), err)) return nullptr;
  PatKind kind{m, false, true, out, regm};
  std::shared_ptr<PatExpr> x = ref->expr_for(kind, err);
  if (!x) {
    *err = "map file '" + path + "', " + *err;
    return nullptr;
  }
  ref->add_use("map at file '" + load_origin_file() + "' line " +
               std::to_string(load_origin_line()));
  return std::shared_ptr<const Map>(new Map(PatUse{std::move(ref), std::move(x)}));
}

}  // namespace hearth::expr
