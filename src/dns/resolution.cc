#include "dns/resolution.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>

#include <algorithm>
#include <cstring>

#include "dns/resolvers.h"

namespace hearth::dns {

QueryStatus combine_failures(QueryStatus a, QueryStatus b) {
  auto rank = [](QueryStatus s) {
    switch (s) {
      case QueryStatus::kNx:
        return 5;
      case QueryStatus::kRefused:
        return 4;
      case QueryStatus::kTimeout:
        return 3;
      case QueryStatus::kInvalid:
      case QueryStatus::kOther:
        return 2;
      case QueryStatus::kNoData:
        return 1;
      case QueryStatus::kValid:
        return 0;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

QueryStatus parse_host_answer(int type, const unsigned char* abuf, int alen,
                              std::vector<net::Address>* out) {
  constexpr int kMax = 64;
  if (type == ns_t_a) {
    ares_addrttl ttls[kMax];
    int n = kMax;
    if (ares_parse_a_reply(abuf, alen, nullptr, ttls, &n) != ARES_SUCCESS)
      return QueryStatus::kInvalid;
    for (int i = 0; i < n; ++i) {
      net::Address a;
      a.ss.v4.sin_family = AF_INET;
      a.ss.v4.sin_addr = ttls[i].ipaddr;
      a.len = sizeof(sockaddr_in);
      out->push_back(a);
    }
    return n ? QueryStatus::kValid : QueryStatus::kNoData;
  }
  ares_addr6ttl ttls[kMax];
  int n = kMax;
  if (ares_parse_aaaa_reply(abuf, alen, nullptr, ttls, &n) != ARES_SUCCESS)
    return QueryStatus::kInvalid;
  for (int i = 0; i < n; ++i) {
    net::Address a;
    a.ss.v6.sin6_family = AF_INET6;
    std::memcpy(&a.ss.v6.sin6_addr, &ttls[i].ip6addr, 16);
    a.len = sizeof(sockaddr_in6);
    out->push_back(a);
  }
  return n ? QueryStatus::kValid : QueryStatus::kNoData;
}

QueryStatus parse_srv_answer(const unsigned char* abuf, int alen, std::vector<SrvRecord>* out) {
  ares_srv_reply* head = nullptr;
  if (ares_parse_srv_reply(abuf, alen, &head) != ARES_SUCCESS) return QueryStatus::kInvalid;
  for (ares_srv_reply* r = head; r; r = r->next)
    out->push_back({r->host, r->port, r->weight, r->priority});
  ares_free_data(head);
  return out->empty() ? QueryStatus::kNoData : QueryStatus::kValid;
}

void Resolution::start() {
  if (pending_ > 0 || !owner_->channel().running()) return;
  building_ = Answer{};
  building_.status = QueryStatus::kNoData;
  if (kind_ == Kind::kSrv) {
    pending_ = 1;
    q_srv_.type = ns_t_srv;
    owner_->channel().query(name_, ns_t_srv, &Resolution::on_reply, &q_srv_);
    return;
  }
  pending_ = 2;
  q_aaaa_.type = ns_t_aaaa;
  q_a_.type = ns_t_a;
  owner_->channel().query(name_, ns_t_aaaa, &Resolution::on_reply, &q_aaaa_);
  owner_->channel().query(name_, ns_t_a, &Resolution::on_reply, &q_a_);
}

void Resolution::on_reply(void* arg, QueryStatus st, int ns, const unsigned char* abuf, int alen) {
  auto* q = static_cast<Query*>(arg);
  q->res->take(q->type, st, ns, abuf, alen);
}

void Resolution::take(int type, QueryStatus st, int ns, const unsigned char* abuf, int alen) {
  if (st == QueryStatus::kValid) {
    st = type == ns_t_srv ? parse_srv_answer(abuf, alen, &building_.srv)
                          : parse_host_answer(type, abuf, alen, &building_.addrs);
  }
  if (st == QueryStatus::kValid) {
    building_.status = QueryStatus::kValid;
    building_.ns = ns;
  } else if (building_.status != QueryStatus::kValid) {
    building_.status = combine_failures(building_.status, st);
    if (building_.ns < 0) building_.ns = ns;
  }
  if (--pending_ == 0) conclude();
}

void Resolution::conclude() {
  // AAAA answers were asked first but may come last: IPv6 first, as asked.
  std::stable_partition(building_.addrs.begin(), building_.addrs.end(),
                        [](const net::Address& a) { return a.family() == AF_INET6; });
  last_ = std::move(building_);
  building_ = Answer{};
  if (!owner_->channel().running()) return;  // stopping: nobody is told
  const int64_t now = owner_->now_ms();
  next_ms = now + owner_->config().timeout_resolve_ms;
  // A requester may leave (an SRV slot freed, "set server fqdn") while told.
  const std::vector<Requester*> told = requesters;
  for (Requester* r : told)
    if (std::find(requesters.begin(), requesters.end(), r) != requesters.end())
      r->on_answer(*this, now);
  owner_->arm();
}

}  // namespace hearth::dns
