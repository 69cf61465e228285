#pragma once
// Descriptors passed between processes of one host (SCM_RIGHTS) with
// sendmsg(2)/recvmsg(2): the control-message packing shared by the
// SEQPACKET channel (fd_channel.h) and by stream sockets, where the
// descriptors ride with the first byte of a send and the receiver may get
// the bytes of several sends in one read, or one send in several reads.
#include <sys/socket.h>

#include <string_view>
#include <vector>

namespace hearth::net {

// Attaches `fds` (n of them) to `mh` as one SCM_RIGHTS message, using
// `control` as its storage (resized here; it must outlive the send). No-op
// when n is 0.
void attach_rights(msghdr* mh, std::vector<char>* control, const int* fds, size_t n);

// Appends to *fds every descriptor of the SCM_RIGHTS messages a recvmsg
// stored in `mh` (they are the caller's to close).
void collect_rights(msghdr* mh, std::vector<int>* fds);

// Stream sockets (AF_UNIX SOCK_STREAM). Sends all of `data`, the descriptors
// attached to its first byte; blocks (or waits for the socket's send timeout)
// until everything is queued. Requires: data not empty (the kernel drops
// descriptors sent with no byte). Returns: false on error (errno set).
bool stream_send_rights(int sock, std::string_view data, const int* fds, size_t n);

// One recvmsg(2) of at most `cap` bytes into `buf`, with up to `max_fds`
// descriptors (close-on-exec) appended to *fds. Returns: the bytes read, 0
// at the peer's close, -1 on error (errno set). Descriptors the kernel had
// to drop (more than max_fds) make it -1 with EMSGSIZE, the others closed.
long stream_recv_rights(int sock, char* buf, size_t cap, size_t max_fds, std::vector<int>* fds);

}  // namespace hearth::net
