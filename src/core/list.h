#pragma once
// Intrusive doubly linked list. A ListHook embedded in an object links it into at
// most one list at a time; unlinking is O(1) and needs no list pointer.
#include <cstddef>

namespace hearth {

struct ListHook {
  ListHook* prev = this;
  ListHook* next = this;

  bool linked() const { return next != this; }
  // Removes this hook from whatever list holds it. Safe on an unlinked hook.
  void unlink() {
    prev->next = next;
    next->prev = prev;
    prev = next = this;
  }
};

// A list head. Objects are reached back from their hook with `container_of`.
class List {
 public:
  List() = default;
  List(const List&) = delete;
  List& operator=(const List&) = delete;

  bool empty() const { return head_.next == &head_; }
  // Requires: h is not linked anywhere.
  void push_back(ListHook* h) { insert_before(&head_, h); }
  void push_front(ListHook* h) { insert_before(head_.next, h); }
  ListHook* front() { return empty() ? nullptr : head_.next; }
  ListHook* back() { return empty() ? nullptr : head_.prev; }
  ListHook* pop_front() {
    ListHook* h = front();
    if (h) h->unlink();
    return h;
  }
  size_t size() const {
    size_t n = 0;
    for (const ListHook* h = head_.next; h != &head_; h = h->next) ++n;
    return n;
  }
  // Iteration that tolerates unlinking the current element.
  template <class F>
  void for_each(F&& f) {
    for (ListHook *h = head_.next, *n = h->next; h != &head_; h = n, n = h->next) f(h);
  }
  const ListHook* end_marker() const { return &head_; }
  // Requires: h is not linked anywhere; pos is in this list (or its head).
  static void insert_before(ListHook* pos, ListHook* h) {
    h->prev = pos->prev;
    h->next = pos;
    pos->prev->next = h;
    pos->prev = h;
  }

 private:
  ListHook head_;
};

template <class T, ListHook T::*Member>
T* container_of(ListHook* h) {
  const size_t off = reinterpret_cast<size_t>(&(static_cast<T*>(nullptr)->*Member));
  return reinterpret_cast<T*>(reinterpret_cast<char*>(h) - off);
}

}  // namespace hearth
