#pragma once
// The text side of cookie persistence (HAProxy manual 4.2 "cookie"): how a
// Cookie field value is split into cookies and edited (a cookie removed, or
// its "SERVER~" prefix dropped), where the cookie of a Set-Cookie field is,
// and the date stamps that "maxidle" / "maxlife" append to a cookie's value.
// Pure code: no server, clock or policy here (stream/cookie_persist.h
// decides; this file only reads and writes bytes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::http {

// A date stamp: a 30-bit number written as five characters of the base64
// alphabet (A-Z a-z 0-9 + /), most significant first, no padding.
void s30_to_b64(uint32_t v, char out[5]);
// Returns: the number the first five characters of `in` encode, or -1 if
// `in` is shorter or one of them is outside the alphabet.
int64_t b64_to_s30(std::string_view in);

// What becomes of one cookie of a Cookie field (see edit_cookie_field).
struct CookieEdit {
  enum Kind : uint8_t {
    kOther,       // not the persistence cookie: kept as it is
    kKeep,        // the persistence cookie, kept as it is
    kDelete,      // the persistence cookie, removed
    kDropPrefix,  // the persistence cookie, kept without the first `prefix` bytes of its value
  };
  Kind kind = kOther;
  size_t prefix = 0;
};

// Called for each NAME=VALUE cookie of a field (not for "$attributes" nor
// for words without '='), in order, with the name and value as they will be
// written (blanks around '=' and after the value left out).
using CookieVisitor = CookieEdit (*)(void* ctx, std::string_view name, std::string_view value);

enum class FieldEdit : uint8_t {
  kUnchanged,  // write the field as it was
  kChanged,    // write *out instead
  kRemove,     // remove the field: nothing is left of it but removed cookies and attributes
};

// Splits the Cookie field value `in` into cookies (';' and ',' separate them;
// a double-quoted value may hold either), asks `visit` about each, and
// writes the field that results into *out (cleared first). Blanks around a
// cookie's '=' are removed as a side effect. A removed cookie takes the
// "$attributes" that follow it and its separator with it; the cookies left
// are joined by their own separator and one space.
// Returns: what to do with the field.
FieldEdit edit_cookie_field(std::string_view in, CookieVisitor visit, void* ctx, std::string* out);

// The cookie of a Set-Cookie field value: its first NAME=VALUE, before any
// attribute. Offsets are into the value as given.
struct SetCookieParts {
  bool has_eq = false;      // false: no cookie to speak of (nothing to do)
  bool normalised = false;  // blanks around '=' had to be removed (see normalise)
  std::string_view name, value;
  size_t name_end = 0;  // end of the name, before any blank
  size_t val_beg = 0;   // first byte of the value, after any blank
  size_t val_end = 0;   // end of the value, before trailing blanks
};
SetCookieParts parse_set_cookie(std::string_view in);

// How rewrite_set_cookie changes the cookie's value.
enum class SetCookieRewrite : uint8_t {
  kNormalise,  // kept (only the blanks around '=' go)
  kReplace,    // replaced by `text`
  kPrefix,     // `text` inserted before it
};
// Writes the Set-Cookie value `in` (parsed into `p`) into *out with the
// blanks around the cookie's '=' removed and its value changed as `how` says;
// the attributes follow as they were.
void rewrite_set_cookie(std::string_view in, const SetCookieParts& p, SetCookieRewrite how,
                        std::string_view text, std::string* out);

}  // namespace hearth::http
