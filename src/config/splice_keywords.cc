// Global keywords of kernel splicing: nosplice, maxpipes, tune.pipesize
// (see net/pipe_pool.h for what they bound).
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {

bool parse_splice_global_keyword(const Directive& d, GlobalConfig& g, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "nosplice") {
    if (check_arity(d, kw, 1, 1, kw, rep)) g.splice.nosplice = true;
  } else if (kw == "maxpipes") {
    if (!check_arity(d, kw, 2, 2, "maxpipes N", rep)) return true;
    if (auto n = int_arg(d, 1, kw, 0, 1000000, rep)) g.splice.maxpipes = int(*n);
  } else if (kw == "tune.pipesize") {
    if (!check_arity(d, kw, 2, 2, "tune.pipesize BYTES", rep)) return true;
    auto n = parse_size(d[1]);
    // Linux takes 4 KiB up to /proc/sys/fs/pipe-max-size (1 MiB by default).
    if (!n || *n < 4096 || *n > 64 * 1024 * 1024) {
      rep.error(d.loc, kw,
                "expects a size between 4096 bytes and 64m (k and m suffixes allowed), got '" +
                    d[1] + "'");
      return true;
    }
    g.splice.pipesize = int(*n);
  } else {
    return false;
  }
  return true;
}

}  // namespace hearth::config::detail
