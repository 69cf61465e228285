// The global tune.* keywords about sockets, loops and logs.
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

constexpr int64_t kTuneMax = 1 << 30;

struct TuneInt {
  const char* name;
  int GlobalConfig::*field;
  int64_t lo;
  bool minus_one;  // -1 also accepted (no limit)
  bool size;       // a size: k and m suffixes accepted
  int64_t hi = kTuneMax;
};

const TuneInt kTuneInts[] = {
    {"tune.maxaccept", &GlobalConfig::tune_maxaccept, 1, true, false},
    {"tune.recv_enough", &GlobalConfig::tune_recv_enough, 0, false, true},
    {"tune.maxpollevents", &GlobalConfig::tune_maxpollevents, 1, false, false},
    {"tune.runqueue-depth", &GlobalConfig::tune_runqueue_depth, 1, false, false},
    {"tune.rcvbuf.client", &GlobalConfig::tune_rcvbuf_client, 1, false, true},
    {"tune.sndbuf.client", &GlobalConfig::tune_sndbuf_client, 1, false, true},
    {"tune.rcvbuf.server", &GlobalConfig::tune_rcvbuf_server, 1, false, true},
    {"tune.sndbuf.server", &GlobalConfig::tune_sndbuf_server, 1, false, true},
    {"tune.http.logurilen", &GlobalConfig::tune_http_logurilen, 1, false, false},
    {"tune.pool-low-fd-ratio", &GlobalConfig::tune_pool_low_fd_ratio, 0, false, false, 100},
    {"tune.pool-high-fd-ratio", &GlobalConfig::tune_pool_high_fd_ratio, 0, false, false, 100},
};

}  // namespace

bool parse_tune_keyword(const Directive& d, GlobalConfig& g, Reporter& rep) {
  for (const TuneInt& t : kTuneInts) {
    if (d[0] != t.name) continue;
    const std::string kw = t.name;
    if (!check_arity(d, kw, 2, 2, kw + (t.size ? " BYTES" : " N"), rep)) return true;
    auto n = t.size ? parse_size(d[1]) : parse_int(d[1]);
    if (n && t.minus_one && *n == -1) {
      g.*t.field = -1;
      return true;
    }
    if (!n || *n < t.lo || *n > t.hi) {
      rep.error(d.loc, kw,
                "expects " + std::string(t.minus_one ? "-1 (no limit) or " : "") +
                    "a number between " + std::to_string(t.lo) + " and " + std::to_string(t.hi) +
                    (t.size ? " (k and m suffixes allowed)" : "") + ", got '" + d[1] + "'");
      return true;
    }
    g.*t.field = static_cast<int>(*n);
    return true;
  }
  return false;
}

}  // namespace hearth::config::detail
