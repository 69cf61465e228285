#pragma once
// Every "bind ... ssl" line of the process, as the runtime API sees it: the
// settings the line was built from and the context its new handshakes use.
// A line's context can be rebuilt at runtime (a certificate replaced through
// the CLI, a crt-list edited) and published at once: handshakes that already
// started keep the context they began with (each connection holds a
// reference), new ones take the new one. Certificates replaced at runtime
// live in the store below, which loading reads before the file system; a
// reload reads the files again.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

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

class TlsBindRegistry {
 public:
  static TlsBindRegistry& instance();
  void add(TlsBindState* b);
  void remove(TlsBindState* b);
  // Returns: the bind lines in the order they were built.
  std::vector<TlsBindState*> all() const;

  // The PEM text that replaced certificate `path` at runtime, if any.
  std::optional<std::string> replaced_pem(const std::string& path) const;
  // Sets (or, with nullopt, forgets) the PEM text that replaces `path`.
  void set_replaced_pem(const std::string& path, std::optional<std::string> pem);

 private:
  mutable std::mutex mu_;
  std::vector<TlsBindState*> binds_;
  std::map<std::string, std::string> pems_;
};

}  // namespace hearth::net
