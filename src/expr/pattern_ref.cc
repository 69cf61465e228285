#include "expr/pattern_ref.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace hearth::expr {
namespace {

struct Origin {
  std::string file;
  int line = 0;
};
Origin& origin() {
  static Origin o;
  return o;
}

// Versions wrap around as HAProxy's: compare by signed difference.
bool newer(uint32_t a, uint32_t b) { return int32_t(a - b) > 0; }

}  // namespace

void set_load_origin(const std::string& file, int line) {
  origin().file = file;
  origin().line = line;
}
const std::string& load_origin_file() { return origin().file; }
int load_origin_line() { return origin().line; }

bool PatRef::mark_loaded(bool map, bool two_columns, std::vector<PatEntry> entries,
                         std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  if (loaded_ && two_columns != two_columns_) {
    *err = "file '" + path_ + "' is already read as a " +
           (two_columns_ ? "two-column file (a map, or ACL patterns with -M)"
                         : "one-column file (ACL patterns)") +
           " and cannot be read as a " + (two_columns ? "two-column" : "one-column") + " one";
    return false;
  }
  (map ? map_ : acl_) = true;
  if (loaded_) return true;
  loaded_ = true;
  two_columns_ = two_columns;
  // Ids follow the order of loading (an action may name a file earlier).
  static uint64_t seq = 0;
  load_seq_ = ++seq;
  // Entries an add-acl/set-map rule may have recorded before are kept
  // behind the file's.
  std::vector<std::unique_ptr<PatEntry>> all;
  all.reserve(entries.size() + entries_.size());
  for (PatEntry& e : entries) all.push_back(std::make_unique<PatEntry>(std::move(e)));
  for (auto& e : entries_) all.push_back(std::move(e));
  entries_ = std::move(all);
  return true;
}

std::shared_ptr<PatExpr> PatRef::expr_for(const PatKind& k, std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  for (auto& x : exprs_)
    if (x->kind() == k) return x;
  auto x = std::make_shared<PatExpr>(k);
  const std::vector<PatEntry*> cur = current();
  // Checked and compiled in one pass (a file of a million lines is parsed once).
  if (!x->build(cur, err)) return nullptr;
  exprs_.push_back(x);
  entry_cnt_ += cur.size();
  return x;
}

std::vector<PatEntry*> PatRef::current() const {
  std::vector<PatEntry*> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_)
    if (e->gen == curr_gen_) out.push_back(e.get());
  return out;
}

void PatRef::rebuild_all() {
  const std::vector<PatEntry*> cur = current();
  for (auto& x : exprs_) x->rebuild(cur);
}

bool PatRef::check_all(const PatEntry& e, std::string* err) const {
  for (const auto& x : exprs_)
    if (!x->check(e, err)) return false;
  return true;
}

std::string PatRef::describe() const {
  std::lock_guard<std::mutex> g(mu_);
  std::string d;
  if (path_.empty()) {
    d = display_;
  } else {
    d = "pattern loaded from file '" + path_ + "' used by ";
    for (size_t i = 0; i < uses_.size(); ++i) d += (i ? ", by " : "") + uses_[i];
  }
  return d + ". curr_ver=" + std::to_string(curr_gen_) + " next_ver=" + std::to_string(next_gen_) +
         " entry_cnt=" + std::to_string(entry_cnt_);
}

size_t PatRef::entry_count() const {
  std::lock_guard<std::mutex> g(mu_);
  return entries_.size();
}

bool PatRef::add(uint32_t gen, std::string key, std::string value, IntOp op, std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  return add_locked(gen, std::move(key), std::move(value), op, err);
}

bool PatRef::add_locked(uint32_t gen, std::string key, std::string value, IntOp op,
                        std::string* err) {
  auto e = std::make_unique<PatEntry>(PatEntry{std::move(key), std::move(value), gen, op});
  if (!check_all(*e, err)) return false;
  PatEntry* p = e.get();
  entries_.push_back(std::move(e));
  entry_cnt_ += exprs_.size();
  if (gen == curr_gen_)
    for (auto& x : exprs_) x->append(p);
  return true;
}

size_t PatRef::set_value(std::string_view key, uintptr_t ref, const std::string& value,
                         std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  return set_locked(key, ref, value, err);
}

size_t PatRef::set_locked(std::string_view key, uintptr_t ref, const std::string& value,
                          std::string* err) {
  size_t n = 0;
  for (auto& e : entries_) {
    if (ref ? uintptr_t(e.get()) != ref : e->key != key) continue;
    PatEntry probe = *e;
    probe.value = value;
    if (!check_all(probe, err)) return n;
    e->value = value;
    for (auto& x : exprs_) x->retype(e.get());
    ++n;
  }
  return n;
}

