#pragma once
// The streams alive on each worker thread, for the runtime API's "show sess",
// "shutdown session" and "shutdown sessions server". Each stream (TCP or
// HTTP) is a LiveStream: it links itself into its thread's list when made and
// unlinks when destroyed, so the list needs no lock; the API reaches a
// thread's list by running on that thread (RuntimeApi::on_threads).
//
// Killing a stream only marks it and wakes it: it ends on its own next turn,
// the way a timeout ends it, with 'K' as the first termination character.
#include <cstdint>
#include <functional>
#include <string>

#include "core/list.h"

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend
namespace hearth::net {
class Connection;
}

namespace hearth::stream {

class LiveStream {
 public:
  LiveStream(const LiveStream&) = delete;
  LiveStream& operator=(const LiveStream&) = delete;

  // "0xADDR: proto=... src=... fe=... be=... srv=... ts=00 age=Ns state=...".
  virtual std::string describe(int64_t now_ms) const = 0;
  // The block of lines of "show sess all" and "show sess ID" (stream_detail.h).
  virtual std::string describe_detail(int64_t now_ms) const = 0;
  // Ends the stream on its next turn, with `cause` as the first termination
  // flag: 'K' (killed by an operator), 'D' (its server went DOWN, on-marked-
  // down), 'U' (a server came UP, on-marked-up). On its thread.
  virtual void kill(char cause = 'K') = 0;
  // The server it is attached to (null: none yet or any more).
  virtual const backend::Server* current_server() const = 0;

  const void* id() const { return this; }

 protected:
  LiveStream();  // links it into the calling thread's list
  virtual ~LiveStream();

 private:
  friend void for_each_live_stream(const std::function<bool(LiveStream*)>& f);
  ListHook hook_;
};

// On a worker thread: calls f(s) for each stream of the thread until f
// returns false. f may kill() streams (they stay listed until they end).
void for_each_live_stream(const std::function<bool(LiveStream*)>& f);

class Frontend;

// One "show sess" line: "0xID: proto=tcpv4 src=A:P fe=FE be=BE srv=SRV ts=00
// age=Ns state=STATE" (be and srv "<NONE>"/"<none>" when not chosen yet).
// Made in stream_detail.cc, beside the detailed form.
std::string describe_stream(const void* id, const net::Connection* client, const Frontend* fe,
                            const backend::Backend* be, const backend::Server* srv, int64_t age_ms,
                            const char* state);

// The termination flags' first two characters for a stream killed in
// `phase_letter` ('R', 'Q', 'C', 'H', 'D', 'L', 'T', or '-': a TCP stream
// established) for `cause` ('K', 'D' or 'U').
inline const char* killed_term(char phase_letter, char cause = 'K') {
  static const char* const kTerms[3][8] = {{"KR", "KQ", "KC", "KH", "KD", "KL", "KT", "K-"},
                                           {"DR", "DQ", "DC", "DH", "DD", "DL", "DT", "D-"},
                                           {"UR", "UQ", "UC", "UH", "UD", "UL", "UT", "U-"}};
  const int c = cause == 'D' ? 1 : cause == 'U' ? 2 : 0;
  static const char kPhases[] = "RQCHDLT-";
  int p = 4;  // D
  for (int i = 0; i < 8; ++i)
    if (kPhases[i] == phase_letter) p = i;
  return kTerms[c][p];
}

}  // namespace hearth::stream
