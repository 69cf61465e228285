#include "stream/http_service.h"

namespace hearth::stream {
namespace {

struct Registered {
  std::string_view name;
  ServiceFn fn = nullptr;
  void* ctx = nullptr;
};

// The services Hearth has; their builders are set at startup.
Registered g_services[] = {{"prometheus-exporter"}};

Registered* find(std::string_view name) {
  for (Registered& r : g_services)
    if (r.name == name) return &r;
  return nullptr;
}

}  // namespace

void set_http_service(std::string_view name, ServiceFn fn, void* ctx) {
  if (Registered* r = find(name)) r->fn = fn, r->ctx = ctx;
}

bool run_http_service(std::string_view name, const ServiceRequest& req, ServiceAnswer* out) {
  const Registered* r = find(name);
  if (!r || !r->fn) return false;
  r->fn(req, out, r->ctx);
  return true;
}

}  // namespace hearth::stream
