#pragma once
// Reading a TLS ClientHello from the first bytes a client sent, without
// terminating TLS (req.ssl_hello_type, req.ssl_ver, req.ssl_sni,
// req.ssl_alpn, req.ssl_ec_ext, req.ssl_st_ext, res.ssl_hello_type). Pure code:
// every read is bounded by the bytes given and by the lengths the record
// declares, so truncated or hostile input only ever yields kIncomplete or
// kInvalid.
#include <cstdint>
#include <string_view>

namespace hearth::expr {

enum class HelloStatus : uint8_t {
  kOk,          // the value was found
  kIncomplete,  // more bytes could still make it readable
  kInvalid,     // these bytes are not what the fetch reads (no sample, ever)
};

// The handshake message type of the first record (1: ClientHello), once the
// whole first record is there.
HelloStatus ssl_hello_type(std::string_view data, int* type);

// The record layer's version as major * 65536 + minor (TLS 1.0 hello:
// 0x30001), for a complete handshake record carrying a ClientHello.
HelloStatus ssl_record_version(std::string_view data, uint32_t* version);

// The host name of the server_name extension of the ClientHello in the
// first record. kInvalid when the hello has no such name.
HelloStatus ssl_hello_sni(std::string_view data, std::string_view* name);

// The body of extension `type` of the ClientHello in the first record:
// kOk with *found false when the hello is complete and has no such extension.
HelloStatus ssl_hello_extension(std::string_view data, uint16_t type, bool* found,
                                std::string_view* body);

// The first protocol of the ClientHello's ALPN extension (as HAProxy gives
// it). kInvalid when the hello has no such extension or an empty list.
HelloStatus ssl_hello_alpn(std::string_view data, std::string_view* protocol);

}  // namespace hearth::expr
