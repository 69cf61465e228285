#include "net/tls_bind_registry.h"

#include <algorithm>

namespace hearth::net {

TlsBindState::TlsBindState(TlsBindSettings s, std::shared_ptr<TlsServerContext> ctx,
                           std::shared_ptr<TlsTicketKeys> keys, TlsBindOrigin origin)
    : settings_(std::move(s)), keys_(std::move(keys)), origin_(std::move(origin)) {
  ctx_.store(std::move(ctx));
}

std::shared_ptr<TlsServerContext> TlsBindState::prepare(const TlsBindSettings& s,
                                                        std::string* err) const {
  return TlsServerContext::build(s, keys_, err);
}

void TlsBindState::publish(std::shared_ptr<TlsServerContext> ctx, TlsBindSettings s) {
  settings_ = std::move(s);
  ctx_.store(std::move(ctx));
}

TlsBindRegistry& TlsBindRegistry::instance() {
  static TlsBindRegistry r;
  return r;
}

void TlsBindRegistry::add(TlsBindState* b) {
  std::lock_guard<std::mutex> g(mu_);
  binds_.push_back(b);
}

void TlsBindRegistry::remove(TlsBindState* b) {
  std::lock_guard<std::mutex> g(mu_);
  binds_.erase(std::remove(binds_.begin(), binds_.end(), b), binds_.end());
}

std::vector<TlsBindState*> TlsBindRegistry::all() const {
  std::lock_guard<std::mutex> g(mu_);
  return binds_;
}

void TlsBindRegistry::add_client(TlsClientState* c) {
  std::lock_guard<std::mutex> g(mu_);
  clients_.push_back(c);
}

void TlsBindRegistry::remove_client(TlsClientState* c) {
  std::lock_guard<std::mutex> g(mu_);
  clients_.erase(std::remove(clients_.begin(), clients_.end(), c), clients_.end());
}

std::vector<TlsClientState*> TlsBindRegistry::clients() const {
  std::lock_guard<std::mutex> g(mu_);
  return clients_;
}

}  // namespace hearth::net
