#pragma once
// What `show resolvers` prints for one nameserver: HAProxy's counters, in its
// order. Written by the resolvers' thread, read by the runtime API's.
#include <atomic>
#include <cstdint>
#include <string>

namespace hearth::dns {

struct NameserverCounters {
  std::string name;
  std::atomic<uint64_t> sent{0};         // queries written to it
  std::atomic<uint64_t> snd_error{0};    // ... that the socket refused
  std::atomic<uint64_t> valid{0};        // answers with records
  std::atomic<uint64_t> update{0};       // valid answers that changed a server
  std::atomic<uint64_t> cname{0};        // (c-ares follows CNAMEs itself: stays 0)
  std::atomic<uint64_t> cname_error{0};  // (likewise)
  std::atomic<uint64_t> any_err{0};      // NOERROR answers without a record of the type
  std::atomic<uint64_t> nx{0};           // NXDOMAIN
  std::atomic<uint64_t> timeout{0};      // no answer after the retries
  std::atomic<uint64_t> refused{0};      // REFUSED
  std::atomic<uint64_t> other{0};        // SERVFAIL, unreachable, any other failure
  std::atomic<uint64_t> invalid{0};      // malformed answers
  std::atomic<uint64_t> too_big{0};      // (c-ares drops them: stays 0)
  std::atomic<uint64_t> truncated{0};    // (c-ares retries them over TCP: stays 0)
  std::atomic<uint64_t> outdated{0};     // answers to a query given up meanwhile
};

// Appends HAProxy's block for one nameserver (" nameserver NAME:\n  sent: ...").
void append_counters(const NameserverCounters& c, std::string* out);

}  // namespace hearth::dns
