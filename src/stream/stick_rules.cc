#include "stream/stick_rules.h"

#include "expr/condition.h"
#include "expr/sample_expr.h"
#include "stick/dict.h"
#include "stick/registry.h"
#include "stick/track.h"
#include "stream/sample_fetch.h"
#include "stream/stick_counters.h"

namespace hearth::stream {
namespace {

using stick::DataType;

bool holds(const config::StickRule& r, TxnFetch& ctx) {
  return !r.cond || expr::eval_condition(*r.cond, ctx);
}

backend::Server* server_by_puid(const backend::Backend& be, int64_t puid) {
  for (const auto& s : be.servers())
    if (s->puid == puid) return s.get();
  return nullptr;
}

// "srvkey addr": the server's address as HAProxy 2.6 keys it ("IP:PORT",
// IPv6 without brackets), interned.
const std::string* srv_addr_key(const backend::Server& srv) {
  std::string a = srv.address().str();
  if (!a.empty() && a[0] == '[') {
    const size_t close = a.find(']');
    if (close != std::string::npos) a = a.substr(1, close - 1) + a.substr(close + 1);
  }
  return stick::intern(a);
}

backend::Server* server_by_addr(const backend::Backend& be, const std::string& key) {
  for (const auto& s : be.servers())
    if (s->has_addr.load(std::memory_order_relaxed) && *srv_addr_key(*s) == key) return s.get();
  return nullptr;
}

}  // namespace

bool StickStores::has(const stick::Table* t) const {
  for (int i = 0; i < n; ++i)
    if (items[i].table == t) return true;
  return false;
}

void StickStores::add(stick::Table* t, std::string_view key) {
  if (n >= kMax) return;
  items[n].table = t;
  items[n].key.assign(key);
  ++n;
}

StickMatch stick_request_rules(const std::vector<config::StickRule>& rules,
                               const backend::Backend& be, TxnFetch& ctx, bool assigned,
                               StickStores* stores) {
  StickMatch found;
  std::string_view key;
  const int64_t now = stick_now();
  for (const config::StickRule& r : rules) {
    if (r.kind == config::StickRule::Kind::kStoreResponse) continue;
    stick::Table* t = stick::table_at(r.table->index);
    if (!t) continue;
    // Only the first store of each table applies.
    if (r.kind == config::StickRule::Kind::kStoreRequest && stores->has(t)) continue;
    if (!holds(r, ctx) || !table_key_of(*r.expr, ctx, *t, &key)) continue;
    if (r.matches()) {
      if (stick::Entry* e = t->lookup(key, now)) {
        if (!assigned && !found.server) {
          // The server's name first (it survives renumbering), else its id.
          backend::Server* s = nullptr;
          const std::string* name = nullptr;
          int64_t id = -1;
          {
            std::lock_guard<stick::SpinLock> g(e->lock);
            if (auto** k = t->data<const std::string*>(e, DataType::kServerKey)) name = *k;
            if (int64_t* i = t->data<int64_t>(e, DataType::kServerId)) id = *i;
          }
          if (name)
            s = t->config().srvkey_addr ? server_by_addr(be, *name) : be.server_named(*name);
          if (!s && id >= 0) s = server_by_puid(be, id);
          if (s) {
            found.server = s;
            found.serving = s->serving();
            assigned = true;
          }
        }
        t->touch(e, now);
        t->changed(e);
        t->release(e);
      }
    }
    if (r.stores() && !stores->has(t)) stores->add(t, key);
  }
  return found;
}

void stick_response_rules(const std::vector<config::StickRule>& rules, TxnFetch& ctx,
                          StickStores* stores) {
  std::string_view key;
  for (const config::StickRule& r : rules) {
    if (r.kind != config::StickRule::Kind::kStoreResponse) continue;
    stick::Table* t = stick::table_at(r.table->index);
    if (!t || stores->has(t)) continue;
    if (!holds(r, ctx) || !table_key_of(*r.expr, ctx, *t, &key)) continue;
    stores->add(t, key);
  }
}

void stick_commit(StickStores* stores, const backend::Server& srv, int64_t now_ms) {
  if (srv.non_stick) {  // as HAProxy: the stores are dropped, the entries untouched
    stores->n = 0;
    return;
  }
  for (int i = 0; i < stores->n; ++i) {
    StickStores::Item& it = stores->items[i];
    stick::Entry* e = it.table->get_or_create(it.key, now_ms);
    if (!e) continue;
    const std::string* name =
        it.table->config().srvkey_addr ? srv_addr_key(srv) : stick::intern(srv.name);
    {
      std::lock_guard<stick::SpinLock> g(e->lock);
      if (int64_t* id = it.table->data<int64_t>(e, DataType::kServerId)) *id = srv.puid;
      if (auto** key = it.table->data<const std::string*>(e, DataType::kServerKey)) *key = name;
    }
    it.table->changed(e);
    it.table->release(e);
  }
  stores->n = 0;
}

}  // namespace hearth::stream
