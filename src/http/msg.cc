#include "http/msg.h"

#include <cstring>
#include <memory>

namespace hearth::http {

namespace {
constexpr size_t kFieldSize = sizeof(HeaderField);
}

bool MsgHead::init(size_t fields) {
  if (!owned_) {
    char* block = static_cast<char*>(Buffer::pool().get());
    if (!block) {
      release();
      return false;
    }
    area_ = block;
    owned_ = true;
  }
  return reset(area_, true, fields);
}

bool MsgHead::init_borrowed(size_t fields) {
  static thread_local std::unique_ptr<char[]> scratch;
  if (!scratch) scratch = std::make_unique<char[]>(Buffer::configured_size());
  if (owned_) release();
  return reset(scratch.get(), false, fields);
}

bool MsgHead::reset(char* area, bool owned, size_t fields) {
  area_ = area;
  owned_ = owned;
  text_ = 0;
  method = Method::kGet;
  method_str = target = reason = received = {};
  status = 0;
  version_major = version_minor = 1;
  body = BodyKind::kNone;
  length = 0;
  flags = 0;
  // The field array first, the text right after it: a small head is one
  // contiguous run of memory.
  text_start_ = fields * kFieldSize;
  if (text_start_ > Buffer::configured_size()) return false;
  fields_ = HeaderList(reinterpret_cast<HeaderField*>(area_), fields);
  return true;
}

void MsgHead::release_storage() {
  if (owned_) Buffer::pool().put(area_);
  area_ = nullptr;
  owned_ = false;
  text_ = 0;
  fields_ = HeaderList(nullptr, 0);
}

bool MsgHead::keep(std::string_view s, std::string_view* out) {
  if (s.empty()) {
    *out = {};
    return true;
  }
  char* at = area_ + text_start_ + text_;
  if (Buffer::configured_size() - text_start_ - text_ < s.size()) return false;
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
  received = rebase(received, text, to);
  reason = rebase(reason, text, to);
  // Every field present comes from `text` (adopt_text runs before any rule).
  const ptrdiff_t shift = to - text.data();
  for (size_t i = 0; i < fields_.size(); ++i) {
    const HeaderField& f = fields_[i];
    fields_.set_name_value(i, std::string_view(f.name.data() + shift, f.name.size()),
                           f.value.empty()
                               ? std::string_view()
                               : std::string_view(f.value.data() + shift, f.value.size()));
  }
  return true;
}

bool MsgHead::reserve_fields(size_t more) {
  const size_t want = fields_.size() + more;
  if (want <= fields_.capacity()) return true;
  const size_t start = want * kFieldSize;
  if (start + text_ > Buffer::configured_size()) return false;
  // The text moves up to make room for the array; views into it follow.
  const std::string_view old(area_ + text_start_, text_);
  char* to = area_ + start;
  std::memmove(to, old.data(), text_);
  method_str = rebase(method_str, old, to);
  target = rebase(target, old, to);
  reason = rebase(reason, old, to);
  received = rebase(received, old, to);
  for (size_t i = 0; i < fields_.size(); ++i) {
    const HeaderField& f = fields_[i];
    fields_.set_name_value(i, rebase(f.name, old, to), rebase(f.value, old, to));
  }
  text_start_ = start;
  fields_.rehome(reinterpret_cast<HeaderField*>(area_), want);
  return true;
}

}  // namespace hearth::http
