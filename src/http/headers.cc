#include "http/headers.h"

#include "http/chars.h"

namespace hearth::http {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

const HeaderField* Headers::find(std::string_view name) const {
  for (const HeaderField& f : *this) {
    if (iequals(f.name, name)) return &f;
  }
  return nullptr;
}

size_t Headers::count(std::string_view name) const {
  size_t n = 0;
  for (const HeaderField& f : *this) {
    if (iequals(f.name, name)) ++n;
  }
  return n;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool ListCursor::next(std::string_view* element) {
  if (done_) return false;
  const size_t comma = rest_.find(',');
  if (comma == std::string_view::npos) {
    *element = trim_ows(rest_);
    done_ = true;
  } else {
    *element = trim_ows(rest_.substr(0, comma));
    rest_.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace hearth::http
