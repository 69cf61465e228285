#pragma once
// The servers of one SRV "server-template": slots filled from the records
// of its label (target, port, weight) as answers change. A record keeps its
// slot; a new one takes a free slot; a slot whose record has been missing for
// `hold obsolete` is emptied (maintenance "resolution"). A failed answer
// empties them all once its hold has passed. Each filled slot resolves its
// target's address as a server resolving that name would (ServerLink).
#include <cstdint>
#include <string>
#include <vector>

#include "dns/resolution.h"

namespace hearth::dns {

class Resolvers;
class ServerLink;

class SrvGroup : public Requester {
 public:
  SrvGroup(Resolvers* rs, std::string label) : rs_(rs), label_(std::move(label)) {}
  const std::string& label() const { return label_; }
  std::vector<ServerLink*> slots;  // in the template's order
  Resolution* res = nullptr;
  void on_answer(Resolution& r, int64_t now_ms) override;

 private:
  Resolvers* rs_;
  std::string label_;
  int64_t last_valid_ms_ = 0;
};

// The weight HAProxy gives a server from an SRV record's: rounded up to 256ths
// (0..65535 → 0..256; compared with HAProxy 2.6: 10 → 1, 512 → 2, 65535 → 256).
int srv_weight(uint16_t w);

}  // namespace hearth::dns
