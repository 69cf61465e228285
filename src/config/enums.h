#pragma once
// The enumerations shared by the configuration model and the runtime. Each is
// defined once, here; the runtime uses these types directly, so no value is
// ever translated between two copies of the same list.
#include <cstdint>

namespace hearth::config {

// "mode tcp|http".
enum class Mode { kTcp, kHttp };

// A runtime API connection's rights ("level" of a stats socket or of the
// master CLI): user reads, operator also reads sessions, errors, the
// environment and variables and clears counters, admin changes everything.
enum class CliLevel : uint8_t { kUser, kOperator, kAdmin };
// option splice-request / splice-response / splice-auto, as bits: a stream
// (TCP, or an HTTP payload) splices a direction when its frontend or its
// backend asks.
enum SpliceBits : uint8_t { kSpliceRequest = 1, kSpliceResponse = 2, kSpliceAuto = 4 };
// "balance ALGORITHM". The hashing ones (kSource and those after kFirst) map
// a key to a server through "hash-type".
enum class BalanceAlgo {
  kRoundRobin,
  kStaticRr,
  kLeastConn,
  kSource,
  kRandom,
  kFirst,
  kUri,        // balance uri
  kUrlParam,   // balance url_param
  kHdr,        // balance hdr(NAME)
  kHash,       // balance hash EXPR
  kRdpCookie,  // balance rdp-cookie[(NAME)]
};
// Returns: true if `a` chooses a server by hashing a key (hash-type applies).
constexpr bool is_hashing(BalanceAlgo a) {
  return a == BalanceAlgo::kSource || a >= BalanceAlgo::kUri;
}
// Returns: true if `a` hashes a part of the HTTP request (needs mode http).
constexpr bool is_layer7(BalanceAlgo a) {
  return a == BalanceAlgo::kUri || a == BalanceAlgo::kUrlParam || a == BalanceAlgo::kHdr;
}
// "hash-type METHOD [FUNCTION [avalanche]]": how a key's hash designates a
// server (a static map of the usable servers, or a consistent ring), and
// which function hashes the key.
enum class HashMethod : uint8_t { kMapBased, kConsistent };
enum class HashFunc : uint8_t { kSdbm, kDjb2, kWt6, kCrc32 };
// "http-reuse never|safe|aggressive|always".
enum class HttpReuse { kNever, kSafe, kAggressive, kAlways };
// option http-keep-alive (default) / http-server-close / httpclose, ordered
// from the least to the most closing: where a frontend and its backend
// disagree, the larger value wins.
enum class HttpConnMode { kKeepAlive, kServerClose, kClose };
// "option tcplog" / "option httplog": which access-log line a proxy emits.
// kDefault (none): HAProxy's "Connect from" line at accept; kHttpClf: option
// httplog clf; kHttps: option httpslog; kCustom: log-format.
enum class LogFormat { kDefault, kTcp, kHttp, kHttpClf, kHttps, kCustom };
// "option http-restrict-req-hdr-names preserve|delete|reject": what becomes
// of a request field whose name holds a character other than a letter, a
// digit or '-' (checked after the proxy's http-request rules).
enum class HdrNamePolicy : uint8_t { kPreserve, kDelete, kReject };
// "init-state": where a checked server starts (and restarts after maintenance).
enum class InitState {
  kFullyUp,   // UP; `fall` failed checks take it DOWN
  kUp,        // UP; the first failed check takes it DOWN (HAProxy's default)
  kDown,      // DOWN; the first passed check brings it UP
  kFullyDown  // DOWN; `rise` passed checks bring it UP
};

// "observe": what a server's traffic tells its health (passive health checks).
enum class ObserveMode : uint8_t {
  kNone,    // nothing (the default)
  kLayer4,  // connection attempts: established or failed
  kLayer7,  // HTTP responses (and failed connections); HTTP proxies only
};
// "on-error": what `error-limit` consecutive errors observed do.
enum class OnError : uint8_t {
  kFastinter,    // only bring the next check forward to fastinter
  kFailCheck,    // count as one failed check (the default)
  kSuddenDeath,  // leave the server one failed check away from DOWN, then fail a check
  kMarkDown,     // take the server DOWN at once
};

// Outcome of one health check, named as HAProxy's check_status values (also
// what "tcp-check expect ... ok-status|error-status|tout-status" names).
enum class CheckStatus : uint8_t {
  kNone,       // no check configured
  kInit,       // no check has completed yet
  kL4Ok,       // TCP connection established (plain TCP check)
  kL4Timeout,  // no connection within the connect timeout
  kL4Con,      // connection refused, reset or unreachable
  kL6Ok,       // TLS handshake completed (plain TCP check over TLS)
  kL6Timeout,  // no TLS handshake in time
  kL6Rsp,      // the TLS handshake failed, or an invalid TLS answer
  kL7Ok,       // the check's rules passed
  kL7OkCd,     // passed conditionally (disable-on-404: the server is stopping)
  kL7Timeout,  // connected, but no complete answer in time
  kL7Rsp,      // no valid answer (garbage, early close)
  kL7Sts,      // an answer with an unexpected status
  kSockErr,    // local failure: no socket, no memory, send error
  kChecked,    // an agent replied without a health state ("No status change")
  kHana,       // errors observed in the server's traffic ("observe", "on-error")
  kProcErr,    // an external check's command failed (exit code not 0, or killed)
  kProcTout,   // an external check's command did not end in time (it is killed)
  kProcOk,     // an external check's command exited with 0
};

// "retry-on KEYWORD...": the conditions under which a request is retried, as
// a bit mask. 0 is "none".
enum RetryOn : uint32_t {
  kRetryConnFailure = 1u << 0,
  kRetryEmptyResponse = 1u << 1,
  kRetryJunkResponse = 1u << 2,
  kRetryResponseTimeout = 1u << 3,
  kRetry404 = 1u << 4,
  kRetry408 = 1u << 5,
  kRetry425 = 1u << 6,
  kRetry500 = 1u << 7,
  kRetry501 = 1u << 8,
  kRetry502 = 1u << 9,
  kRetry503 = 1u << 10,
  kRetry504 = 1u << 11,
  kRetryAllRetryable = kRetryConnFailure | kRetryEmptyResponse | kRetryJunkResponse |
                       kRetryResponseTimeout | kRetry500 | kRetry502 | kRetry503 | kRetry504,
};

}  // namespace hearth::config
