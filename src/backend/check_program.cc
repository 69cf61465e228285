#include "backend/check_program.h"

namespace hearth::backend {
namespace {

using Action = config::CheckRule::Action;

bool is_real(const config::CheckRule& r) {
  return r.action != Action::kComment && r.action != Action::kSetVar &&
         r.action != Action::kUnsetVar;
}

CheckStep implicit_connect() {
  CheckStep s;
  s.rule.action = Action::kConnect;
  s.rule.connect.is_default = true;
  s.rule.connect.implicit = true;
  s.step = 0;
  return s;
}

// HTTP checks: a request when none is written (after the first connect), and
// the default expectation after a request no expect follows.
void complete_http(std::vector<CheckStep>* steps, int next_step) {
  bool has_send = false;
  for (const CheckStep& s : *steps) has_send = has_send || s.rule.action == Action::kSend;
  if (!has_send) {
    CheckStep snd;
    snd.rule.action = Action::kSend;
    snd.rule.send.kind = config::CheckSend::Kind::kHttp;
    snd.step = next_step++;
    size_t at = 0;
    while (at < steps->size() && (*steps)[at].rule.action != Action::kConnect) ++at;
    steps->insert(steps->begin() + std::ptrdiff_t(at < steps->size() ? at + 1 : 0), snd);
  }
  std::vector<CheckStep> out;
  for (size_t i = 0; i < steps->size(); ++i) {
    out.push_back((*steps)[i]);
    if ((*steps)[i].rule.action != Action::kSend) continue;
    bool checked = false;
    for (size_t j = i + 1; j < steps->size(); ++j) {
      const Action a = (*steps)[j].rule.action;
      if (a == Action::kExpect) checked = true;
      if (a == Action::kExpect || a == Action::kSend || a == Action::kConnect) break;
    }
    if (checked) continue;
    CheckStep e;
    e.rule.action = Action::kExpect;
    e.rule.expect.kind = config::CheckExpect::Kind::kStatus;
    e.rule.expect.ranges = {{200, 399}};
    e.rule.expect.implicit = true;
    e.step = next_step++;
    out.push_back(std::move(e));
  }
  *steps = std::move(out);
}

}  // namespace

CheckProgram build_check_program(const config::CheckConfig& c) {
  CheckProgram p;
  p.type = c.type;
  p.preset_vars = c.preset_vars;
  p.send_state = c.send_state;
  p.disable_on_404 = c.disable_on_404 && c.type == config::CheckType::kHttp;
  const std::vector<config::CheckRule>* rules = nullptr;
  switch (c.type) {
    case config::CheckType::kL4:
      break;
    case config::CheckType::kTcp:
      if (c.rules_kind == config::CheckConfig::RulesKind::kTcp) rules = &c.rules;
      break;
    case config::CheckType::kHttp:
      if (c.rules_kind == config::CheckConfig::RulesKind::kHttp) rules = &c.rules;
      break;
    default:
      rules = &c.proto_rules;
      break;
  }
  int n = 0;
  if (rules) {
    for (const config::CheckRule& r : *rules) p.steps.push_back(CheckStep{r, ++n});
  }
  const config::CheckRule* first = nullptr;
  for (const CheckStep& s : p.steps) {
    if (is_real(s.rule)) {
      first = &s.rule;
      break;
    }
  }
  if (!first || first->action != Action::kConnect)
    p.steps.insert(p.steps.begin(), implicit_connect());
  if (p.http()) complete_http(&p.steps, n + 1);
  return p;
}

}  // namespace hearth::backend