size_t PatRef::erase(std::string_view key, uintptr_t ref) {
  std::lock_guard<std::mutex> g(mu_);
  return erase_if([&](const PatEntry& e) { return ref ? uintptr_t(&e) == ref : e.key == key; });
}

void PatRef::clear(uint32_t gen) {
  std::lock_guard<std::mutex> g(mu_);
  erase_if([gen](const PatEntry& e) { return e.gen == gen; });
}

template <typename P>
size_t PatRef::erase_if(P pred) {
  // The removed entries live until every expression was rebuilt without them.
  std::vector<std::unique_ptr<PatEntry>> gone;
  bool current_changed = false;
  auto keep = entries_.begin();
  for (auto& e : entries_) {
    if (pred(*e)) {
      current_changed = current_changed || e->gen == curr_gen_;
      gone.push_back(std::move(e));
    } else {
      *keep++ = std::move(e);
    }
  }
  entries_.erase(keep, entries_.end());
  entry_cnt_ -= std::min<uint64_t>(entry_cnt_, gone.size());
  if (current_changed) rebuild_all();
  return gone.size();
}

bool PatRef::add_if_absent(std::string_view key, std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  for (const auto& e : entries_)
    if (e->gen == curr_gen_ && e->key == key) return true;
  return add_locked(curr_gen_, std::string(key), "", IntOp::kEq, err);
}

bool PatRef::set_or_add(std::string_view key, std::string_view value, std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  err->clear();
  if (set_locked(key, 0, std::string(value), err) > 0 || !err->empty()) return err->empty();
  return add_locked(curr_gen_, std::string(key), std::string(value), IntOp::kEq, err);
}

uint32_t PatRef::prepare() {
  std::lock_guard<std::mutex> g(mu_);
  return ++next_gen_;
}

bool PatRef::commit(uint32_t gen) {
  std::lock_guard<std::mutex> g(mu_);
  if (!newer(gen, curr_gen_) || newer(gen, next_gen_)) return false;
  curr_gen_ = gen;
  // Older versions go; newer prepared ones stay for their own commit.
  erase_if([gen](const PatEntry& e) { return newer(gen, e.gen); });
  rebuild_all();
  return true;
}

PatRefRegistry& PatRefRegistry::instance() {
  static PatRefRegistry r;
  return r;
}

std::shared_ptr<PatRef> PatRefRegistry::file_ref(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  for (auto& r : refs_)
    if (r->path() == path) return r;
  refs_.push_back(std::make_shared<PatRef>(path, "", -1));
  dirty_ = true;
  return refs_.back();
}

std::shared_ptr<PatRef> PatRefRegistry::inline_ref(std::string display, int uid) {
  std::lock_guard<std::mutex> g(mu_);
  refs_.push_back(std::make_shared<PatRef>("", std::move(display), uid));
  dirty_ = true;
  return refs_.back();
}

void PatRefRegistry::assign_ids() {
  // As HAProxy: refs without "-u ID" are numbered in creation order, skipping
  // the ids "-u" took.
  if (!dirty_) return;
  dirty_ = false;
  std::set<int> taken;
  for (auto& r : refs_)
    if (r->requested_id() >= 0) taken.insert(r->requested_id());
  std::vector<PatRef*> loaded;
  for (auto& r : refs_)
    if (r->loaded()) loaded.push_back(r.get());
  std::sort(loaded.begin(), loaded.end(),
            [](const PatRef* a, const PatRef* b) { return a->load_seq() < b->load_seq(); });
  int next = 0;
  for (PatRef* r : loaded) {
    if (r->requested_id() >= 0) {
      r->set_id(r->requested_id());
      continue;
    }
    while (taken.count(next)) ++next;
    r->set_id(next++);
  }
}

std::vector<PatRef*> PatRefRegistry::list(bool map) {
  std::lock_guard<std::mutex> g(mu_);
  assign_ids();
  std::vector<PatRef*> out;
  for (auto& r : refs_)
    if (r->loaded() && (map ? r->is_map() : r->is_acl())) out.push_back(r.get());
  std::stable_sort(out.begin(), out.end(),
                   [](const PatRef* a, const PatRef* b) { return a->id() < b->id(); });
  return out;
}

PatRef* PatRefRegistry::find(std::string_view name, bool map) {
  int id = -1;
  if (!name.empty() && name[0] == '#') {
    auto [p, ec] = std::from_chars(name.data() + 1, name.data() + name.size(), id);
    if (ec != std::errc() || p != name.data() + name.size() || name.size() == 1) return nullptr;
  }
  for (PatRef* r : list(map))
    if (id >= 0 ? r->id() == id : r->path() == name) return r;
  return nullptr;
}

void PatRefRegistry::reset() {
  std::lock_guard<std::mutex> g(mu_);
  refs_.clear();
  dirty_ = false;
}

}  // namespace hearth::expr
