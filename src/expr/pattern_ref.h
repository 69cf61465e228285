#pragma once
// Pattern references: the live contents of a pattern file (or of an ACL's
// inline patterns) that the runtime API and the add-acl/set-map actions
// change. One PatRef per file, shared by every ACL and map that names it, as
// in HAProxy; each (matching method, case, output type) that uses it gets one
// compiled PatExpr, rebuilt or extended when the entries change.
//
// Thread safety: the entries and every writer are serialised by the ref's
// mutex; a PatExpr guards its compiled set with a reader-writer lock, taken
// shared for the length of one match or lookup (see docs/architecture.md,
// "Live pattern sets").
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "expr/pattern.h"
#include "expr/sample.h"

namespace hearth::expr {

// One line of a pattern file or one inline pattern: the key (the whole
// pattern for an ACL), the value (maps), the version it belongs to, and the
// integer operator written before an inline integer pattern ("gt 5").
struct PatEntry {
  std::string key;
  std::string value;
  uint32_t gen = 0;
  IntOp op = IntOp::kEq;
};

// How one user matches a ref's entries.
struct PatKind {
  MatchMethod method = MatchMethod::kStr;
  bool icase = false;
  bool map = false;             // entries carry values, typed as `out`
  SmpType out = SmpType::kStr;  // maps only
  bool regm = false;            // map_regm: values expand \N captures
  bool operator==(const PatKind&) const = default;
};

// The compiled patterns of one ref's current version for one PatKind.
class PatExpr {
 public:
  explicit PatExpr(PatKind k) : kind_(k), set_(k.method) {}
  const PatKind& kind() const { return kind_; }

  // Returns: true if the sample matches an entry (ACLs).
  bool match(const Sample& s) const;
  // Maps: the value of the entry `key` matches, copied into a scratch chunk
  // when it has bytes, so a later change cannot pull them from under the
  // caller. Returns: false if no entry matches.
  bool lookup(const Sample& key, Sample* out) const;
  // Returns: the entry `s` matches, or null. The caller holds the ref's
  // mutex, which keeps the entry alive.
  const PatEntry* find_entry(const Sample& s) const;
  // Returns: "tree" or "list", how HAProxy stores patterns of this kind.
  const char* index_name() const;

  // Writers, called with the ref's mutex held.
  // Returns: false with *err if `e` is not a valid pattern (or value).
  bool check(const PatEntry& e, std::string* err) const;
  // Appends one entry of the current version.
  void append(PatEntry* e);
  // Compiles `entries` in one pass and installs the result. With `err`, an
  // invalid entry stops it: Returns: false with *err naming the entry
  // ("entry N: ..."), nothing installed. Without, invalid entries are skipped.
  bool build(const std::vector<PatEntry*>& entries, std::string* err);
  // Recompiles from the current version's entries (already checked).
  void rebuild(const std::vector<PatEntry*>& entries);
  // Retypes the value of `e` after a "set map".
  void retype(const PatEntry* e);

 private:
  // A compiled set with, by position, its entry and (maps) its value: the
  // expression's own copy, so matching never reads an entry a writer owns.
  // A deque, since typed values view the strings and appending must not move
  // them.
  struct Compiled {
    PatternSet set;
    std::vector<PatEntry*> ents;
    std::deque<std::string> vals;
    std::vector<Sample> typed;
  };
  // Returns: false with *err if `e` is not valid for this kind.
  bool add_to(Compiled& c, PatEntry* e, std::string* err) const;

  PatKind kind_;
  mutable std::shared_mutex mu_;
  PatternSet set_;
  std::vector<PatEntry*> ents_;  // by position in set_ (the CLI's look-ups)
  std::deque<std::string> vals_;
  std::vector<Sample> typed_;  // maps: values, viewing vals_
};

class PatRef {
 public:
  PatRef(std::string path, std::string display, int uid)
      : path_(std::move(path)), display_(std::move(display)), uid_(uid) {}

  const std::string& path() const { return path_; }  // empty for inline patterns
  int id() const { return id_; }
  int requested_id() const { return uid_; }
  void set_id(int id) { id_ = id; }
  bool is_map() const { return map_; }
  bool is_acl() const { return acl_; }
  bool loaded() const { return loaded_; }
  uint64_t load_seq() const { return load_seq_; }

