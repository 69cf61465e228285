#include "dns/srv_group.h"

#include "dns/resolvers.h"
#include "dns/server_link.h"

namespace hearth::dns {

int srv_weight(uint16_t w) { return (int(w) + 255) / 256; }

void SrvGroup::on_answer(Resolution& r, int64_t now_ms) {
  const Answer& a = r.last();
  if (a.status != QueryStatus::kValid) {
    if (now_ms - last_valid_ms_ < hold_for(rs_->config(), a.status)) return;
    for (ServerLink* s : slots)
      if (!s->fqdn().empty()) s->empty_slot();
    return;
  }
  last_valid_ms_ = now_ms;
  std::vector<const SrvRecord*> fresh;
  for (const SrvRecord& rec : a.srv) {
    ServerLink* owner = nullptr;
    for (ServerLink* s : slots)
      if (s->fqdn() == rec.target && s->srv_port == rec.port) owner = s;
    if (!owner) {
      fresh.push_back(&rec);
      continue;
    }
    owner->srv_seen_ms = now_ms;
    owner->set_srv_weight(rec.weight);
  }
  // Records gone for longer than hold obsolete free their slots first, so
  // that new records can take them in this very answer.
  for (ServerLink* s : slots)
    if (!s->fqdn().empty() && s->srv_seen_ms != now_ms &&
        now_ms - s->srv_seen_ms >= rs_->config().hold_obsolete_ms)
      s->empty_slot();
  size_t next = 0;
  for (ServerLink* s : slots) {
    if (next == fresh.size()) break;
    if (s->fqdn().empty()) s->fill(*fresh[next++], now_ms);
  }
}

}  // namespace hearth::dns
