#include "stream/live_stream.h"

#include <sys/socket.h>

#include <cstdio>

#include "backend/backend.h"
#include "backend/server.h"
#include "net/connection.h"
#include "stream/frontend.h"
#include "stream/session.h"

namespace hearth::stream {
namespace {

List& thread_streams() {
  static thread_local List list;
  return list;
}

}  // namespace

LiveStream::LiveStream() { thread_streams().push_back(&hook_); }

LiveStream::~LiveStream() { hook_.unlink(); }

std::string describe_stream(const void* id, const net::Connection* client, const Frontend* fe,
                            const backend::Backend* be, const backend::Server* srv, int64_t age_ms,
                            const char* state) {
  char head[32];
  snprintf(head, sizeof head, "%p: ", id);
  std::string proto = "tcpv4", src = "?";
  if (client) {
    if (const Session* s = Session::of(client)) {
      const net::Address& a = s->client_addr(client);
      src = a.str();
      if (a.family() == AF_INET6) proto = "tcpv6";
      if (a.family() == AF_UNIX) proto = "unix_stream";
    }
  }
  return std::string(head) + "proto=" + proto + " src=" + src + " fe=" + fe->name +
         " be=" + (be ? be->name() : std::string("<NONE>")) +
         " srv=" + (srv ? srv->name : std::string("<none>")) +
         " ts=00 age=" + std::to_string(age_ms / 1000) + "s state=" + state;
}

void for_each_live_stream(const std::function<bool(LiveStream*)>& f) {
  bool go = true;
  thread_streams().for_each([&](ListHook* h) {
    if (!go) return;
    go = f(container_of<LiveStream, &LiveStream::hook_>(h));
  });
}

}  // namespace hearth::stream
