#include "stream/http_rules.h"

#include <memory>

namespace hearth::stream {

using Action = config::HttpRule::Action;

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
