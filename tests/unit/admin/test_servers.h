#pragma once
// For runtime API and stats page tests: a backend's servers, never connected
// to (127.0.0.1:9), each with one thread's pools.
#include <initializer_list>
#include <memory>
#include <string>

#include "backend/backend.h"
#include "backend/server.h"
#include "net/address.h"

namespace hearth::admin::testing {

// Adds one server per name to `be`, then finalizes it.
inline void add_idle_servers(backend::Backend& be, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto s = std::make_unique<backend::Server>();
    s->name = name;
    std::string err;
    s->set_address(*net::Address::parse("127.0.0.1:9", &err));
    s->make_pools(1);
    be.add_server(std::move(s));
  }
  be.finalize();
}

}  // namespace hearth::admin::testing
