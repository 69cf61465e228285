#include "stream/ssl_hello_fetch.h"

#include <cstdio>

#include "net/hello_capture.h"

namespace hearth::stream {
namespace {

using expr::FetchId;

uint16_t be16(std::string_view s, size_t i) {
  return uint16_t(uint8_t(s[i]) << 8 | uint8_t(s[i + 1]));
}

// The list of 2-byte values, without the GREASE ones when `no_grease`.
std::string_view list16(std::string_view list, bool no_grease, std::string* s) {
  if (!no_grease) return list;
  s->clear();
  for (size_t i = 0; i + 1 < list.size(); i += 2)
    if (!net::is_grease(be16(list, i))) s->append(list.substr(i, 2));
  return *s;
}

}  // namespace

bool fetch_hello(FetchId id, const expr::Arg* args, size_t nargs, SSL* ssl, std::string* s,
                 expr::Sample& out) {
  const net::HelloCapture* c = net::hello_capture(ssl);
  if (!c) return false;
  const bool no_grease = nargs > 0 && args[0].sint == 1;
  switch (id) {
    case FetchId::kSslFcCipherlistBin:
      out.set_bin(list16(c->ciphers(), no_grease, s));
      return true;
    case FetchId::kSslFcCipherlistHex: {
      std::string tmp;
      const std::string_view l = list16(c->ciphers(), no_grease, &tmp);
      s->clear();
      char b[3];
      for (unsigned char ch : l) {
        snprintf(b, sizeof b, "%02X", ch);
        s->append(b, 2);
      }
      out.set_str(*s);
      return true;
    }
    case FetchId::kSslFcCipherlistStr: {
      std::string tmp;
      const std::string_view l = list16(c->ciphers(), no_grease, &tmp);
      s->clear();
      for (size_t i = 0; i + 1 < l.size(); i += 2) {
        if (!s->empty()) s->push_back(',');
        const SSL_CIPHER* ci = SSL_CIPHER_find(ssl, reinterpret_cast<const unsigned char*>(&l[i]));
        const char* name = ci ? SSL_CIPHER_get_name(ci) : nullptr;
        if (name && std::string_view(name) != "(NONE)") {
          s->append(name);
        } else {
          char b[20];
          snprintf(b, sizeof b, "UNKNOWN(%04x)", be16(l, i));
          s->append(b);
        }
      }
      out.set_str(*s);
      return true;
    }
    case FetchId::kSslFcCipherlistXxh:
      out.set_sint(int64_t(c->ciphers_xxh64));
      return true;
    case FetchId::kSslFcExtlistBin:
      out.set_bin(list16(c->extensions(), no_grease, s));
      return true;
    case FetchId::kSslFcEclistBin:
      out.set_bin(list16(c->groups(), no_grease, s));
      return true;
    case FetchId::kSslFcEcformatsBin:
      s->assign(c->formats());
      out.set_bin(*s);
      return true;
    case FetchId::kSslFcProtocolHelloId:
      out.set_sint(c->version);
      return true;
    default:
      return false;
  }
}

}  // namespace hearth::stream
