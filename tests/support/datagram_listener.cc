#include "support/datagram_listener.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace hearth::test {

DatagramListener::DatagramListener() {
  fd_.reset(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (!fd_.valid() || bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    fd_.reset();
    return;
  }
  port_ = ntohs(a.sin_port);
}

DatagramListener::DatagramListener(const std::string& path, int rcvbuf) {
  fd_.reset(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (!fd_.valid() || path.size() >= sizeof a.sun_path) {
    fd_.reset();
    return;
  }
  memcpy(a.sun_path, path.data(), path.size());
  unlink(path.c_str());
  if (rcvbuf > 0) setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fd_.reset();
}

std::optional<std::string> DatagramListener::next(std::chrono::milliseconds timeout) {
  pollfd p{fd_.get(), POLLIN, 0};
  if (!fd_.valid() || poll(&p, 1, int(timeout.count())) != 1) return std::nullopt;
  std::string buf(70000, '\0');
  const ssize_t n = recv(fd_.get(), buf.data(), buf.size(), 0);
  if (n < 0) return std::nullopt;
  buf.resize(size_t(n));
  return buf;
}

}  // namespace hearth::test
