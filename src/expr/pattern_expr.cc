// PatExpr: one compiled view of a pattern reference (see pattern_ref.h).
// Readers take the reader-writer lock shared for one lookup; writers (the
// ref's, serialised by its mutex) take it exclusively only to append or to
// swap in a set compiled beforehand, so a rebuild never stalls matching for
// longer than the swap.
#include <mutex>

#include "expr/map.h"
#include "expr/pattern_ref.h"
#include "expr/regex.h"

namespace hearth::expr {
namespace {

// Returns: `s` with its bytes copied into a scratch chunk (kept bytes are
// the expression's, which a writer may replace once the lock is released).
bool detach(Sample* s) {
  if (s->type != SmpType::kStr && s->type != SmpType::kBin) return true;
  Chunk c = next_chunk();
  if (s->str.size() > c.size) return false;
  s->str.copy(c.data, s->str.size());
  s->str = std::string_view(c.data, s->str.size());
  return true;
}

}  // namespace

bool PatExpr::match(const Sample& s) const {
  std::shared_lock<std::shared_mutex> g(mu_);
  return set_.find(s) >= 0;
}

bool PatExpr::lookup(const Sample& key, Sample* out) const {
  std::string_view groups[Regex::kMaxGroups];
  std::shared_lock<std::shared_mutex> g(mu_);
  const int i = set_.find(key, kind_.regm ? groups : nullptr);
  if (i < 0) return false;
  if (!kind_.regm) {
    *out = typed_[size_t(i)];
    return detach(out);
  }
  // map_regm: \N in the value stands for capture N of the key's match.
  static thread_local std::string expanded;
  expanded.clear();
  expand_replacement(vals_[size_t(i)], groups, &expanded);
  Chunk c = next_chunk();
  if (expanded.size() > c.size) return false;
  expanded.copy(c.data, expanded.size());
  out->set_str(std::string_view(c.data, expanded.size()));
  return true;
}

const PatEntry* PatExpr::find_entry(const Sample& s) const {
  std::shared_lock<std::shared_mutex> g(mu_);
  const int i = set_.find(s);
  return i < 0 ? nullptr : ents_[size_t(i)];
}

const char* PatExpr::index_name() const {
  // HAProxy keeps exact strings and prefixes (case-sensitive) and networks
  // in trees, everything else in lists.
  const MatchMethod m = kind_.method;
  if (m == MatchMethod::kIp) return "tree";
  if (!kind_.icase && (m == MatchMethod::kStr || m == MatchMethod::kBeg)) return "tree";
  return "list";
}

bool PatExpr::add_to(Compiled& c, PatEntry* e, std::string* err) const {
  // The entry outlives every set compiled from it (pattern_ref.h).
  if (!c.set.add(e->key, kind_.icase, e->op, err, /*text_outlives=*/true)) return false;
  c.ents.push_back(e);
  if (!kind_.map) return true;
  c.vals.push_back(e->value);
  Sample v;
  if (!Map::typed_value(c.vals.back(), kind_.out, &v)) {
    *err = "value '" + e->value + "' is not of type " + type_name(kind_.out);
    return false;
  }
  c.typed.push_back(v);
  return true;
}

bool PatExpr::check(const PatEntry& e, std::string* err) const {
  Compiled scratch{PatternSet(kind_.method), {}, {}, {}};
  PatEntry copy = e;
  return add_to(scratch, &copy, err);
}

void PatExpr::append(PatEntry* e) {
  std::unique_lock<std::shared_mutex> g(mu_);
  Compiled c{std::move(set_), std::move(ents_), std::move(vals_), std::move(typed_)};
  std::string err;
  add_to(c, e, &err);  // checked by the caller
  set_ = std::move(c.set);
  ents_ = std::move(c.ents);
  vals_ = std::move(c.vals);
  typed_ = std::move(c.typed);
}

bool PatExpr::build(const std::vector<PatEntry*>& entries, std::string* err) {
  Compiled c{PatternSet(kind_.method), {}, {}, {}};
  c.ents.reserve(entries.size());
  if (kind_.map) c.typed.reserve(entries.size());
  std::string ignored;
  for (size_t n = 0; n < entries.size(); ++n) {
    if (add_to(c, entries[n], err ? err : &ignored) || !err) continue;
    *err = "entry " + std::to_string(n + 1) + ": " + *err;
    return false;
  }
  std::unique_lock<std::shared_mutex> g(mu_);
  set_ = std::move(c.set);
  ents_ = std::move(c.ents);
  vals_ = std::move(c.vals);
  typed_ = std::move(c.typed);
  return true;
}

void PatExpr::rebuild(const std::vector<PatEntry*>& entries) {
  build(entries, nullptr);  // each entry was checked when added
}

void PatExpr::retype(const PatEntry* e) {
  if (!kind_.map) return;
  std::unique_lock<std::shared_mutex> g(mu_);
  for (size_t i = 0; i < ents_.size(); ++i) {
    if (ents_[i] != e) continue;
    vals_[i] = e->value;
    Map::typed_value(vals_[i], kind_.out, &typed_[i]);  // checked by the caller
  }
}

}  // namespace hearth::expr
