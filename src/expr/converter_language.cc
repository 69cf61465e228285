// language(LIST[,DEFAULT]) (HAProxy manual 7.3.1): the entry of LIST (a
// ';'-separated list of language tags) that the Accept-Language style input
// prefers most, else DEFAULT. The reading is HAProxy 2.6's, checked side by
// side (tests/integration/pbuf_language_test.cc):
//  - the input is a ','-separated list of items; an item is a range (up to a
//    space, ',' or ';'), then optionally ";q=VALUE" (spaces allowed around
//    ';', 'q' and '='); anything else after the range ends the item;
//  - a range matches the first entry of LIST (in LIST's order) that it
//    equals, or of which it is the entry followed by '-' and more ("en-US"
//    matches "en", "en" does not match "en-US", "*" only matches "*");
//    case counts;
//  - VALUE is read as one digit, a dot and up to three digits, bounded to
//    1000 thousandths ("0" and "0." are 0, "2" is 1); an item with no VALUE,
//    or with an unreadable one, or whose ';' is not followed by 'q=', weighs 1;
//  - the first item of the highest weight wins, an item of weight 1 at once;
//    weight 0 never wins. The answer is the LIST entry the winning range
//    matched.
#include <string_view>

#include "expr/converters_more.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Returns: true if the range of the input names `tag` (an entry of LIST).
bool range_matches(std::string_view range, std::string_view tag) {
  size_t i = 0;
  for (; i < range.size(); ++i) {
    if (range[i] == '-' && i == tag.size()) return true;
    if (i == tag.size() || range[i] != tag[i]) return false;
  }
  return i == tag.size();
}

// Returns: the first entry of `list` that `range` matches; false if none.
bool find_entry(std::string_view list, std::string_view range, std::string_view* entry) {
  size_t start = 0;
  for (;;) {
    const size_t end = list.find(';', start);
    const std::string_view tag =
        list.substr(start, end == std::string_view::npos ? end : end - start);
    if (range_matches(range, tag)) {
      *entry = tag;
      return true;
    }
    if (end == std::string_view::npos) return false;
    start = end + 1;
  }
}

// Reads a weight at in[*i] (HAProxy's qvalue reading). Returns: thousandths,
// at most 1000.
int read_qvalue(std::string_view in, size_t* i) {
  auto at = [&](size_t k) { return k < in.size() ? in[k] : '\0'; };
  size_t p = *i;
  int q = 1000;
  if (is_digit(at(p))) {
    q = (at(p++) - '0') * 1000;
    if (at(p++) == '.') {
      for (int scale = 100; scale > 0 && is_digit(at(p)); scale /= 10) q += (at(p++) - '0') * scale;
    }
  }
  *i = p < in.size() ? p : in.size();
  return q > 1000 ? 1000 : q;
}

void skip_spaces(std::string_view in, size_t* i) {
  while (*i < in.size() && is_space(in[*i])) ++*i;
}

// The weight of the item whose range ended at in[*i]: 1000 unless a
// ";q=VALUE" follows. Returns: -1 if the item is not one (then it weighs
// nothing and is skipped).
int item_weight(std::string_view in, size_t* i) {
  skip_spaces(in, i);
  if (*i >= in.size() || in[*i] == ',') return 1000;
  if (in[*i] != ';') return -1;
  ++*i;
  for (char expect : {'q', '='}) {
    skip_spaces(in, i);
    if (*i >= in.size() || in[*i] != expect) return 1000;
    ++*i;
  }
  skip_spaces(in, i);
  if (*i >= in.size()) return 1000;
  return read_qvalue(in, i);
}

bool conv_language(const Arg* args, size_t nargs, Sample& smp, FetchContext&) {
  const std::string_view in = smp.str, list = args[0].str;
  std::string_view best;
  int best_q = 0;
  size_t i = 0;
  for (;;) {
    skip_spaces(in, &i);
    if (i >= in.size()) break;
    const size_t start = i;
    while (i < in.size() && in[i] != ';' && in[i] != ',' && !is_space(in[i])) ++i;
    std::string_view entry;
    if (i > start && find_entry(list, in.substr(start, i - start), &entry)) {
      const int q = item_weight(in, &i);
      if (q > best_q) {
        best = entry;
        if (q >= 1000) break;
        best_q = q;
      }
    }
    while (i < in.size() && in[i] != ',') ++i;
    if (i >= in.size()) break;
    ++i;
  }
  if (best.empty() && nargs > 1) best = args[1].str;
  if (best.empty()) return false;
  smp.set_str(best);
  return true;
}

const ConvDef kLanguage = {"language", {1, {A::kStr, A::kStr}}, T::kStr, T::kStr, conv_language};

}  // namespace

const ConvDef* find_language_converter(std::string_view name) {
  return name == kLanguage.name ? &kLanguage : nullptr;
}

}  // namespace hearth::expr
