#include "http/cacheability.h"

#include "http/headers.h"

namespace hearth::http {
namespace {

bool status_cacheable(int status) {
  switch (status) {
    case 200:
    case 203:
    case 204:
    case 206:
    case 300:
    case 301:
    case 404:
    case 405:
    case 410:
    case 414:
    case 501:
      return true;
    default:
      return false;
  }
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

}  // namespace

bool response_cacheable(int status, const HeaderList& fields, bool method_cacheable) {
  if (status < 200) return false;
  bool cacheable = method_cacheable && status_cacheable(status);
  if (const HeaderField* p = fields.find("pragma"); p && iequals(trim(p->value), "no-cache"))
    return false;
  bool fresh = false, null_max_age = false;
  for (const HeaderField& f : fields) {
    if (!iequals(f.name, "cache-control")) continue;
    std::string_view rest = f.value;
    while (true) {
      const size_t comma = rest.find(',');
      const std::string_view v = trim(rest.substr(0, comma));
      if (iequals(v, "public")) {
        cacheable = true;
      } else if (iequals(v, "max-age=0")) {
        null_max_age = true;
      } else if (iequals(v, "private") || iequals(v, "no-cache") || iequals(v, "no-store") ||
                 iequals(v, "s-maxage=0")) {
        cacheable = false;
      } else if (starts_with_nocase(v, "no-cache=\"set-cookie")) {
        // says nothing about the response as a whole
      } else if (starts_with_nocase(v, "s-maxage")) {
        fresh = true;
        null_max_age = false;
      } else if (starts_with_nocase(v, "max-age")) {
        fresh = true;
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (null_max_age) cacheable = false;
  if (!fresh) fresh = fields.find("expires") != nullptr;
  const bool validator = fields.find("etag") != nullptr || fields.find("last-modified") != nullptr;
  return cacheable && (fresh || validator);
}

}  // namespace hearth::http
