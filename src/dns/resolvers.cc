#include "dns/resolvers.h"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <unordered_map>

#include "backend/server.h"
#include "dns/server_link.h"
#include "dns/srv_group.h"

namespace hearth::dns {
namespace {

std::vector<Resolvers*> g_all;
std::unordered_map<const backend::Server*, ServerLink*> g_links;

// "host:port" → host (brackets dropped).
std::string host_of(const std::string& address) {
  std::string h = address.substr(0, address.rfind(':'));
  if (h.size() > 1 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

struct Posted {
  std::function<void()> fn;
  static void run(void* p) {
    std::unique_ptr<Posted> self(static_cast<Posted*>(p));
    self->fn();
  }
};

}  // namespace

void set_all_resolvers(std::vector<Resolvers*> all) { g_all = std::move(all); }
const std::vector<Resolvers*>& all_resolvers() { return g_all; }

ServerLink* link_of(const backend::Server* s) {
  auto it = g_links.find(s);
  return it == g_links.end() ? nullptr : it->second;
}

Resolvers::Resolvers(config::ResolversConfig cfg, int thread)
    : cfg_(std::move(cfg)), thread_(thread) {
  AresChannel::Options o;
  std::vector<NameserverCounters*> cs;
  for (const config::NameserverConfig& n : cfg_.nameservers) {
    std::string err;
    auto a = net::Address::parse(n.address, &err);  // checked at parse time: literal IPs
    if (!a) continue;
    auto c = std::make_unique<NameserverCounters>();
    c->name = n.name;
    cs.push_back(c.get());
    counters_.push_back(std::move(c));
    o.servers.push_back(*a);
  }
  o.timeout_ms = cfg_.timeout_retry_ms;
  o.tries = cfg_.resolve_retries;
  // c-ares reads a UDP answer into a 4096-byte buffer: announcing more would
  // let a server send what c-ares cannot read. Above that, the server marks
  // the answer truncated and c-ares asks again over TCP.
  o.edns_payload = std::min(cfg_.accepted_payload_size, kMaxUdpPayload);
  channel_ = std::make_unique<AresChannel>(std::move(o), std::move(cs));
}

Resolvers::~Resolvers() {
  for (auto& l : links_) g_links.erase(l->server());
}

ServerLink* Resolvers::add_server(backend::Backend* be, backend::Server* s,
                                  const config::ServerConfig& sc) {
  const bool slot = !sc.srv_record.empty();
  links_.push_back(std::make_unique<ServerLink>(this, be, s, sc.resolve, slot));
  ServerLink* link = links_.back().get();
  g_links[s] = link;
  if (!slot) {
    s->set_hostname(host_of(sc.address));
    return link;
  }
  SrvGroup* g = nullptr;
  for (auto& each : groups_)
    if (each->label() == sc.srv_record && !each->slots.empty() &&
        each->slots.front()->backend() == be)
      g = each.get();
  if (!g) {
    groups_.push_back(std::make_unique<SrvGroup>(this, sc.srv_record));
    g = groups_.back().get();
  }
  g->slots.push_back(link);
  return link;
}

void Resolvers::start(EventLoop* loop) {
  loop_ = loop;
  std::string err;
  if (!cfg_.nameservers.empty() && !channel_->start(loop, &err))
    std::fprintf(stderr, "[ALERT] resolvers %s: %s\n", cfg_.name.c_str(), err.c_str());
  for (auto& l : links_)
    if (!l->srv_slot()) l->set_fqdn(l->server()->hostname());
  for (auto& g : groups_) {
    g->res = acquire(g->label(), Resolution::Kind::kSrv, g.get());
    g->res->start();
  }
  arm();
}

void Resolvers::stop() {
  EventLoop* loop = loop_.exchange(nullptr);
  if (!loop) return;
  channel_->stop();
  loop->timers().cancel(&timer_);
}

Resolution* Resolvers::acquire(const std::string& name, Resolution::Kind kind, Requester* r) {
  auto& slot = resolutions_[{int(kind), name}];
  if (!slot) slot = std::make_unique<Resolution>(this, name, kind);
  slot->requesters.push_back(r);
  return slot.get();
}

void Resolvers::release(Resolution* res, Requester* r) {
  auto& q = res->requesters;
  q.erase(std::remove(q.begin(), q.end(), r), q.end());
  // Freed by the next tick (it may be telling its requesters right now).
}

void Resolvers::arm() {
  EventLoop* loop = loop_.load();
  if (!loop) return;
  int64_t next = kNever;
  for (auto& [key, res] : resolutions_)
    if (!res->in_flight() && !res->requesters.empty()) next = std::min(next, res->next_ms);
  if (next == kNever)
    loop->timers().cancel(&timer_);
  else
    loop->timers().arm(&timer_, std::max(next, loop->now_ms()));
}

void Resolvers::timer_cb(Timer*, void* ctx) { static_cast<Resolvers*>(ctx)->tick(); }

void Resolvers::tick() {
  const int64_t now = now_ms();
  for (auto it = resolutions_.begin(); it != resolutions_.end();) {
    Resolution& res = *it->second;
    if (res.requesters.empty() && !res.in_flight()) {
      it = resolutions_.erase(it);
      continue;
    }
    if (!res.in_flight() && res.next_ms <= now) res.start();
    ++it;
  }
  arm();
}

void Resolvers::post(std::function<void()> fn) {
  EventLoop* loop = loop_.load();
  if (!loop) return fn();
  loop->post(&Posted::run, new Posted{std::move(fn)});
}

std::string Resolvers::show() const {
  std::string o = "Resolvers section " + cfg_.name + "\n";
  for (const auto& c : counters_) append_counters(*c, &o);
  return o;
}

}  // namespace hearth::dns
