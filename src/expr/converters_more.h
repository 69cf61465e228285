#pragma once
// Internal to the converter files (converter.cc, converters_*.cc): the
// catalogs find_more_converter() chains, and helpers they share.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "expr/converter.h"

namespace hearth::expr {

class JsonPath;

// Hashes and digests: sha1, sha2, digest, hmac, crc32, crc32c, djb2, sdbm,
// wt6 (converters_hash.cc). Returns: nullptr if `name` is none of them.
const ConvDef* find_hash_converter(std::string_view name);
// Encodings: hex2i, be2dec, be2hex, ub64enc, ub64dec, url_enc, json
// (converters_text.cc). Returns: nullptr if `name` is none of them.
const ConvDef* find_text_converter(std::string_view name);
// Dates: utime, ltime, http_date (converters_time.cc).
const ConvDef* find_time_converter(std::string_view name);
// FIX messages: fix_is_valid, fix_tag_value (converters_fix.cc).
const ConvDef* find_fix_converter(std::string_view name);
// MQTT packets: mqtt_is_valid, mqtt_field_value (converters_mqtt.cc).
const ConvDef* find_mqtt_converter(std::string_view name);
// json_query (converters_json.cc).
const ConvDef* find_json_converter(std::string_view name);

// Makes the kStr argument `a` a variable (kVar) if its text names one, as
// HAProxy's vars_check_arg(). Returns: false with *err if it does not.
bool to_var_arg(Arg& a, std::string* err);
// The variable of the kVar argument `a`, cast to `to`. Returns: false if its
// scope has no variables here, it is not set, or it does not cast.
bool var_arg(const Arg& a, FetchContext& ctx, SmpType to, Sample* out);
// HAProxy's read_int64(): an optional sign then digits, saturating; "" is 0.
// Returns: false if anything else follows.
bool read_int64(std::string_view s, int64_t* out);

// HAProxy's base64dec(): the length is a multiple of 4; in each group of 4,
// '=' may pad from the second character on ("YQ==YQ==" is "aa"). Returns: the
// number of bytes written to `out` (at most `cap`), or -1 if `in` is invalid
// or does not fit.
long base64_decode(std::string_view in, char* out, size_t cap);
// HAProxy's base64urldec(): no padding needed (a length of 2 or 3 modulo 4
// is padded), 1 modulo 4 fails; '=' reads as 63. Returns: as base64_decode.
long base64url_decode(std::string_view in, char* out, size_t cap);
// An argument that is base64 text or a variable holding some (hmac's key,
// aes_gcm_dec's nonce, key and tag). At load: makes it a variable if it names
// one, else decodes it in place (false if it is not base64). When run:
// *out views the bytes (a literal's, or the variable's decoded into a
// scratch chunk); false if the variable is unset or not base64.
bool check_base64_arg(Arg& a);
bool base64_arg(const Arg& a, FetchContext& ctx, std::string_view* out);
// The JSON value `path` names in `json`, as json_query gives it (`as_int`:
// its "int" output type). Returns: false if there is none.
bool json_query_sample(std::string_view json, const JsonPath& path, bool as_int, Sample& smp);
// jwt_header_query, jwt_payload_query, jwt_verify (converters_jwt.cc).
const ConvDef* find_jwt_converter(std::string_view name);
// aes_gcm_dec (converters_aead.cc).
const ConvDef* find_aead_converter(std::string_view name);
// capture-req, capture-res, debug (converters_stream.cc).
const ConvDef* find_stream_converter(std::string_view name);
// language (converter_language.cc).
const ConvDef* find_language_converter(std::string_view name);
// protobuf, ungrpc (converters_protobuf.cc).
const ConvDef* find_protobuf_converter(std::string_view name);

}  // namespace hearth::expr
