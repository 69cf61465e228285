#pragma once
// A server kept up to date by a resolvers section: the name it resolves, the
// address it took from the last valid answer, and the hold that keeps it
// through failures. Lives on the resolvers' thread; publishes to the
// backend::Server through its thread-safe setters (see "Server address
// lifecycle" in docs/architecture.md).
#include <cstdint>
#include <string>

#include "config/model.h"
#include "dns/resolution.h"
#include "net/address.h"

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::dns {

class Resolvers;

class ServerLink : public Requester {
 public:
  ServerLink(Resolvers* rs, backend::Backend* be, backend::Server* s,
             const config::ServerResolveConfig& rc, bool srv_slot);

  backend::Server* server() const { return srv_; }
  backend::Backend* backend() const { return be_; }
  Resolvers* resolvers() const { return rs_; }
  bool srv_slot() const { return srv_slot_; }
  // The name it resolves now ("": none, an empty SRV slot).
  const std::string& fqdn() const { return fqdn_; }
  // The address it has now, as this thread knows it (null: none).
  const net::Address* current() const { return has_ ? &cur_ : nullptr; }

  // On the resolvers' thread: resolve `fqdn` from now on ("": stop, and
  // leave the server's address as it is), asking at once.
  void set_fqdn(const std::string& fqdn);
  // On the resolvers' thread: "set server addr" moved the server.
  void note_address(const net::Address& a);

  void on_answer(Resolution& r, int64_t now_ms) override;

  // SRV slots (SrvGroup): filled from a record, emptied when it went away.
  uint16_t srv_port = 0;
  int64_t srv_seen_ms = 0;  // when its record was last in an answer
  void fill(const SrvRecord& rec, int64_t now_ms);
  void empty_slot();
  void set_srv_weight(uint16_t w);

 private:
  void apply(const net::Address& ip, int ns);
  // Out of service until a valid answer gives it an address again.
  void enter_maint(const std::string& reason);
  bool taken_by_other(const net::Address& a) const;

  Resolvers* rs_;
  backend::Backend* be_;
  backend::Server* srv_;
  config::ServerResolveConfig rc_;
  bool srv_slot_;
  std::string fqdn_;
  Resolution* res_ = nullptr;
  int64_t last_valid_ms_ = 0;
  bool has_ = false;  // cur_ is the server's address
  net::Address cur_;
};

// Reason text of a failed status (as HAProxy logs it).
const char* failure_reason(QueryStatus st);
// The hold period of a failed status.
int64_t hold_for(const config::ResolversConfig& c, QueryStatus st);

}  // namespace hearth::dns
