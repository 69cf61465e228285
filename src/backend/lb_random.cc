#include "backend/lb_random.h"

#include <algorithm>
#include <array>

namespace hearth::backend {
namespace {

bool contains(const size_t* drawn, int ndrawn, size_t pos) {
  return std::find(drawn, drawn + ndrawn, pos) != drawn + ndrawn;
}

}  // namespace

RandomLb::RandomLb(const std::vector<Server*>& servers, int draws, uint64_t seed,
                   int balance_factor)
    : LbBase(servers),
      draws_(std::clamp(draws, 1, kMaxDraws)),
      state_(seed),
      bound_(balance_factor) {
  rebuild();
}

uint64_t RandomLb::next_random() {
  state_ += 0x9e3779b97f4a7c15ull;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

bool RandomLb::drawable(size_t i, const Server* skip, bool unbounded, int64_t served) const {
  return is_candidate(servers()[i], skip) && (unbounded || bound_.within(servers(), i, served));
}

size_t RandomLb::draw(const size_t* drawn, int ndrawn, int64_t total, const Server* skip,
                      bool unbounded, int64_t served) {
  const std::vector<Server*>& list = servers();
  int64_t r = static_cast<int64_t>(next_random() % static_cast<uint64_t>(total));
  size_t last = list.size();
  for (size_t i = 0; i < list.size(); ++i) {
    if (!drawable(i, skip, unbounded, served) || contains(drawn, ndrawn, i)) continue;
    last = i;
    r -= list[i]->lb_weight();
    if (r < 0) return i;
  }
  // A server lost its room since `total` was summed: settle for the last
  // candidate still standing.
  return last;
}

Server* RandomLb::pick_active(const LbRequest& /*req*/, const Server* skip) {
  const std::vector<Server*>& list = servers();
  const int64_t served = bound_.served(list);
  int64_t total = 0;
  int count = 0;
  // Within the bound when one is set and some candidate meets it; else all.
  bool unbounded = !bound_.enabled();
  for (int pass = 0; pass < 2 && count == 0; ++pass) {
    if (pass == 1) unbounded = true;
    for (size_t i = 0; i < list.size(); ++i) {
      if (!drawable(i, skip, unbounded, served)) continue;
      total += list[i]->lb_weight();
      ++count;
    }
    if (unbounded) break;
  }
  std::array<size_t, kMaxDraws> drawn{};
  const int draws = std::min(draws_, count);
  Server* best = nullptr;
  int64_t best_load = 0;
  int64_t best_weight = 1;
  for (int d = 0; d < draws && total > 0; ++d) {
    const size_t pos = draw(drawn.data(), d, total, skip, unbounded, served);
    if (pos == list.size()) break;
    drawn[d] = pos;
    Server* s = list[pos];
    const int64_t load = s->cur_sess.load();
    const int64_t weight = s->lb_weight();
    total -= weight;
    // load/weight < best_load/best_weight, in integers.
    if (best == nullptr || load * best_weight < best_load * weight) {
      best = s;
      best_load = load;
      best_weight = weight;
    }
  }
  return best;
}

}  // namespace hearth::backend
