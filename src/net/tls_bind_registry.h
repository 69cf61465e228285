#pragma once
// Every "bind ... ssl" line of the process, as the runtime API sees it: the
// settings the line was built from and the context its new handshakes use.
// A line's context can be rebuilt at runtime (a certificate replaced through
// the CLI, a crt-list edited) and published at once: handshakes that already
// started keep the context they began with (each connection holds a
// reference), new ones take the new one. The same holds for the servers'
// TLS client sides. Certificates live in net/cert_store.h.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/tls_client_context.h"
#include "net/tls_context.h"
#include "net/tls_settings.h"
#include "net/tls_ticket_keys.h"

namespace hearth::net {

// What the runtime API needs to know of a bind line beyond its settings.
struct TlsBindOrigin {
  std::string where;  // "FILE:LINE" of the bind line, for messages
  // The settings of a crt-list line with `options` added at runtime (the
  // bind line's, with the options applied). Returns: nullopt with *err set.
  std::function<std::optional<TlsBindSettings>(const std::vector<std::string>& options,
                                               std::string* err)>
      line_settings;
};

class TlsBindState {
 public:
  // Requires: `ctx` was built from `s`; `keys` are its ticket keys (or null).
  TlsBindState(TlsBindSettings s, std::shared_ptr<TlsServerContext> ctx,
               std::shared_ptr<TlsTicketKeys> keys, TlsBindOrigin origin);
  const TlsBindOrigin& origin() const { return origin_; }

  // Returns: the context new handshakes start on. Any thread.
  std::shared_ptr<TlsServerContext> current() const { return ctx_.load(); }
  // The settings of the published context. CLI thread only.
  const TlsBindSettings& settings() const { return settings_; }
  TlsTicketKeys* ticket_keys() const { return keys_.get(); }
  // Builds a context from `s` with the line's ticket keys, without using it.
  // Returns: the context, or nullptr with *err set.
  std::shared_ptr<TlsServerContext> prepare(const TlsBindSettings& s, std::string* err) const;
  // Makes `ctx` (built from `s` by prepare) the one new handshakes use.
  void publish(std::shared_ptr<TlsServerContext> ctx, TlsBindSettings s);

 private:
  std::atomic<std::shared_ptr<TlsServerContext>> ctx_;
  TlsBindSettings settings_;
  std::shared_ptr<TlsTicketKeys> keys_;
  TlsBindOrigin origin_;
};

// The connecting side of a server line (and of its checks, or a peers
// link): its settings and the context new connections start on, replaced
// when its client certificate is committed through the runtime API.
// Connections keep the context they started with.
class TlsClientState {
 public:
  TlsClientState(TlsClientSettings s, std::shared_ptr<TlsClientContext> ctx)
      : settings_(std::move(s)) {
    ctx_.store(std::move(ctx));
  }
  std::shared_ptr<TlsClientContext> current() const { return ctx_.load(); }
  const TlsClientSettings& settings() const { return settings_; }
  void publish(std::shared_ptr<TlsClientContext> ctx) { ctx_.store(std::move(ctx)); }

 private:
  std::atomic<std::shared_ptr<TlsClientContext>> ctx_;
  const TlsClientSettings settings_;
};

class TlsBindRegistry {
 public:
  static TlsBindRegistry& instance();
  void add(TlsBindState* b);
  void remove(TlsBindState* b);
  // Returns: the bind lines in the order they were built.
  std::vector<TlsBindState*> all() const;

  void add_client(TlsClientState* c);
  void remove_client(TlsClientState* c);
  // Returns: the servers' TLS client sides, in the order they were built.
  std::vector<TlsClientState*> clients() const;

 private:
  mutable std::mutex mu_;
  std::vector<TlsBindState*> binds_;
  std::vector<TlsClientState*> clients_;
};

}  // namespace hearth::net
