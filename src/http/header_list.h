#pragma once
// A message's header fields as an ordered, editable list of views: the form in
// which rules see and change a head before it is serialised. Names and values
// are views; they point into the received head or into strings that outlive
// the list (rule arguments owned by the configuration), so editing copies no
// bytes. The storage is the caller's, so a list costs no allocation.
#include <cstddef>
#include <string_view>

#include "http/headers.h"

namespace hearth::http {

class HeaderList {
 public:
  // Requires: storage holds `capacity` fields and outlives the list.
  HeaderList(HeaderField* storage, size_t capacity) : f_(storage), cap_(capacity) {}

  size_t size() const { return n_; }
  size_t capacity() const { return cap_; }
  bool empty() const { return n_ == 0; }
  const HeaderField* begin() const { return f_; }
  const HeaderField* end() const { return f_ + n_; }
  const HeaderField& operator[](size_t i) const { return f_[i]; }
  void clear() { n_ = 0; }

  // Appends a field. Returns: false (nothing added) when the list is full.
  bool add(std::string_view name, std::string_view value) {
    if (n_ == cap_) return false;
    f_[n_++] = HeaderField{name, value};
    return true;
  }
  // Removes every field named `name` (case-insensitive), keeping the order of
  // the others. Returns: how many were removed.
  size_t del(std::string_view name);
  // Removes every field for which pred(field) is true, keeping the order of
  // the others. Returns: how many were removed.
  template <typename Pred>
  size_t del_if(Pred&& pred) {
    size_t out = 0;
    for (size_t i = 0; i < n_; ++i)
      if (!pred(f_[i])) f_[out++] = f_[i];
    const size_t removed = n_ - out;
    n_ = out;
    return removed;
  }
  // del(name), then add(name, value): the field ends up once, at the end.
  // Returns: false when the list is full.
  bool set(std::string_view name, std::string_view value) {
    del(name);
    return add(name, value);
  }
  // Replaces the value of field i. Requires: i < size(); value outlives the list.
  void set_value(size_t i, std::string_view value) { f_[i].value = value; }
  void set_name_value(size_t i, std::string_view name, std::string_view value) {
    f_[i] = HeaderField{name, value};
  }
  // Returns: the first field named `name`, or nullptr.
  const HeaderField* find(std::string_view name) const;
  // Returns: the number of fields named `name`.
  size_t count(std::string_view name) const;

  // Moves the fields to new storage. Requires: capacity >= size(); storage
  // holds `capacity` fields and outlives the list.
  void rehome(HeaderField* storage, size_t capacity) {
    for (size_t i = 0; i < n_; ++i) storage[i] = f_[i];
    f_ = storage;
    cap_ = capacity;
  }

 private:
  HeaderField* f_;
  size_t cap_;
  size_t n_ = 0;
};

}  // namespace hearth::http
