// Fuzzes what health checks make of a server's reply: the expect rules of the
// protocol checks (redis, mysql with and without a user, pgsql, smtp, ldap,
// ssl-hello), a tcp-check list with regexes, min-recv and formats, and an
// HTTP check with status, header and body expectations, through the real
// configuration parser, program builder, expect evaluation and HTTP response
// reader. The first input byte picks the check and whether the peer closed;
// the rest is the reply. Every verdict's texts are built.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/check_expect.h"
#include "backend/check_program.h"
#include "config/parser.h"

namespace {

using hearth::backend::CheckProgram;

const char* const kChecks[] = {
    "option redis-check\n",
    "option mysql-check\n",
    "option mysql-check user u\n",
    "option pgsql-check user p\n",
    "option smtpchk EHLO fuzz.example\n",
    "option ldap-check\n",
    "option ssl-hello-chk\n",
    "option tcp-check\n"
    "  tcp-check connect\n"
    "  tcp-check expect min-recv 3 !rstring ^ERR comment neg\n"
    "  tcp-check expect binary 2B4F4B error-status L7STS on-error \"%[res.payload(0,4),hex]\"\n"
    "  tcp-check set-var(check.v) res.payload(0,2)\n"
    "  tcp-check expect string-lf \"%[var(check.v)]\" status-code res.len\n"
    "  tcp-check expect rbinary ^2B on-success \"%[res.len]\"\n",
    "option httpchk\n"
    "  http-check expect status 200-399\n"
    "  http-check expect hdr name -m beg x- value -m reg ^[a-z]+$\n"
    "  http-check set-var(check.h) res.fhdr(x-a)\n"
    "  http-check expect fhdr name-lf \"%[var(check.h)]\"\n"
    "  http-check expect ! string error\n",
};
constexpr size_t kCount = sizeof(kChecks) / sizeof(kChecks[0]);

std::vector<std::shared_ptr<CheckProgram>> programs() {
  std::vector<std::shared_ptr<CheckProgram>> out;
  for (const char* c : kChecks) {
    auto r = hearth::config::parse_string(std::string("backend b\n  ") + c, "fuzz.cfg",
                                          [](const std::string&) { return std::nullopt; });
    if (!r.ok() || r.config.proxies.empty()) __builtin_trap();  // the fixed lists must parse
    out.push_back(std::make_shared<CheckProgram>(
        hearth::backend::build_check_program(r.config.proxies[0].check)));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::shared_ptr<CheckProgram>> progs = programs();
  if (size < 1) return 0;
  const CheckProgram& p = *progs[data[0] % kCount];
  const bool last_read = data[0] & 0x80;
  const std::string_view reply(reinterpret_cast<const char*>(data + 1), size - 1);
  hearth::backend::CheckFetch ctx({"b", 1, "s", 1});
  size_t total = 0;
  // Every expect of the list sees the reply, as a run of expects does.
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const hearth::backend::CheckStep& s = p.steps[i];
    if (s.rule.action != hearth::config::CheckRule::Action::kExpect) continue;
    const bool last_rule = i + 1 == p.steps.size();
    hearth::backend::ExpectVerdict v =
        p.http() ? hearth::backend::eval_http_expect(p, s, reply, last_read, true, ctx)
                 : hearth::backend::eval_content_expect(p, s, reply, last_read, last_rule, ctx);
    total += v.info.size() + hearth::backend::step_text(p, s).size();
    int code = v.code;
    total += hearth::backend::success_info(p, s, ctx, &code).size();
  }
  hearth::backend::CheckResponse r = hearth::backend::parse_check_response(reply, last_read);
  total += r.body.size() + r.fields.size();
  return total == static_cast<size_t>(-1);
}
