#include "dns/server_link.h"

#include <algorithm>

#include "backend/backend.h"
#include "backend/health_log.h"
#include "backend/server.h"
#include "backend/server_state_lock.h"
#include "backend/server_track.h"
#include "config/log_model.h"
#include "core/clock.h"
#include "dns/address_choice.h"
#include "dns/resolvers.h"
#include "dns/srv_group.h"

namespace hearth::dns {

const char* failure_reason(QueryStatus st) {
  switch (st) {
    case QueryStatus::kNx:
      return "DNS NX status";
    case QueryStatus::kTimeout:
      return "DNS timeout status";
    case QueryStatus::kRefused:
      return "DNS refused status";
    default:
      return "unspecified DNS error";
  }
}

int64_t hold_for(const config::ResolversConfig& c, QueryStatus st) {
  switch (st) {
    case QueryStatus::kNx:
      return c.hold_nx_ms;
    case QueryStatus::kTimeout:
      return c.hold_timeout_ms;
    case QueryStatus::kRefused:
      return c.hold_refused_ms;
    default:
      return c.hold_other_ms;
  }
}

ServerLink::ServerLink(Resolvers* rs, backend::Backend* be, backend::Server* s,
                       const config::ServerResolveConfig& rc, bool srv_slot)
    : rs_(rs), be_(be), srv_(s), rc_(rc), srv_slot_(srv_slot) {
  if (s->has_addr.load()) {
    has_ = true;
    cur_ = s->address();
  }
}

void ServerLink::set_fqdn(const std::string& fqdn) {
  if (res_) rs_->release(res_, this);
  res_ = nullptr;
  fqdn_ = fqdn;
  srv_->set_hostname(fqdn);
  if (fqdn.empty()) return;
  last_valid_ms_ = rs_->now_ms();  // the hold counts from the name's first use
  res_ = rs_->acquire(fqdn, Resolution::Kind::kHost, this);
  res_->start();
  rs_->arm();
}

void ServerLink::note_address(const net::Address& a) {
  cur_ = a;
  has_ = true;
}

bool ServerLink::taken_by_other(const net::Address& a) const {
  // SRV slots are told apart by port: two records may name one target.
  if (rc_.dup_ip == 1 || srv_slot_ || !res_) return false;
  for (Requester* r : res_->requesters) {
    auto* o = static_cast<ServerLink*>(r);  // a host resolution's requesters are all links
    if (o != this && o->be_ == be_ && o->has_ && o->srv_->has_addr.load() && same_ip(o->cur_, a))
      return true;
  }
  return false;
}

void ServerLink::on_answer(Resolution& r, int64_t now_ms) {
  const Answer& a = r.last();
  if (a.status == QueryStatus::kValid) {
    last_valid_ms_ = now_ms;
    const int i = choose_address(a.addrs, rc_.prefer, rc_.nets, current(),
                                 [this](const net::Address& x) { return taken_by_other(x); });
    if (i < 0) return enter_maint("No IP for server ");
    return apply(a.addrs[size_t(i)], a.ns);
  }
  if (now_ms - last_valid_ms_ < hold_for(rs_->config(), a.status)) return;  // held
  enter_maint(failure_reason(a.status));
}

void ServerLink::apply(const net::Address& ip, int ns) {
  backend::ServerStateGuard guard;
  net::Address next = ip;
  next.set_port(srv_slot_ ? srv_port : srv_->address().port());
  const bool serving_addr = srv_->has_addr.load();
  const bool moved = !has_ || !same_ip(cur_, ip) || cur_.port() != next.port();
  const std::string by =
      ns >= 0 ? rs_->name() + "/" + rs_->counters()[size_t(ns)]->name : rs_->name();
  if (moved) {
    char before[64];
    const std::string from = has_ ? cur_.ip_str(before, sizeof before) : "(none)";
    srv_->set_address(next);
    cur_ = next;
    has_ = true;
    if (ns >= 0) rs_->counters()[size_t(ns)]->update++;
    char after[64];
    backend::emit_backend_event(*be_, "[WARNING]", config::kLogNotice,
                                be_->name() + "/" + srv_->name + " changed its IP from " + from +
                                    " to " + next.ip_str(after, sizeof after) + " by " + by + ".");
  }
  if (serving_addr) return;
  srv_->has_addr.store(true);
  be_->servers_changed();
  const std::string id = be_->name() + "/" + srv_->name;
  backend::emit_backend_event(
      *be_, "[WARNING]", config::kLogNotice,
      "Server " + id + " ('" + fqdn_ + "') is " +
          (srv_->up.load() && !srv_->disabled.load() ? "UP/READY" : "DOWN") + " (resolves again).");
  backend::emit_backend_event(
      *be_, "[WARNING]", config::kLogNotice,
      "Server " + id + " administratively READY thanks to valid DNS answer.");
  backend::propagate_to_trackers(*srv_, MonotonicClock::instance()->now_ms());
}

void ServerLink::enter_maint(const std::string& reason) {
  backend::ServerStateGuard guard;
  if (!srv_->has_addr.load()) return;
  srv_->has_addr.store(false);
  be_->servers_changed();
  backend::emit_backend_event(*be_, "[WARNING]", config::kLogNotice,
                              backend::maintenance_text(*be_, *srv_, reason));
  const std::string none = backend::no_server_text(*be_);
  if (!none.empty()) backend::emit_backend_event(*be_, "[ALERT]", config::kLogEmerg, none);
  backend::propagate_to_trackers(*srv_, MonotonicClock::instance()->now_ms());
}

void ServerLink::fill(const SrvRecord& rec, int64_t now_ms) {
  srv_->fqdn_set.store(true);
  srv_port = rec.port;
  srv_seen_ms = now_ms;
  has_ = false;  // a new target: its address comes from its own resolution
  set_srv_weight(rec.weight);
  set_fqdn(rec.target);
}

void ServerLink::empty_slot() {
  enter_maint("entry removed from SRV record");
  set_fqdn("");
  srv_port = 0;
  has_ = false;
  net::Address none = srv_->address();
  none.set_port(0);
  srv_->set_address(none);
}

void ServerLink::set_srv_weight(uint16_t w) {
  if (rc_.ignore_weight) return;
  const int next = srv_weight(w);
  if (srv_->weight.load() == next) return;
  srv_->weight.store(next);
  be_->servers_changed();
}

}  // namespace hearth::dns
