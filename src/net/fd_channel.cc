#include "net/fd_channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/scm_rights.h"

namespace hearth::net {

bool channel_pair(int fds[2], std::string* err) {
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0) return true;
  *err = std::string("socketpair: ") + strerror(errno);
  return false;
}

bool channel_send(int sock, std::string_view msg, const int* fds, size_t nfds) {
  if (msg.empty() || msg.size() > kChannelMaxMessage || nfds > kChannelMaxFds) {
    errno = msg.empty() ? EINVAL : EMSGSIZE;
    return false;
  }
  iovec iov{const_cast<char*>(msg.data()), msg.size()};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  std::vector<char> control;
  attach_rights(&mh, &control, fds, nfds);
  ssize_t n;
  do n = sendmsg(sock, &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == ssize_t(msg.size());
}

ChannelRead channel_recv(int sock, ChannelMessage* out, bool nonblock) {
  out->text.assign(kChannelMaxMessage, '\0');
  out->fds.clear();
  iovec iov{out->text.data(), out->text.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kChannelMaxFds)];
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = control;
  mh.msg_controllen = sizeof control;
  ssize_t n;
  do n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | (nonblock ? MSG_DONTWAIT : 0));
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return (errno == EAGAIN || errno == EWOULDBLOCK) ? ChannelRead::kAgain : ChannelRead::kError;
  collect_rights(&mh, &out->fds);
  // A zero-length read with no descriptors is the peer's close on SEQPACKET.
  if (n == 0 && out->fds.empty()) return ChannelRead::kClosed;
  if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
    for (int fd : out->fds) close(fd);
    out->fds.clear();
    return ChannelRead::kError;
  }
  out->text.resize(size_t(n));
  return ChannelRead::kMessage;
}

}  // namespace hearth::net
