#include "http/msg.h"

#include <cstring>

namespace hearth::http {

namespace {
constexpr size_t kFieldSize = sizeof(HeaderField);
}

bool MsgHead::init(size_t fields) {
  if (!store_.allocate()) return false;
  store_.clear();
  text_ = 0;
  method = Method::kGet;
  method_str = target = reason = {};
  status = 0;
  version_major = version_minor = 1;
  body = BodyKind::kNone;
  length = 0;
  flags = 0;
  const size_t size = Buffer::configured_size();
  if (fields * kFieldSize > size) return false;
  char* end = store_.head() + size;
  fields_ = HeaderList(reinterpret_cast<HeaderField*>(end - fields * kFieldSize), fields);
  return true;
}

void MsgHead::release() {
  store_.release();
  text_ = 0;
  fields_ = HeaderList(nullptr, 0);
}

bool MsgHead::keep(std::string_view s, std::string_view* out) {
  if (s.empty()) {
    *out = {};
    return true;
  }
  const char* limit = reinterpret_cast<const char*>(fields_.begin());
  char* at = store_.head() + text_;
  if (size_t(limit - at) < s.size()) return false;
  std::memcpy(at, s.data(), s.size());
  text_ += s.size();
  *out = std::string_view(at, s.size());
  return true;
}

std::string_view MsgHead::rebase(std::string_view v, std::string_view from, const char* to) const {
  if (v.data() < from.data() || v.data() >= from.data() + from.size()) return v;
  return std::string_view(to + (v.data() - from.data()), v.size());
}

bool MsgHead::adopt_text(std::string_view text) {
  std::string_view copy;
  if (!keep(text, &copy)) return false;
  const char* to = copy.data();
  method_str = rebase(method_str, text, to);
  target = rebase(target, text, to);
  reason = rebase(reason, text, to);
  for (size_t i = 0; i < fields_.size(); ++i) {
    HeaderField f = fields_[i];
    fields_.set_name_value(i, rebase(f.name, text, to), rebase(f.value, text, to));
  }
  return true;
}

bool MsgHead::reserve_fields(size_t more) {
  const size_t want = fields_.size() + more;
  if (want <= fields_.capacity()) return true;
  char* end = store_.head() + Buffer::configured_size();
  char* start = end - want * kFieldSize;
  if (want * kFieldSize > Buffer::configured_size() || start < store_.head() + text_) return false;
  // The array grows toward the text: moving to lower addresses, front first.
  fields_.rehome(reinterpret_cast<HeaderField*>(start), want);
  return true;
}

std::string_view field_value(const MsgHead& head, std::string_view name) {
  const HeaderField* f = head.fields().find(name);
  return f ? f->value : std::string_view();
}

}  // namespace hearth::http