  // Load time. Marks the ref as read, by a map or by an ACL, and as a file of
  // one column (ACL patterns) or two (map lines: a map, or an ACL's -M).
  // Returns: false with *err if the file is already read with the other
  // number of columns.
  bool mark_loaded(bool map, bool two_columns, std::vector<PatEntry> entries, std::string* err);
  void add_use(std::string use) { uses_.push_back(std::move(use)); }
  // Returns: the compiled expression for `k`, shared with every user of the
  // same kind, or null with *err if an entry is not valid for it.
  std::shared_ptr<PatExpr> expr_for(const PatKind& k, std::string* err);

  // The runtime API's description line (without the id).
  std::string describe() const;

  // Changes, serialised by the ref's mutex. `gen` names a version; the
  // current one is what matching sees.
  // Returns: false with *err when a pattern or value is not valid for a user.
  bool add(uint32_t gen, std::string key, std::string value, IntOp op, std::string* err);
  // Entries are named by key, or by their reference when `ref` is not 0.
  // Returns: how many entries matched.
  size_t set_value(std::string_view key, uintptr_t ref, const std::string& value, std::string* err);
  size_t erase(std::string_view key, uintptr_t ref);
  void clear(uint32_t gen);
  // add-acl / set-map from a rule: no duplicate key, or set then add.
  bool add_if_absent(std::string_view key, std::string* err);
  bool set_or_add(std::string_view key, std::string_view value, std::string* err);

  uint32_t curr_gen() const { return curr_gen_; }
  uint32_t next_gen() const { return next_gen_; }
  // Returns: the new version's number.
  uint32_t prepare();
  // Makes `gen` current and drops older versions. Returns: false if `gen`
  // was never prepared or is not newer than the current one.
  bool commit(uint32_t gen);

  // Calls fn(entry) for each entry of version `gen`, in order.
  template <typename F>
  void each(uint32_t gen, F fn) const {
    std::lock_guard<std::mutex> g(mu_);
    for (const auto& e : entries_)
      if (e->gen == gen) fn(*e);
  }
  // Calls fn(expr, entry-or-null) for each compiled user on `s`.
  template <typename F>
  void probe(const Sample& s, F fn) const {
    std::lock_guard<std::mutex> g(mu_);
    for (const auto& x : exprs_) fn(*x, x->find_entry(s));
  }
  size_t entry_count() const;

 private:
  bool add_locked(uint32_t gen, std::string key, std::string value, IntOp op, std::string* err);
  size_t set_locked(std::string_view key, uintptr_t ref, const std::string& value,
                    std::string* err);
  // Removes the entries `pred` selects. Returns: how many.
  template <typename P>
  size_t erase_if(P pred);
  std::vector<PatEntry*> current() const;
  void rebuild_all();
  bool check_all(const PatEntry& e, std::string* err) const;

  std::string path_, display_;
  std::vector<std::string> uses_;
  int uid_;      // from "-u ID", or -1
  int id_ = -1;  // assigned when loading ends
  bool map_ = false, acl_ = false, loaded_ = false, two_columns_ = false;
  uint64_t load_seq_ = 0;  // order of loading among refs
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<PatEntry>> entries_;
  std::vector<std::shared_ptr<PatExpr>> exprs_;
  uint32_t curr_gen_ = 0, next_gen_ = 0;
  // HAProxy's entry_cnt as "show map" prints it: each entry added counts once
  // per compiled user, each entry removed once.
  uint64_t entry_cnt_ = 0;
};

// What an ACL test or a map converter holds: the ref (kept alive with its
// entries) and its compiled expression.
struct PatUse {
  std::shared_ptr<PatRef> ref;
  std::shared_ptr<PatExpr> expr;
};

// Where the configuration line being read is: the refs record their users
// with it. Set by the configuration parser.
void set_load_origin(const std::string& file, int line);
const std::string& load_origin_file();
int load_origin_line();

// Every ref of the process, by path and by id.
class PatRefRegistry {
 public:
  static PatRefRegistry& instance();
  // Returns: the ref of file `path`, created empty and unloaded if new.
  std::shared_ptr<PatRef> file_ref(const std::string& path);
  // Returns: a new ref for one ACL test's inline patterns (`uid` from -u).
  std::shared_ptr<PatRef> inline_ref(std::string display, int uid);
  // Returns: the loaded ref named by its path or "#ID" among maps (or ACLs),
  // or null.
  PatRef* find(std::string_view name, bool map);
  // Returns: the loaded maps (or ACLs), by id.
  std::vector<PatRef*> list(bool map);
  // Forgets every ref (a new configuration; tests). Existing users keep theirs.
  void reset();

 private:
  void assign_ids();
  std::mutex mu_;
  std::vector<std::shared_ptr<PatRef>> refs_;  // in creation order
  bool dirty_ = false;
};

}  // namespace hearth::expr
