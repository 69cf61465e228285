#include "net/scm_rights.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hearth::net {

void attach_rights(msghdr* mh, std::vector<char>* control, const int* fds, size_t n) {
  if (n == 0) return;
  control->assign(CMSG_SPACE(sizeof(int) * n), 0);
  mh->msg_control = control->data();
  mh->msg_controllen = control->size();
  cmsghdr* c = CMSG_FIRSTHDR(mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int) * n);
  std::memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
}

void collect_rights(msghdr* mh, std::vector<int>* fds) {
  for (cmsghdr* c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const size_t at = fds->size();
    fds->resize(at + k);
    std::memcpy(fds->data() + at, CMSG_DATA(c), k * sizeof(int));
  }
}

bool stream_send_rights(int sock, std::string_view data, const int* fds, size_t n) {
  if (data.empty()) {
    errno = EINVAL;
    return false;
  }
  std::vector<char> control;
  size_t off = 0;
  while (off < data.size()) {
    iovec iov{const_cast<char*>(data.data() + off), data.size() - off};
    msghdr mh{};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    if (off == 0) attach_rights(&mh, &control, fds, n);
    const ssize_t k = sendmsg(sock, &mh, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    off += size_t(k);
  }
  return true;
}

long stream_recv_rights(int sock, char* buf, size_t cap, size_t max_fds, std::vector<int>* fds) {
  iovec iov{buf, cap};
  std::vector<char> control(CMSG_SPACE(sizeof(int) * max_fds));
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = control.data();
  mh.msg_controllen = control.size();
  ssize_t k;
  do k = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
  while (k < 0 && errno == EINTR);
  if (k < 0) return -1;
  const size_t before = fds->size();
  collect_rights(&mh, fds);
  if (mh.msg_flags & MSG_CTRUNC) {
    for (size_t i = before; i < fds->size(); ++i) close((*fds)[i]);
    fds->resize(before);
    errno = EMSGSIZE;
    return -1;
  }
  return long(k);
}

}  // namespace hearth::net
