// Cuts balancing keys out of arbitrary request targets and header values, as
// balance uri (every option), url_param and hdr use_domain_only do, and
// hashes them with every hash-type function: every cut is a view inside its
// input, no longer than asked, and without the bytes that end it.
//
// Input: byte 0 chooses the uri options (bits 0-3: len, 4-5: depth, 6:
// whole, 7: path-only); the rest is "NAME\nTARGET".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backend/lb_key.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::backend::lb_key;
  if (size < 1) return 0;
  const uint8_t o = data[0];
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t nl = in.find('\n');
  const std::string_view name =
      nl == std::string_view::npos ? std::string_view() : in.substr(0, nl);
  const std::string_view target = nl == std::string_view::npos ? in : in.substr(nl + 1);

  UriOptions u;
  u.len = o & 0x0f;
  u.depth = (o >> 4) & 0x03;
  u.whole = o & 0x40;
  u.path_only = o & 0x80;
  const std::string_view k = uri_key(target, u);
  check(inside(k, target));
  if (u.len > 0) check(k.size() <= size_t(u.len));
  if (!u.whole) check(k.find('?') == std::string_view::npos);
  if (u.depth > 0) {
    size_t slashes = 0;
    for (char c : k) slashes += c == '/';
    check(slashes <= size_t(u.depth));
  }

  if (auto v = url_param_value(target, name)) {
    check(inside(*v, target));
    check(v->find('&') == std::string_view::npos);
  }
  const std::string_view d = domain_only(target);
  check(inside(d, target));

  for (auto f : {hearth::config::HashFunc::kSdbm, hearth::config::HashFunc::kDjb2,
                 hearth::config::HashFunc::kWt6, hearth::config::HashFunc::kCrc32}) {
    check(hash_key(f, false, k) == hash_key(f, false, k));
    (void)hash_key(f, true, target);
  }
  (void)source_key(data, size);
  return 0;
}
