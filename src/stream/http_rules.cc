#include "stream/http_rules.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "expr/regex.h"

namespace hearth::stream {

using Action = config::HttpRule::Action;

namespace {

// Storage for values the rules compute (replace-header, replace-value): it
// must stay put until the head is serialised, so it is handed out in chunks
// that never move. Reset for each head; the chunks are kept, so steady
// traffic allocates nothing.
class TextArena {
 public:
  void reset() {
    used_ = 0;
    chunk_ = 0;
  }
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    while (chunk_ < chunks_.size() && chunks_[chunk_].size - used_ < s.size()) {
      ++chunk_;
      used_ = 0;
    }
    if (chunk_ == chunks_.size()) {
      const size_t size = s.size() > kChunk ? s.size() : kChunk;
      chunks_.push_back({std::make_unique<char[]>(size), size});
      used_ = 0;
    }
    char* p = chunks_[chunk_].data.get() + used_;
    std::memcpy(p, s.data(), s.size());
    used_ += s.size();
    return {p, s.size()};
  }

 private:
  static constexpr size_t kChunk = 16384;
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Chunk> chunks_;
  size_t chunk_ = 0, used_ = 0;
};

TextArena& thread_arena() {
  static thread_local TextArena a;
  return a;
}

// A scratch string for building values; cleared, never shrunk.
std::string& thread_scratch() {
  static thread_local std::string s;
  s.clear();
  return s;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// replace-header: a field whose value the regex matches takes the expanded
// format as its whole value (HAProxy's behaviour, compared in the tests).
void replace_header(const config::HttpRule& r, http::HeaderList& fields) {
  std::string_view groups[expr::Regex::kMaxGroups];
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!http::iequals(fields[i].name, r.name) || !r.regex->search(fields[i].value, groups))
      continue;
    std::string& out = thread_scratch();
    expr::expand_replacement(r.value, groups, &out);
    fields.set_value(i, thread_arena().copy(out));
  }
}

// replace-value: the same for each comma-separated element of the value,
// matched without its surrounding whitespace; a replaced element loses that
// whitespace, the others keep their text (as HAProxy).
void replace_value(const config::HttpRule& r, http::HeaderList& fields) {
  std::string_view groups[expr::Regex::kMaxGroups];
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!http::iequals(fields[i].name, r.name)) continue;
    const std::string_view v = fields[i].value;
    std::string& out = thread_scratch();
    bool changed = false;
    size_t start = 0;
    for (;;) {
      size_t end = v.find(',', start);
      if (end == std::string_view::npos) end = v.size();
      std::string_view elem = v.substr(start, end - start);
      size_t a = 0, b = elem.size();
      while (a < b && is_ows(elem[a])) ++a;
      while (b > a && is_ows(elem[b - 1])) --b;
      if (r.regex->search(elem.substr(a, b - a), groups)) {
        expr::expand_replacement(r.value, groups, &out);
        changed = true;
      } else {
        out.append(elem);
      }
      if (end == v.size()) break;
      out.push_back(',');
      start = end + 1;
    }
    if (changed) fields.set_value(i, thread_arena().copy(out));
  }
}

}  // namespace

void begin_rules_for_head() { thread_arena().reset(); }

const config::HttpRule* eval_http_rules(const std::vector<config::HttpRule>& rules,
                                        http::HeaderList& fields, bool* full) {
  for (const config::HttpRule& r : rules) {
    bool fits = true;
    switch (r.action) {
      case Action::kSetHeader:
        fits = fields.set(r.name, r.value);
        break;
      case Action::kAddHeader:
        fits = fields.add(r.name, r.value);
        break;
      case Action::kDelHeader:
        fields.del(r.name);
        break;
      case Action::kReplaceHeader:
        replace_header(r, fields);
        break;
      case Action::kReplaceValue:
        replace_value(r, fields);
        break;
      case Action::kReturn:
      case Action::kDeny:
        return &r;
    }
    if (!fits) {
      *full = true;
      return &r;
    }
  }
  return nullptr;
}

size_t fields_added_by(const std::vector<config::HttpRule>& rules) {
  size_t n = 0;
  for (const config::HttpRule& r : rules)
    n += r.action == Action::kSetHeader || r.action == Action::kAddHeader;
  return n;
}

namespace {
struct FieldScratch {
  std::unique_ptr<http::HeaderField[]> storage;
  http::HeaderList list{nullptr, 0};

  void reserve(size_t capacity) {
    if (list.capacity() >= capacity) return;
    auto bigger = std::make_unique<http::HeaderField[]>(capacity);
    list.rehome(bigger.get(), capacity);
    storage = std::move(bigger);
  }
};
FieldScratch& scratch() {
  static thread_local FieldScratch s;
  return s;
}
}  // namespace

http::HeaderList& thread_field_list(size_t capacity) {
  begin_rules_for_head();
  FieldScratch& s = scratch();
  s.list.clear();
  s.reserve(capacity);
  return s.list;
}

void reserve_thread_fields(size_t more) {
  FieldScratch& s = scratch();
  s.reserve(s.list.size() + more);
}

}  // namespace hearth::stream
