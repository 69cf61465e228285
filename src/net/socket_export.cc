#include "net/socket_export.h"

namespace hearth::net {

void SocketExport::publish(std::vector<ExportedSocket> socks) {
  std::lock_guard<std::mutex> g(mu_);
  socks_ = std::move(socks);
}

void SocketExport::withdraw() {
  std::lock_guard<std::mutex> g(mu_);
  socks_.clear();
}

bool SocketExport::send_to(int sock, std::string* err) const {
  std::lock_guard<std::mutex> g(mu_);
  return getsocks_send(sock, socks_, err);
}

}  // namespace hearth::net
