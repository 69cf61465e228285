// The runtime API's command line at operator level, on any input: a line is
// split into words and dispatched (show activity, threads, fd NUM, schema,
// info and stat with their options, and every other command): it must never
// crash, and every answer ends with a line break, as the stats socket needs.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "admin/runtime_api.h"
#include "backend/server.h"
#include "core/event_loop.h"
#include "net/address.h"

namespace {

struct Fixture {
  hearth::EventLoop loop;
  hearth::backend::Backend be{"app", hearth::backend::LbKind::kRoundRobin, 2};
  hearth::stream::Frontend fe;
  std::unique_ptr<hearth::admin::RuntimeApi> api;

  Fixture() {
    for (const char* name : {"s1", "s2"}) {
      auto s = std::make_unique<hearth::backend::Server>();
      s->name = name;
      std::string err;
      s->set_address(*hearth::net::Address::parse("127.0.0.1:9", &err));
      s->make_pools(1);
      be.add_server(std::move(s));
    }
    be.finalize();
    fe.name = "public";
    fe.default_backend = &be;
    api = std::make_unique<hearth::admin::RuntimeApi>(
        std::vector<hearth::backend::Backend*>{&be}, std::vector<hearth::stream::Frontend*>{&fe}, 1,
        [this](const std::function<void(int)>& fn) {
          loop.make_current();
          fn(0);
        });
    loop.run_once(0);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* f = new Fixture();
  std::string line(reinterpret_cast<const char*>(data), size);
  // One command line: the socket splits at line breaks before this.
  if (line.find('\n') != std::string::npos) line.erase(line.find('\n'));
  const std::string out = f->api->execute(line, /*admin=*/false);
  if (out.empty() || out.back() != '\n') __builtin_trap();
  return 0;
}
