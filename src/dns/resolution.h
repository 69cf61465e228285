#pragma once
// One name asked of one resolvers section on behalf of every server that
// wants it (servers sharing a name share its queries and its answer).
// A host name is asked for A and AAAA at once; an SRV label for SRV.
//
//   IDLE --due (timeout resolve) or asked now--> IN_FLIGHT
//   IN_FLIGHT --both answers (or the SRV one) in--> IDLE, requesters told
// c-ares retries each query itself (timeout retry, resolve_retries).
#include <cstdint>
#include <string>
#include <vector>

#include "dns/ares_channel.h"
#include "net/address.h"

namespace hearth::dns {

class Resolvers;
class Resolution;

struct SrvRecord {
  std::string target;
  uint16_t port = 0, weight = 0, priority = 0;
};

struct Answer {
  QueryStatus status = QueryStatus::kOther;  // kValid when records came back
  int ns = -1;                               // the nameserver that answered (-1: none)
  std::vector<net::Address> addrs;           // host: the AAAA then the A records, port 0
  std::vector<SrvRecord> srv;                // SRV: the records, in answer order
};

class Requester {
 public:
  virtual ~Requester() = default;
  // On the resolvers' thread, after each resolution of a name it asked for.
  virtual void on_answer(Resolution& r, int64_t now_ms) = 0;
};

class Resolution {
 public:
  enum class Kind : uint8_t { kHost, kSrv };
  Resolution(Resolvers* owner, std::string name, Kind kind)
      : owner_(owner), name_(std::move(name)), kind_(kind) {}

  const std::string& name() const { return name_; }
  Kind kind() const { return kind_; }
  const Answer& last() const { return last_; }
  bool in_flight() const { return pending_ > 0; }
  int64_t next_ms = 0;  // when it is due again
  std::vector<Requester*> requesters;

  // Sends its queries unless some are in flight.
  void start();

 private:
  static void on_reply(void* arg, QueryStatus st, int ns, const unsigned char* abuf, int alen);
  void take(int type, QueryStatus st, int ns, const unsigned char* abuf, int alen);
  void conclude();

  struct Query {
    Resolution* res;
    int type;
  };
  Resolvers* owner_;
  std::string name_;
  Kind kind_;
  int pending_ = 0;
  Query q_a_{this, 0}, q_aaaa_{this, 0}, q_srv_{this, 0};
  Answer building_, last_;
};

// The worse of two failed statuses, for a host asked twice (A and AAAA):
// NX is the name's (both say it), then refused, timeout, other, no data.
QueryStatus combine_failures(QueryStatus a, QueryStatus b);

// Parses the records of an answer c-ares gave (ares_parse_*_reply).
// Returns: the status, kInvalid if the answer does not parse.
QueryStatus parse_host_answer(int type, const unsigned char* abuf, int alen,
                              std::vector<net::Address>* out);
QueryStatus parse_srv_answer(const unsigned char* abuf, int alen, std::vector<SrvRecord>* out);

}  // namespace hearth::dns
