#pragma once
// Sample fetches (HAProxy manual 7.3.2 to 7.3.6): the catalog of names,
// argument types, output types and where each can run. The catalog is pure
// data, so the configuration is checked without the runtime; fetches that
// read a stream are evaluated by the stream layer through FetchContext,
// the few that read nothing but their arguments here.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expr/arg.h"
#include "expr/sample.h"
#include "expr/stick_fetch.h"

namespace hearth::expr {

struct LogRecord;

enum class FetchId : uint16_t {
  // Constants and the environment: evaluated in expr.
  kAlwaysTrue,
  kAlwaysFalse,
  kInt,
  kStr,
  kBool,
  kBin,
  kIpv4,  // ipv4(ADDR), a constant
  kIpv6,  // ipv6(ADDR)
  kEnv,
  kUuid,      // uuid([4]): a random (version 4) UUID
  kDate,      // date([offset[,unit]]): the current time since the epoch
  kDateUs,    // date_us: the microseconds of the current second
  kHostname,  // hostname: the system's
  kProc,      // proc, nbproc: always 1 (HAProxy 2.6 has one process)
  kMeth,      // meth(METHOD): a constant method
  kRand,
  kVar,  // read through FetchContext::vars()
  // Layer 4 and internal state.
  kSrc,
  kSrcPort,
  kDst,
  kDstPort,
  kFeName,
  kSoName,
  kSoId,
  kBeName,
  kNbsrv,
  kFeId,
  kBeId,
  kSrvIsUp,           // srv_is_up([backend/]server)
  kConnslots,         // connslots([backend])
  kBeConn,            // be_conn([backend])
  kQueue,             // queue([backend])
  kAvgQueue,          // avg_queue([backend])
  kBeConnFree,        // be_conn_free([backend])
  kBeServerTimeout,   // be_server_timeout: the backend's timeout server (ms)
  kBeTunnelTimeout,   // be_tunnel_timeout
  kCurServerTimeout,  // cur_server_timeout: the stream's, after set-timeout
  kCurTunnelTimeout,  // cur_tunnel_timeout
  kFeClientTimeout,   // fe_client_timeout: the frontend's timeout client (ms)
  kLastRuleFile,      // last_rule_file: where the last final rule was written
  kLastRuleLine,      // last_rule_line
  // The client connection's TLS session (stream/ssl_fetch.cc): first to last.
  kSslFc,
  kSslFcSni,
  kSslFcProtocol,
  kSslFcCipher,
  kSslFcAlpn,
  kSslFcSessionReused,
  kSslFcUseKeysize,
  kSslCUsed,
  kSslCVerify,
  kSslCSDn,  // ssl_c_s_dn([entry[,occ[,format]]])
  kSslCIDn,  // ssl_c_i_dn([entry[,occ[,format]]])
  kSslCSerial,
  kSslCNotafter,
  kSslCSha1,
  kSslCDer,
  kSslCChainDer,
  kSslCKeyAlg,
  kSslCNotbefore,
  kSslCSigAlg,
  kSslCVersion,
  kSslFDer,  // ssl_f_*: the certificate the frontend presented
  kSslFIDn,
  kSslFKeyAlg,
  kSslFNotafter,
  kSslFNotbefore,
  kSslFSDn,
  kSslFSerial,
  kSslFSha1,
  kSslFSigAlg,
  kSslFVersion,
  kSslFcCipherlistBin,  // the ClientHello capture (tune.ssl.capture-buffer-size)
  kSslFcCipherlistHex,
  kSslFcCipherlistStr,
  kSslFcCipherlistXxh,
  kSslFcExtlistBin,
  kSslFcEclistBin,
  kSslFcEcformatsBin,
  kSslCErr,               // ssl_c_err: the first verification error at depth 0
  kSslCCaErr,             // ssl_c_ca_err: ... above depth 0
  kSslCCaErrDepth,        // ssl_c_ca_err_depth: where
  kSslFcErr,              // ssl_fc_err: the first OpenSSL error of the session
  kSslFcErrStr,           // ssl_fc_err_str: its reason
  kFcErr,                 // fc_err: HAProxy's connection error number (TLS or not)
  kFcErrStr,              // fc_err_str: its message
  kSslFcProtocolHelloId,  // last of the client connection's
  // The server connection's TLS session (stream/ssl_fetch.cc): first to last.
  kSslBc,
  kSslBcProtocol,
  kSslBcCipher,
  kSslBcAlpn,
  kSslBcSessionReused,
  kSslBcUseKeysize,
  kSslBcAlgKeysize,
  kSslSDer,  // ssl_s_*: the server's certificate
  kSslSChainDer,
  kSslSKeyAlg,
  kSslSNotafter,
  kSslSNotbefore,
  kSslSIDn,
  kSslSSDn,
  kSslSSerial,
  kSslSSha1,
  kSslSSigAlg,
  kSslSVersion,  // last of the server connection's
  // Layer 7, kept for the whole transaction (request and response rules).
  kCaptureReqMethod,
  kCaptureReqUri,
  kCaptureReqVer,
  kCaptureResVer,
  kCaptureReqHdr,  // capture.req.hdr(N): capture slot N of the request
  kCaptureResHdr,  // capture.res.hdr(N)
  kUniqueId,       // unique-id: the transaction's unique-id-format
  kHttpFirstReq,   // http_first_req: the connection's first request
  // Layer 7, request.
  kMethod,
  kPath,
  kPathq,
  kUrl,
  kQuery,
  kBase,
  kUrlParam,
  kReqHdr,
  kReqFhdr,
  kReqHdrCnt,
  kReqFhdrCnt,
  kReqHdrVal,
  kReqHdrIp,
  kReqVer,
  kReqCook,
  kReqCookCnt,
  kReqCookVal,
  kReqProtoHttp,
  kHttpAuth,       // http_auth(USERLIST): basic credentials valid there
  kHttpAuthGroup,  // http_auth_group(USERLIST): the user, when valid there
  kHttpAuthType,   // http_auth_type: "Basic" or "Bearer"
  kHttpAuthUser,   // http_auth_user
  kHttpAuthPass,   // http_auth_pass
  kReqBody,        // req.body: the payload received so far (de-chunked)
  kReqBodyLen,     // req.body_len: its length
  kReqBodySize,    // req.body_size: the announced length, else req.body_len
  kReqBodyParam,   // req.body_param([NAME]): a parameter of a url-encoded body
  // Layer 7, response.
  kStatus,
  kSrvId,
  kSrvName,
  kResCook,
  kResCookCnt,
  kResCookVal,
  kResHdr,
  kResFhdr,
  kResHdrCnt,
  kResVer,
  kResBody,      // res.body: the response payload the stream holds (de-chunked)
  kResBodyLen,   // res.body_len: its length
  kResBodySize,  // res.body_size: the announced length, else res.body_len
  // More of 7.3.2 to 7.3.6, evaluated by stream/sample_fetch_more.cc.
  kFcSrc,  // fc_*: the client connection itself (set-src and the like aside)
  kFcSrcPort,
  kFcDst,
  kFcDstPort,
  kFcHttpMajor,
  kFcRcvdProxy,    // fc_rcvd_proxy: the connection began with a PROXY header
  kFcPpAuthority,  // fc_pp_authority, fc_pp_unique_id: its v2 TLVs
  kFcPpUniqueId,
  kFcRtt,  // fc_rtt([unit]) to fc_reordering: the kernel's TCP_INFO
  kFcRttvar,
  kFcUnacked,
  kFcSacked,
  kFcRetrans,
  kFcFackets,
  kFcLost,
  kFcReordering,
  kThread,
  kSrvConn,  // srv_*([backend/]server)
  kSrvConnFree,
  kSrvIweight,
  kSrvUweight,
  kSrvWeight,
  kSrvQueue,
  kFeConn,  // fe_conn([frontend])
  kFeDefbe,
  kReqHdrs,  // req.hdrs: the header block as text
  kReqHdrsBin,
  kReqHdrNames,
  kBaseq,
  kBase32,
  kBase32Src,
  kUrl32,
  kUrl32Src,
  kUrlIp,
  kUrlPort,
  kUrlpVal,
  kHttpAuthBearer,
  kResHdrs,
  kResHdrsBin,
  kResHdrNames,
  kResFhdrCnt,
  kResHdrIp,
  kResHdrVal,
  // The connections' sides and the process (stream/sample_fetch_conn.cc).
  kBcSrc,  // bc_*: the server connection, once there is one
  kBcSrcPort,
  kBcDst,
  kBcDstPort,
  kBcHttpMajor,
  kDstConn,     // dst_conn: connections on the bind line, this one included
  kDstIsLocal,  // dst_is_local, src_is_local: the address is the machine's
  kSrcIsLocal,
  kFcDstIsLocal,  // fc_*_is_local: the socket's own addresses
  kFcSrcIsLocal,
  kStopping,
  kFeReqRate,  // fe_req_rate([frontend]): HTTP requests per second (sample_fetch_conn.cc)
  kFeSessRate,
  kBeSessRate,   // be_sess_rate([backend])
  kSrvSessRate,  // srv_sess_rate([backend/]server)
  // The stream's own state (stream/sample_fetch_stream.cc).
  kHdrDir,     // hdr([name[,occ]]): req.hdr in a request rule, res.hdr in a response one
  kCookieDir,  // cookie([name]): req.cook in a request rule, res.cook in a response one
  kPrioClass,  // prio_class: set-priority-class's value
  kPrioOffset,
  kCpuCalls,  // cpu_calls .. lat_ns_tot: the stream's task profile (profiling.tasks)
  kCpuNsAvg,
  kCpuNsTot,
  kLatNsAvg,
  kLatNsTot,
  kBcErr,  // bc_err: HAProxy's error number of the server connection
  kBcErrStr,
  kSslBcErr,  // ssl_bc_err: the first OpenSSL error of its TLS session
  kSslBcErrStr,
  // Layer 6 (HAProxy 7.3.5): the bytes buffered in either direction, read by
  // tcp-request content and tcp-response content rules.
  kReqLen,
  kReqPayload,
  kReqPayloadLv,
  kReqSslHelloType,
  kReqSslVer,
  kReqSslSni,
  kResLen,
  kResPayload,
  kResPayloadLv,
  kWaitEnd,  // true once the inspection is final (WAIT_END)
  kPayload,  // payload, payload_lv: req.* in a request rule, res.* in a response one
  kPayloadLv,
  kReqSslAlpn,
  kReqSslEcExt,
  kReqSslStExt,
  kResSslHelloType,
  kReqRdpCookie,
  kReqRdpCookieCnt,
  kDistccBody,  // distcc_body(TOKEN[,OCC]), distcc_param: either direction
  kDistccParam,
  // Stick tables (stick_fetch.h): sc_*, scN_*, src_*, table_avl, table_cnt;
  // FetchDef::sub tells which.
  kStick,
};

// Where a fetch has what it reads.
enum FetchUse : uint8_t {
  kUseConn = 1 << 0,     // the connection: any rule
  kUseReq = 1 << 1,      // an HTTP request head: http-request and later
  kUseRes = 1 << 2,      // an HTTP response head: http-response
  kUseL6Req = 1 << 3,    // the request bytes buffered: tcp-request content
  kUseL6Res = 1 << 4,    // the response bytes buffered: tcp-response content
  kUseResBody = 1 << 6,  // the response payload held: http-response, http-after-response
  kUseAny = kUseConn | kUseReq | kUseRes | kUseL6Req | kUseL6Res | kUseResBody,
  kUseCfg = 1 << 5,  // nothing but the process: the global section's set-var
  kUseAnyCfg = kUseAny | kUseCfg,
  // Access-log formats: the payload is gone by then (HAProxy refuses res.body there).
  kUseLog = kUseAny & ~kUseResBody,
};

struct FetchDef {
  std::string_view name;
  FetchId id;
  ArgSpec args;
  SmpType out;
  uint8_t use;
  // The ACL derivatives HAProxy defines ("beg dir dom end len reg sub"), and
  // the match an ACL uses for the plain name when not the output type's own.
  std::string_view derivatives;
  std::string_view acl_match;
  // The occurrence argument (hdr(name,occ)): which one, 0 = not given.
  int occ_arg = -1;
  // Optional check of the typed arguments at load time (may rework them).
  bool (*check)(std::vector<Arg>& args, std::string* err) = nullptr;
  // A family's member (kStick: stick_fetch.h's operation and source).
  uint16_t sub = 0;
  // The stick table argument at this position, when not given, is the
  // table of the proxy the expression is written in (src_*, table_cnt).
  int8_t default_table_at = -1;
};

// Returns: the fetch called `name` (aliases included), or nullptr.
const FetchDef* find_fetch(std::string_view name);

// Where a stream keeps its iteration over a multi-valued fetch (hdr() in an
// ACL tries every value): `all` asks for every value, one per call; `more`
// says another follows.
struct FetchIter {
  bool all = false;
  bool more = false;
  int next = 0;
};

// What the stream layer implements: fetches from a connection and its
// messages.
class FetchContext {
 public:
  virtual ~FetchContext() = default;
  // Returns: false if the sample does not exist (no such header, ...).
  virtual bool fetch(const FetchDef& def, const Arg* args, size_t nargs, FetchIter& it,
                     Sample& out) = 0;
  // The variables of `scope`, or nullptr if there are none here.
  virtual VarStore* vars(VarScope scope) {
    (void)scope;
    return nullptr;
  }
  // What the log line would say now (a rule value's %-variables such as
  // %Ts or %ID; null: no transaction here, they print "-").
  virtual const LogRecord* log_record() { return nullptr; }
  // The expressions run for an HTTP proxy: log-format strings then encode
  // the control characters of their samples (HAProxy's LOG_OPT_HTTP).
  virtual bool http_mode() const { return false; }
  // capture-req / capture-res: stores `v` in capture slot `id` of the
  // request (or response). Returns: false if there is no such slot here.
  virtual bool capture(bool response, size_t id, std::string_view v) {
    (void)response;
    (void)id;
    (void)v;
    return false;
  }
  // Answers a stick-table fetch or converter (`io` holds a converter's
  // input). Returns: false if there is no sample.
  virtual bool stick(const StickQuery& q, Sample& io) {
    (void)q;
    (void)io;
    return false;
  }
};

// Evaluates the fetches that need no stream (kAlwaysTrue .. kRand).
// Returns: false if `def` is not one of them or the sample does not exist.
bool fetch_constant(const FetchDef& def, const Arg* args, size_t nargs, Sample& out);

}  // namespace hearth::expr
