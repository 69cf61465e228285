#include "expr/map.h"

#include <map>
#include <mutex>
#include <tuple>

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

std::shared_ptr<const Map> Map::load(const std::string& path, MatchMethod m, SmpType out, bool regm,
                                     PatternSource& files, std::string* err) {
  // One load per file and use, shared by every converter naming it.
  static std::mutex mu;
  static std::map<std::tuple<std::string, int, int, bool>, std::shared_ptr<const Map>> cache;
  std::lock_guard<std::mutex> g(mu);
  const auto key = std::make_tuple(path, int(m), int(out), regm);
  if (auto it = cache.find(key); it != cache.end()) return it->second;

  std::vector<std::string> lines;
  if (!files.read_lines(path, &lines, err)) return nullptr;
  std::shared_ptr<Map> map(new Map(m));
  map->out_ = out;
  map->regm_ = regm;
  map->values_.reserve(lines.size());
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string& l = lines[n];
    size_t k = 0;
    while (k < l.size() && !is_blank(l[k])) ++k;
    size_t v = k;
    while (v < l.size() && is_blank(l[v])) ++v;
    size_t e = l.size();
    while (e > v && is_blank(l[e - 1])) --e;
    const std::string where = "map file '" + path + "', entry " + std::to_string(n + 1);
    if (!map->keys_.add(std::string_view(l).substr(0, k), false, IntOp::kEq, err)) {
      *err = where + ": " + *err;
      return nullptr;
    }
    map->values_.push_back(l.substr(v, e - v));
  }
  // Typed values point into values_, which no longer moves.
  map->typed_.resize(map->values_.size());
  for (size_t i = 0; i < map->values_.size(); ++i) {
    if (!typed_value(map->values_[i], out, &map->typed_[i])) {
      *err = "map file '" + path + "', entry " + std::to_string(i + 1) + ": value '" +
             map->values_[i] + "' is not of type " + type_name(out);
      return nullptr;
    }
  }
  cache[key] = map;
  return map;
}

bool Map::lookup(const Sample& key, Sample* out) const {
  std::string_view groups[Regex::kMaxGroups];
  const int i = keys_.find(key, regm_ ? groups : nullptr);
  if (i < 0) return false;
  if (!regm_) {
    *out = typed_[size_t(i)];
    return true;
  }
  // map_regm: \N in the value stands for capture N of the key's match.
  static thread_local std::string expanded;
  expanded.clear();
  expand_replacement(values_[size_t(i)], groups, &expanded);
  Chunk c = next_chunk();
  if (expanded.size() > c.size) return false;
  expanded.copy(c.data, expanded.size());
  out->set_str(std::string_view(c.data, expanded.size()));
  return true;
}

}  // namespace hearth::expr
