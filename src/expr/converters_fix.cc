// FIX protocol converters (HAProxy manual 7.3.1): fix_is_valid and
// fix_tag_value(TAG), on a message of "TAG=VALUE<SOH>" fields. Bounded
// scans of the input only; an incomplete message is never valid.
#include <string>

#include "expr/converters_more.h"
#include "expr/sample_settle.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

constexpr char kSoh = '\x01';

enum class Fix : uint8_t { kValid, kInvalid, kMore };

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// One field at `pos`: *tag, *value, *next (after its SOH).
Fix field(std::string_view m, size_t pos, std::string_view* tag, std::string_view* value,
          size_t* next) {
  const size_t eq = m.find('=', pos);
  if (eq == std::string_view::npos) {
    const std::string_view partial = m.substr(pos);
    return partial.empty() || all_digits(partial) ? Fix::kMore : Fix::kInvalid;
  }
  *tag = m.substr(pos, eq - pos);
  if (!all_digits(*tag) || tag->size() > 9) return Fix::kInvalid;
  const size_t soh = m.find(kSoh, eq + 1);
  if (soh == std::string_view::npos) return Fix::kMore;
  *value = m.substr(eq + 1, soh - eq - 1);
  if (value->empty()) return Fix::kInvalid;
  *next = soh + 1;
  return Fix::kValid;
}

// BeginString (8, "FIX..."), BodyLength (9) and MsgType (35) first, in this
// order; the body length counts from after BodyLength up to CheckSum (10),
// whose 3 digits are the sum of every byte before it, modulo 256.
Fix validate(std::string_view m) {
  size_t pos = 0, body_start = 0;
  uint64_t body_len = 0;
  for (int index = 0;; ++index) {
    std::string_view tag, value;
    size_t next = 0;
    const Fix f = field(m, pos, &tag, &value, &next);
    if (f != Fix::kValid) return f;
    if (index == 0 && (tag != "8" || value.substr(0, 3) != "FIX")) return Fix::kInvalid;
    if (index == 1) {
      if (tag != "9" || !all_digits(value) || value.size() > 9) return Fix::kInvalid;
      body_len = std::stoull(std::string(value));
      body_start = next;
    }
    if (index == 2 && tag != "35") return Fix::kInvalid;
    if (index >= 3 && tag == "10") {
      if (value.size() != 3 || !all_digits(value) || pos - body_start != body_len)
        return Fix::kInvalid;
      unsigned sum = 0;
      for (size_t i = 0; i < pos; ++i) sum += uint8_t(m[i]);
      return unsigned(std::stoi(std::string(value))) == sum % 256 ? Fix::kValid : Fix::kInvalid;
    }
    pos = next;
  }
}

// A valid or invalid message is final; only a prefix may still change.
bool conv_fix_is_valid(const Arg*, size_t, Sample& smp, FetchContext&) {
  const Fix f = validate(smp.str);
  if (f != Fix::kMore) settle_sample();
  smp.set_bool(f == Fix::kValid);
  return true;
}

bool conv_fix_tag_value(const Arg* a, size_t, Sample& smp, FetchContext&) {
  const std::string want = std::to_string(a[0].sint);
  const std::string_view m = smp.str;
  for (size_t pos = 0; pos < m.size();) {
    std::string_view tag, value;
    size_t next = 0;
    if (field(m, pos, &tag, &value, &next) != Fix::kValid) return false;
    if (tag == want) {
      settle_sample();
      smp.set_bin(value);
      return true;
    }
    pos = next;
  }
  return false;
}

// The tag: a number, or one of the names HAProxy knows.
bool check_fix_tag(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  static const std::pair<const char*, int> kNames[] = {
      {"BeginString", 8}, {"BodyLength", 9},    {"CheckSum", 10},
      {"MsgType", 35},    {"SenderCompID", 49}, {"TargetCompID", 56},
  };
  const std::string& s = args[0].str;
  for (const auto& [name, tag] : kNames) {
    if (s == name) {
      args[0].sint = tag;
      return true;
    }
  }
  if (all_digits(s) && s.size() <= 9) {
    args[0].sint = std::stoll(s);
    return true;
  }
  *err =
      "expects a FIX tag number or BeginString, BodyLength, CheckSum, MsgType, SenderCompID "
      "or TargetCompID, got '" +
      s + "'";
  return false;
}

const ConvDef kConverters[] = {
    {"fix_is_valid", {0, {}}, T::kBin, T::kBool, conv_fix_is_valid},
    {"fix_tag_value", {1, {A::kStr}}, T::kBin, T::kBin, conv_fix_tag_value, check_fix_tag},
};

}  // namespace

const ConvDef* find_fix_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
