#include "config/stick_action.h"

#include "config/parse_context.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// "(A)" or "(A,B)" after the action's name: the numbers, each checked.
bool parse_numbers(const std::string& word, size_t open, std::vector<int64_t>* out) {
  if (open == std::string::npos || word.back() != ')') return false;
  std::string_view inner(word);
  inner = inner.substr(open + 1, inner.size() - open - 2);
  while (true) {
    const size_t c = inner.find(',');
    const auto v = parse_int(inner.substr(0, c));
    if (!v) return false;
    out->push_back(*v);
    if (c == std::string_view::npos) return true;
    inner.remove_prefix(c + 1);
  }
}

}  // namespace

bool is_stick_action(const std::string& action) {
  const std::string name = action.substr(0, action.find('('));
  return name == "track-sc0" || name == "track-sc1" || name == "track-sc2" ||
         name == "sc-inc-gpc" || name == "sc-inc-gpc0" || name == "sc-inc-gpc1" ||
         name == "sc-set-gpt" || name == "sc-set-gpt0";
}

bool parse_stick_action(const Directive& d, size_t at, uint8_t where, bool track_ok,
                        const std::string& kw, StickAction* out, size_t* cond_at, Reporter& rep) {
  const std::string& a = d[at];
  const size_t open = a.find('(');
  const std::string name = a.substr(0, open);
  auto ends_at = [&](size_t n) {
    *cond_at = n;
    if (d.size() > n && d[n] != "if" && d[n] != "unless") {
      rep.error(d.loc, kw, "unexpected '" + d[n] + "' after the action (expects if or unless)");
      return false;
    }
    return true;
  };
  if (name.rfind("track-sc", 0) == 0) {
    if (!track_ok) {
      rep.error(d.loc, kw, "track-sc actions are not possible in this rule set");
      return false;
    }
    out->kind = StickAction::Kind::kTrack;
    out->slot = uint8_t(name.back() - '0');
    if (d.size() <= at + 1 || d[at + 1] == "if" || d[at + 1] == "unless") {
      rep.error(d.loc, kw, "missing key: expects " + name + " KEY [table TABLE]");
      return false;
    }
    std::string err;
    out->expr = expr::parse_sample_expr(d[at + 1], where, &err);
    if (!out->expr) {
      rep.error(d.loc, kw, err);
      return false;
    }
    size_t next = at + 2;
    std::string table;
    if (d.size() > next && d[next] == "table") {
      if (d.size() <= next + 1) {
        rep.error(d.loc, kw, "missing table name after 'table'");
        return false;
      }
      table = d[next + 1];
      next += 2;
    }
    out->table = expr::TableRefScope::make(table, name);
    return ends_at(next);
  }
  // sc-inc-gpc(IDX,SC), sc-inc-gpc0(SC), sc-inc-gpc1(SC), sc-set-gpt(IDX,SC),
  // sc-set-gpt0(SC).
  const bool array = name == "sc-inc-gpc" || name == "sc-set-gpt";
  out->kind =
      name.rfind("sc-inc", 0) == 0 ? StickAction::Kind::kIncGpc : StickAction::Kind::kSetGpt;
  out->which = array                ? StickAction::Which::kArray
               : name.back() == '1' ? StickAction::Which::k1
                                    : StickAction::Which::k0;
  std::vector<int64_t> nums;
  if (!parse_numbers(a, open, &nums) || nums.size() != (array ? 2u : 1u)) {
    rep.error(d.loc, kw,
              "expects " + name + (array ? "(IDX,SC)" : "(SC)") +
                  " with SC the tracked counter, 0 to 2" + (array ? ", and IDX 0 to 99" : ""));
    return false;
  }
  const int64_t sc = nums.back();
  if (sc < 0 || sc > 2 || (array && (nums[0] < 0 || nums[0] > 99))) {
    rep.error(d.loc, kw,
              std::string(array ? "the index must be 0 to 99 and " : "") +
                  "the tracked counter must be 0 to 2");
    return false;
  }
  out->slot = uint8_t(sc);
  if (array) out->idx = uint8_t(nums[0]);
  if (out->kind == StickAction::Kind::kIncGpc) return ends_at(at + 1);
  if (d.size() <= at + 1 || d[at + 1] == "if" || d[at + 1] == "unless") {
    rep.error(d.loc, kw, "missing value: expects " + name + "(...) INT|EXPR");
    return false;
  }
  if (const auto v = parse_int(d[at + 1])) {
    out->value = *v;
  } else {
    std::string err;
    out->expr = expr::parse_sample_expr(d[at + 1], where, &err);
    if (!out->expr) {
      rep.error(d.loc, kw, err);
      return false;
    }
  }
  return ends_at(at + 2);
}

}  // namespace hearth::config::detail
