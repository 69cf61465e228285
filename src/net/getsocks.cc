#include "net/getsocks.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "net/scm_rights.h"

namespace hearth::net {
namespace {

std::string errno_text(const char* what) { return std::string(what) + ": " + strerror(errno); }

void append_record(const ExportedSocket& s, std::string* out) {
  for (const std::string* name : {&s.ns, &s.iface}) {
    const size_t n = name->size() > 255 ? 255 : name->size();
    out->push_back(char(uint8_t(n)));
    out->append(*name, 0, n);
  }
  out->append(4, '\0');
}

bool recv_exact(int sock, void* buf, size_t n) {
  char* p = static_cast<char*>(buf);
  while (n > 0) {
    const ssize_t k = recv(sock, p, n, MSG_WAITALL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= size_t(k);
  }
  return true;
}

int connect_unix(const std::string& path, int timeout_ms, std::string* err) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) return *err = "socket path too long: " + path, -1;
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return *err = errno_text("socket"), -1;
  timeval tv{time_t(timeout_ms / 1000), suseconds_t(timeout_ms % 1000 * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    *err = errno_text(("cannot connect to " + path).c_str());
    close(fd);
    return -1;
  }
  return fd;
}

// Reads batches until `count` descriptors and their records are in.
bool receive_all(int sock, size_t count, std::vector<int>* fds,
                 std::vector<ExportedSocket>* records, std::string* err) {
  std::string bytes;
  std::vector<char> buf(kGetsocksBatch * (2 + 255 + 255 + 4));
  while (fds->size() < count || !getsocks_parse(bytes, count, records)) {
    const long n = stream_recv_rights(sock, buf.data(), buf.size(), kGetsocksBatch, fds);
    if (n <= 0) {
      *err = n == 0 ? "the old process closed the connection after " + std::to_string(fds->size()) +
                          " of " + std::to_string(count) + " sockets"
                    : errno_text("receiving the sockets");
      return false;
    }
    bytes.append(buf.data(), size_t(n));
    // The sender waits for this after each full batch.
    const int32_t got = int32_t(fds->size());
    if (send(sock, &got, sizeof got, MSG_NOSIGNAL) < 0 && fds->size() < count)
      return *err = errno_text("acknowledging the sockets"), false;
    if (fds->size() > count)
      return *err = "the old process sent more sockets than announced", false;
  }
  return true;
}

}  // namespace

bool getsocks_parse(const std::string& bytes, size_t count, std::vector<ExportedSocket>* out) {
  out->clear();
  size_t at = 0;
  auto name = [&](std::string* s) {
    if (at >= bytes.size() || at + 1 + uint8_t(bytes[at]) > bytes.size()) return false;
    const size_t n = uint8_t(bytes[at]);
    s->assign(bytes, at + 1, n);
    at += 1 + n;
    return true;
  };
  for (size_t i = 0; i < count; ++i) {
    ExportedSocket s;
    if (!name(&s.ns) || !name(&s.iface) || at + 4 > bytes.size()) return false;
    at += 4;
    out->push_back(std::move(s));
  }
  return true;
}

bool getsocks_send(int sock, const std::vector<ExportedSocket>& socks, std::string* err) {
  const int32_t n = int32_t(socks.size());
  if (send(sock, &n, sizeof n, MSG_NOSIGNAL) != ssize_t(sizeof n))
    return *err = errno_text("sending the number of sockets"), false;
  for (size_t first = 0; first < socks.size(); first += kGetsocksBatch) {
    const size_t end = std::min(socks.size(), first + kGetsocksBatch);
    std::string records;
    std::vector<int> fds;
    for (size_t i = first; i < end; ++i) {
      append_record(socks[i], &records);
      fds.push_back(socks[i].fd);
    }
    if (!stream_send_rights(sock, records, fds.data(), fds.size()))
      return *err = errno_text("sending the sockets"), false;
    int32_t ack;
    if (end - first == kGetsocksBatch && !recv_exact(sock, &ack, sizeof ack))
      return *err = "no acknowledgement from the new process", false;
  }
  return true;
}

bool getsocks_fetch(const std::string& path, int timeout_ms, AdoptedSockets* out,
                    std::string* err) {
  const int sock = connect_unix(path, timeout_ms, err);
  if (sock < 0) return false;
  static const char kAsk[] = "_getsocks\n";
  int32_t count = -1;
  std::vector<int> fds;
  std::vector<ExportedSocket> records;
  bool ok = false;
  if (send(sock, kAsk, sizeof kAsk - 1, MSG_NOSIGNAL) != ssize_t(sizeof kAsk - 1)) {
    *err = errno_text(("cannot ask " + path + " for its sockets").c_str());
  } else if (!recv_exact(sock, &count, sizeof count)) {
    *err = path + " sent no sockets (is it a stats socket with 'expose-fd listeners'?)";
  } else if (count < 0 || count > 1000000) {
    *err = path + " announced " + std::to_string(count) + " sockets: not a _getsocks answer";
  } else {
    ok = receive_all(sock, size_t(count), &fds, &records, err);
  }
  close(sock);
  if (!ok) {
    for (int fd : fds) close(fd);
    return false;
  }
  for (size_t i = 0; i < fds.size(); ++i)
    out->add(fds[i], std::move(records[i].ns), std::move(records[i].iface));
  return true;
}

}  // namespace hearth::net
