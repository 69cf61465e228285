#include "http/header_list.h"

namespace hearth::http {

size_t HeaderList::del(std::string_view name) {
  size_t out = 0;
  for (size_t i = 0; i < n_; ++i)
    if (!iequals(f_[i].name, name)) f_[out++] = f_[i];
  const size_t removed = n_ - out;
  n_ = out;
  return removed;
}

const HeaderField* HeaderList::find(std::string_view name) const {
  for (size_t i = 0; i < n_; ++i)
    if (iequals(f_[i].name, name)) return &f_[i];
  return nullptr;
}

size_t HeaderList::count(std::string_view name) const {
  size_t c = 0;
  for (size_t i = 0; i < n_; ++i) c += iequals(f_[i].name, name);
  return c;
}

}  // namespace hearth::http
