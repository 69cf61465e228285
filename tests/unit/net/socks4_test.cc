// The SOCKS4 handshake of a server connection (net/socks4.h) on a socket
// pair: the request's bytes, the connection staying pending until the
// proxy's whole reply, granted or denied, and the bytes after the reply left
// for the transport.
#include "net/socks4.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "core/event_loop.h"
#include "net/connection.h"
#include "net/transport.h"
#include "support/unique_fd.h"

namespace hearth::net {
namespace {

using test::UniqueFd;

class Socks4Test : public ::testing::Test {
 protected:
  Connection* make() {
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    proxy_.reset(sv[1]);
    Connection* c = Connection::create(&loop_, sv[0], Address{}, kConnConnecting | kConnOutgoing);
    EXPECT_TRUE(c->set_transport(raw_transport()));
    c->flags |= kConnSendReady;  // the socket connected (to the proxy)
    return c;
  }
  std::string read_proxy() {
    char buf[64];
    const ssize_t n = recv(proxy_.get(), buf, sizeof buf, MSG_DONTWAIT);
    return n > 0 ? std::string(buf, size_t(n)) : "";
  }
  void write_proxy(const std::string& s) {
    ASSERT_EQ(send(proxy_.get(), s.data(), s.size(), 0), ssize_t(s.size()));
  }
  EventLoop loop_;
  UniqueFd proxy_;
};

Address server() {
  std::string err;
  return *Address::parse("10.1.2.3:8080", &err);
}

TEST_F(Socks4Test, SendsConnectThenWaitsForTheWholeReply) {
  Connection* c = make();
  ASSERT_TRUE(queue_socks4_connect(c, server()));
  EXPECT_EQ(c->connect_wants(), kWakeSend);
  EXPECT_EQ(c->connect_status(), ConnectStatus::kPending);
  // VN 4, CD 1 (CONNECT), port 8080, 10.1.2.3, user id "HAProxy".
  EXPECT_EQ(read_proxy(), std::string("\x04\x01\x1f\x90\x0a\x01\x02\x03HAProxy\0", 16));
  EXPECT_EQ(c->connect_wants(), kWakeRecv);
  write_proxy(std::string("\x00\x5a\x00", 3));  // half a reply
  c->flags |= kConnRecvReady;
  EXPECT_EQ(c->connect_status(), ConnectStatus::kPending);
  EXPECT_FALSE(c->flags & kConnRecvReady);                           // read up to EAGAIN
  write_proxy(std::string("\x00\x00\x00\x00\x00", 5) + "HTTP/1.1");  // the rest, then the server
  c->flags |= kConnRecvReady;
  EXPECT_EQ(c->connect_status(), ConnectStatus::kEstablished);
  EXPECT_EQ(c->socks4, nullptr);
  EXPECT_EQ(socks4_failure(c), "");
  char rest[16];
  EXPECT_EQ(recv(c->fd(), rest, sizeof rest, MSG_DONTWAIT), 8) << "the server's bytes were eaten";
  c->destroy();
}

TEST_F(Socks4Test, DeniedRequestFailsTheConnect) {
  Connection* c = make();
  ASSERT_TRUE(queue_socks4_connect(c, server()));
  write_proxy(std::string("\x00\x5b\x00\x00\x00\x00\x00\x00", 8));  // 0x5B: rejected
  c->flags |= kConnRecvReady;
  EXPECT_EQ(c->connect_status(), ConnectStatus::kFailed);
  EXPECT_TRUE(c->flags & kConnError);
  EXPECT_EQ(socks4_failure(c), "SOCKS4 Proxy deny the request");
  c->destroy();
}

TEST_F(Socks4Test, ProxyHangingUpIsAReadError) {
  Connection* c = make();
  ASSERT_TRUE(queue_socks4_connect(c, server()));
  EXPECT_EQ(c->connect_status(), ConnectStatus::kPending);  // the request is out
  EXPECT_EQ(read_proxy().size(), 16u);
  write_proxy(std::string("\x00\x5a", 2));
  proxy_.reset(-1);
  c->flags |= kConnRecvReady;
  EXPECT_EQ(c->connect_status(), ConnectStatus::kFailed);
  EXPECT_EQ(socks4_failure(c), "SOCKS4 Proxy read error during handshake");
  c->destroy();
}

TEST_F(Socks4Test, OnlyIpv4Destinations) {
  Connection* c = make();
  std::string err;
  EXPECT_FALSE(queue_socks4_connect(c, *Address::parse("[::1]:80", &err)));
  EXPECT_EQ(c->socks4, nullptr);
  c->destroy();
}

}  // namespace
}  // namespace hearth::net
