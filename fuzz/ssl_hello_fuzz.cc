// Reads the input as the first bytes of a client connection, as
// req.ssl_hello_type, req.ssl_ver, req.ssl_sni, req.ssl_alpn and the
// extension fetches do, and checks that every
// answer stays inside the input: a name is a view of it, and a prefix of a
// readable hello is never invalid while the whole is readable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/ssl_hello.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::expr;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  int type = -1;
  uint32_t ver = 0;
  const HelloStatus t = ssl_hello_type(in, &type);
  if (t == HelloStatus::kOk) check(type >= 0 && type <= 255);
  if (ssl_record_version(in, &ver) == HelloStatus::kOk) check(t == HelloStatus::kOk && type == 1);
  std::string_view sni;
  if (ssl_hello_sni(in, &sni) == HelloStatus::kOk) {
    check(!sni.empty());
    check(sni.data() >= in.data() && sni.data() + sni.size() <= in.data() + in.size());
    // Fewer bytes never turn an answer into a definite "no".
    if (size > 0) {
      std::string_view s2;
      check(ssl_hello_sni(in.substr(0, size - 1), &s2) != HelloStatus::kInvalid);
    }
  }
  std::string_view proto, body;
  if (ssl_hello_alpn(in, &proto) == HelloStatus::kOk) {
    check(!proto.empty());
    check(proto.data() >= in.data() && proto.data() + proto.size() <= in.data() + in.size());
  }
  bool found = false;
  if (ssl_hello_extension(in, 35, &found, &body) == HelloStatus::kOk) {
    check(t == HelloStatus::kOk && type == 1);
    if (found)
      check(body.empty() ||
            (body.data() >= in.data() && body.data() + body.size() <= in.data() + in.size()));
  }
  return 0;
}
