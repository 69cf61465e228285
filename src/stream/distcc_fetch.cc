// distcc_body(TOKEN[,OCC]) and distcc_param(TOKEN[,OCC]) (HAProxy manual
// 7.3.5) on the bytes a tcp-request or tcp-response content rule inspects;
// expr/distcc reads the tokens.
//
// Short of bytes: while the rules may still wait, a token not reached yet
// leaves the test undecided, and so does a body not all here (its sample is
// what arrived, and may change); once they may not, the first gives no
// sample and the second the body cut short. HAProxy instead answers at once
// with the body's announced length, bytes not received included.
#include "expr/distcc.h"
#include "stream/tcp_rules.h"

namespace hearth::stream {

bool TcpFetch::distcc(std::string_view data, const expr::FetchDef& def, const expr::Arg* args,
                      expr::Sample& out) {
  expr::DistccToken tok;
  const uint32_t occ = uint32_t(args[1].sint);  // a negative one never matches, as in HAProxy
  const expr::HelloStatus st = expr::distcc_find(data, uint32_t(args[0].sint), occ, &tok);
  if (st == expr::HelloStatus::kIncomplete) return miss();
  if (st == expr::HelloStatus::kInvalid) return false;
  if (def.id == expr::FetchId::kDistccParam) {
    out.set_sint(tok.param);
    return true;
  }
  const bool before = missing_;
  out.set_bin(tok.body);
  if (!tok.body_complete) may_change(before);
  return true;
}

}  // namespace hearth::stream
