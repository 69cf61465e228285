#include "expr/fetch.h"

#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <tuple>
#include <vector>

#include "expr/distcc.h"
#include "expr/server_ref.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

constexpr std::string_view kStrDerivatives = "beg dir dom end len reg sub";

struct Named {
  std::string_view name;
  FetchDef def;
};

FetchDef def(FetchId id, ArgSpec args, T out, uint8_t use, std::string_view derivatives = {},
             int occ_arg = -1) {
  FetchDef d;
  d.id = id;
  d.args = std::move(args);
  d.out = out;
  d.use = use;
  d.derivatives = derivatives;
  d.occ_arg = occ_arg;
  return d;
}

// bool(): 'true', 'false', '1' or '0' (any case), kept as 1 or 0 in sint.
bool check_bool(std::vector<Arg>& args, std::string* err) {
  std::string v = args[0].str;
  for (char& c : v) c = char(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (v != "true" && v != "false" && v != "1" && v != "0") {
    *err = "fetch method 'bool' expects 'true', 'false', '0' or '1', got '" + args[0].str + "'";
    return false;
  }
  args[0].sint = v == "true" || v == "1";
  return true;
}

// srv_is_up([backend/]server): the backend part (may be empty) and the server
// name, kept apart in args[0].str as "backend/server" split at args[0].sint.
bool check_server_ref(std::vector<Arg>& args, std::string* err) {
  const std::string& s = args[0].str;
  const size_t slash = s.find('/');
  if (s.empty() || slash + 1 == s.size() || (slash != std::string::npos && slash == 0)) {
    *err = "fetch method 'srv_is_up' expects [BACKEND/]SERVER, got '" + s + "'";
    return false;
  }
  args[0].sint = slash == std::string::npos ? -1 : int64_t(slash);
  ServerRefScope::note(s);
  return true;
}

// distcc_body/distcc_param(TOKEN[,OCC]): TOKEN is exactly 4 bytes, kept as
// its number (expr/distcc.h) in args[0].sint; OCC from 1, 0 when absent.
bool check_distcc(std::vector<Arg>& args, std::string* err) {
  if (args[0].str.size() != 4) {
    *err = "distcc token name must be exactly 4 characters, got '" + args[0].str + "'";
    return false;
  }
  args[0].sint = distcc_token(args[0].str);
  args.resize(2);  // an absent OCC is 0: any
  return true;
}

// uuid([version]): only version 4 exists (HAProxy 2.6).
bool check_uuid(std::vector<Arg>& args, std::string* err) {
  if (args.empty() || args[0].sint == 4) return true;
  *err = "fetch method 'uuid' only knows version 4, got " + std::to_string(args[0].sint);
  return false;
}

// meth(METHOD): a method name is an HTTP token.
bool check_meth(std::vector<Arg>& args, std::string* err) {
  for (char c : args[0].str) {
    const bool tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!tchar) {
      *err = "fetch method 'meth' expects a valid method, got '" + args[0].str + "'";
      return false;
    }
  }
  return true;
}

// date([offset[,unit]]): unit s (default), ms or us, kept as the number of
// units a second holds in args[1].sint.
bool check_date(std::vector<Arg>& args, std::string* err) {
  if (args.size() < 2) return true;
  const std::string& u = args[1].str;
  if (u == "s")
    args[1].sint = 1;
  else if (u == "ms")
    args[1].sint = 1000;
  else if (u == "us")
    args[1].sint = 1000000;
  else {
    *err = "fetch method 'date' expects the unit 's', 'ms' or 'us', got '" + u + "'";
    return false;
  }
  return true;
}

// bin(): an even number of hex digits, kept decoded in str.
// ipv4(ADDR) takes a dotted quad, ipv6(ADDR) any IPv6 text form, as
// inet_pton() reads them (HAProxy's argument types); the address goes to the
// argument's 16 bytes.
bool check_ip_constant(bool v6, std::vector<Arg>& args, std::string* err) {
  Arg& a = args[0];
  if (v6 ? parse_ipv6(a.str, a.mask) : parse_ipv4(a.str, a.mask)) return true;
  *err = std::string("fetch method '") + (v6 ? "ipv6" : "ipv4") + "' expects an " +
         (v6 ? "IPv6" : "IPv4") + " address, got '" + a.str + "'";
  return false;
}
bool check_ipv4(std::vector<Arg>& args, std::string* err) {
  return check_ip_constant(false, args, err);
}
bool check_ipv6(std::vector<Arg>& args, std::string* err) {
  return check_ip_constant(true, args, err);
}

// fc_rtt(unit): "ms" (the default) or "us", kept as the divisor of
// microseconds.
bool check_time_unit(std::vector<Arg>& args, std::string* err) {
  if (args.empty()) return true;
  if (args[0].str == "ms" || args[0].str == "us") {
    args[0].sint = args[0].str == "ms" ? 1000 : 1;
    return true;
  }
  *err = "expects 'ms' or 'us' as the unit, got '" + args[0].str + "'";
  return false;
}

bool check_bin(std::vector<Arg>& args, std::string* err) {
  const std::string& h = args[0].str;
  std::string out;
  bool ok = h.size() % 2 == 0;
  for (size_t i = 0; ok && i < h.size(); i += 2) {
    ok = hex_digit(h[i]) >= 0 && hex_digit(h[i + 1]) >= 0;
    if (ok) out.push_back(char(hex_digit(h[i]) * 16 + hex_digit(h[i + 1])));
  }
  if (!ok) {
    *err = "fetch method 'bin' expects an even number of hexadecimal digits, got '" + h + "'";
    return false;
  }
  args[0].str = std::move(out);
  return true;
}

const std::vector<Named>& catalog() {
  static const std::vector<Named> c = [] {
    std::vector<Named> v;
    auto add = [&v](std::string_view name, FetchDef d) {
      d.name = name;
      v.push_back(Named{name, std::move(d)});
    };
    const ArgSpec none;
    const ArgSpec hdr_args{0, {A::kStr, A::kSint}};
    const ArgSpec name_arg{0, {A::kStr}};
    add("always_true", def(FetchId::kAlwaysTrue, none, T::kBool, kUseAnyCfg));
    add("always_false", def(FetchId::kAlwaysFalse, none, T::kBool, kUseAnyCfg));
    add("int", def(FetchId::kInt, ArgSpec{1, {A::kSint}}, T::kSint, kUseAnyCfg));
    add("str", def(FetchId::kStr, ArgSpec{1, {A::kStr}}, T::kStr, kUseAnyCfg));
    FetchDef bool_def = def(FetchId::kBool, ArgSpec{1, {A::kStr}}, T::kBool, kUseAnyCfg);
    bool_def.check = check_bool;
    add("bool", std::move(bool_def));
    FetchDef bin_def = def(FetchId::kBin, ArgSpec{1, {A::kStr}}, T::kBin, kUseAnyCfg);
    bin_def.check = check_bin;
    add("bin", std::move(bin_def));
    FetchDef ipv4_def = def(FetchId::kIpv4, ArgSpec{1, {A::kStr}}, T::kIpv4, kUseAnyCfg);
    ipv4_def.check = check_ipv4;
    add("ipv4", std::move(ipv4_def));
    FetchDef ipv6_def = def(FetchId::kIpv6, ArgSpec{1, {A::kStr}}, T::kIpv6, kUseAnyCfg);
    ipv6_def.check = check_ipv6;
    add("ipv6", std::move(ipv6_def));
    add("env", def(FetchId::kEnv, ArgSpec{1, {A::kStr}}, T::kStr, kUseAnyCfg));
    FetchDef uuid_def = def(FetchId::kUuid, ArgSpec{0, {A::kSint}}, T::kStr, kUseAnyCfg);
    uuid_def.check = check_uuid;
    add("uuid", std::move(uuid_def));
    FetchDef date_def = def(FetchId::kDate, ArgSpec{0, {A::kSint, A::kStr}}, T::kSint, kUseAnyCfg);
    date_def.check = check_date;
    add("date", std::move(date_def));
    for (std::string_view n : {"proc", "nbproc"})
      add(n, def(FetchId::kProc, none, T::kSint, kUseAnyCfg));
    FetchDef meth_def = def(FetchId::kMeth, ArgSpec{1, {A::kStr}}, T::kMeth, kUseAnyCfg);
    meth_def.check = check_meth;
    add("meth", std::move(meth_def));
    add("rand", def(FetchId::kRand, ArgSpec{0, {A::kSint}}, T::kSint, kUseAnyCfg));
    add("var", def(FetchId::kVar, ArgSpec{1, {A::kVar, A::kStr}}, T::kAny, kUseAnyCfg));
    add("src", def(FetchId::kSrc, none, T::kAddr, kUseAny));
    add("src_port", def(FetchId::kSrcPort, none, T::kSint, kUseAny));
    add("dst", def(FetchId::kDst, none, T::kAddr, kUseAny));
    add("dst_port", def(FetchId::kDstPort, none, T::kSint, kUseAny));
    add("fe_name", def(FetchId::kFeName, none, T::kStr, kUseAny));
    add("so_name", def(FetchId::kSoName, none, T::kStr, kUseAny));
    add("so_id", def(FetchId::kSoId, none, T::kSint, kUseAny));
    add("be_name", def(FetchId::kBeName, none, T::kStr, kUseAny));
    add("nbsrv", def(FetchId::kNbsrv, name_arg, T::kSint, kUseAny));
    add("fe_id", def(FetchId::kFeId, none, T::kSint, kUseAny));
    add("be_id", def(FetchId::kBeId, none, T::kSint, kUseAny));
    FetchDef up_def = def(FetchId::kSrvIsUp, ArgSpec{1, {A::kStr}}, T::kBool, kUseAny);
    up_def.check = check_server_ref;
    add("srv_is_up", std::move(up_def));
    add("connslots", def(FetchId::kConnslots, name_arg, T::kSint, kUseAny));
    add("be_conn", def(FetchId::kBeConn, name_arg, T::kSint, kUseAny));
    add("queue", def(FetchId::kQueue, name_arg, T::kSint, kUseAny));
    add("avg_queue", def(FetchId::kAvgQueue, name_arg, T::kSint, kUseAny));
    add("be_conn_free", def(FetchId::kBeConnFree, name_arg, T::kSint, kUseAny));
    add("date_us", def(FetchId::kDateUs, none, T::kSint, kUseAnyCfg));
    add("hostname", def(FetchId::kHostname, none, T::kStr, kUseAnyCfg));
    add("thread", def(FetchId::kThread, none, T::kSint, kUseAny));
    add("fc_src", def(FetchId::kFcSrc, none, T::kAddr, kUseAny));
    add("fc_src_port", def(FetchId::kFcSrcPort, none, T::kSint, kUseAny));
    add("fc_dst", def(FetchId::kFcDst, none, T::kAddr, kUseAny));
    add("fc_dst_port", def(FetchId::kFcDstPort, none, T::kSint, kUseAny));
    add("fc_http_major", def(FetchId::kFcHttpMajor, none, T::kSint, kUseAny));
    add("bc_src", def(FetchId::kBcSrc, none, T::kAddr, kUseAny));
    add("bc_src_port", def(FetchId::kBcSrcPort, none, T::kSint, kUseAny));
    add("bc_dst", def(FetchId::kBcDst, none, T::kAddr, kUseAny));
    add("bc_dst_port", def(FetchId::kBcDstPort, none, T::kSint, kUseAny));
    add("bc_http_major", def(FetchId::kBcHttpMajor, none, T::kSint, kUseAny));
    add("dst_conn", def(FetchId::kDstConn, none, T::kSint, kUseAny));
    add("dst_is_local", def(FetchId::kDstIsLocal, none, T::kBool, kUseAny));
    add("src_is_local", def(FetchId::kSrcIsLocal, none, T::kBool, kUseAny));
    add("fc_dst_is_local", def(FetchId::kFcDstIsLocal, none, T::kBool, kUseAny));
    add("fc_src_is_local", def(FetchId::kFcSrcIsLocal, none, T::kBool, kUseAny));
    add("stopping", def(FetchId::kStopping, none, T::kBool, kUseAny));
    // The server connection's error, also once it is gone (logs).
    add("bc_err", def(FetchId::kBcErr, none, T::kSint, kUseAny));
    add("bc_err_str", def(FetchId::kBcErrStr, none, T::kStr, kUseAny));
    add("ssl_bc_err", def(FetchId::kSslBcErr, none, T::kSint, kUseAny));
    add("ssl_bc_err_str", def(FetchId::kSslBcErrStr, none, T::kStr, kUseAny));
    // The stream's task profile (profiling.tasks): any rule but connection
    // and session ones, which run before the stream exists.
    add("cpu_calls", def(FetchId::kCpuCalls, none, T::kSint, kUseAny));
    add("cpu_ns_avg", def(FetchId::kCpuNsAvg, none, T::kSint, kUseAny));
    add("cpu_ns_tot", def(FetchId::kCpuNsTot, none, T::kSint, kUseAny));
    add("lat_ns_avg", def(FetchId::kLatNsAvg, none, T::kSint, kUseAny));
    add("lat_ns_tot", def(FetchId::kLatNsTot, none, T::kSint, kUseAny));
    add("prio_class", def(FetchId::kPrioClass, none, T::kSint, kUseAny));
    add("prio_offset", def(FetchId::kPrioOffset, none, T::kSint, kUseAny));
    add("fe_req_rate", def(FetchId::kFeReqRate, name_arg, T::kSint, kUseAny));
    add("fe_sess_rate", def(FetchId::kFeSessRate, name_arg, T::kSint, kUseAny));
    add("be_sess_rate", def(FetchId::kBeSessRate, name_arg, T::kSint, kUseAny));
    FetchDef srv_rate = def(FetchId::kSrvSessRate, ArgSpec{1, {A::kStr}}, T::kSint, kUseAny);
    srv_rate.check = check_server_ref;
    add("srv_sess_rate", std::move(srv_rate));
    add("fc_rcvd_proxy", def(FetchId::kFcRcvdProxy, none, T::kBool, kUseAny));
    add("fc_pp_authority", def(FetchId::kFcPpAuthority, none, T::kStr, kUseAny));
    add("fc_pp_unique_id", def(FetchId::kFcPpUniqueId, none, T::kStr, kUseAny));
    const ArgSpec unit{0, {A::kStr}};
    for (auto [n, id] : {std::pair{"fc_rtt", FetchId::kFcRtt}, {"fc_rttvar", FetchId::kFcRttvar}}) {
      FetchDef d = def(id, unit, T::kSint, kUseAny);
      d.check = check_time_unit;
      add(n, std::move(d));
    }
    for (auto [n, id] : {std::pair{"fc_unacked", FetchId::kFcUnacked},
                         {"fc_sacked", FetchId::kFcSacked},
                         {"fc_retrans", FetchId::kFcRetrans},
                         {"fc_fackets", FetchId::kFcFackets},
                         {"fc_lost", FetchId::kFcLost},
                         {"fc_reordering", FetchId::kFcReordering}})
      add(n, def(id, none, T::kSint, kUseAny));
    for (auto [n, id] : {std::pair{"srv_conn", FetchId::kSrvConn},
                         {"srv_conn_free", FetchId::kSrvConnFree},
                         {"srv_iweight", FetchId::kSrvIweight},
                         {"srv_uweight", FetchId::kSrvUweight},
                         {"srv_weight", FetchId::kSrvWeight},
                         {"srv_queue", FetchId::kSrvQueue}}) {
      FetchDef d = def(id, ArgSpec{1, {A::kStr}}, T::kSint, kUseAny);
      d.check = check_server_ref;
      add(n, std::move(d));
    }
    add("fe_conn", def(FetchId::kFeConn, name_arg, T::kSint, kUseAny));
    add("fe_defbe", def(FetchId::kFeDefbe, none, T::kStr, kUseAny));
    add("be_server_timeout", def(FetchId::kBeServerTimeout, none, T::kSint, kUseAny));
    add("be_tunnel_timeout", def(FetchId::kBeTunnelTimeout, none, T::kSint, kUseAny));
    add("cur_server_timeout", def(FetchId::kCurServerTimeout, none, T::kSint, kUseAny));
    add("cur_tunnel_timeout", def(FetchId::kCurTunnelTimeout, none, T::kSint, kUseAny));
    add("fe_client_timeout", def(FetchId::kFeClientTimeout, none, T::kSint, kUseAny));
    add("last_rule_file", def(FetchId::kLastRuleFile, none, T::kStr, kUseAny));
    add("last_rule_line", def(FetchId::kLastRuleLine, none, T::kSint, kUseAny));
    add("ssl_fc", def(FetchId::kSslFc, none, T::kBool, kUseAny));
    add("ssl_fc_sni", def(FetchId::kSslFcSni, none, T::kStr, kUseAny, kStrDerivatives));
    add("ssl_fc_protocol", def(FetchId::kSslFcProtocol, none, T::kStr, kUseAny));
    add("ssl_fc_cipher", def(FetchId::kSslFcCipher, none, T::kStr, kUseAny));
    add("ssl_fc_alpn", def(FetchId::kSslFcAlpn, none, T::kStr, kUseAny));
    // HAProxy 2.6 names it ssl_fc_is_resumed; ssl_fc_session_reused is the
    // name issue #9 asked for, kept as an alias.
    for (std::string_view n : {"ssl_fc_is_resumed", "ssl_fc_session_reused"})
      add(n, def(FetchId::kSslFcSessionReused, none, T::kBool, kUseAny));
    add("ssl_fc_use_keysize", def(FetchId::kSslFcUseKeysize, none, T::kSint, kUseAny));
    add("ssl_c_used", def(FetchId::kSslCUsed, none, T::kBool, kUseAny));
    add("ssl_c_verify", def(FetchId::kSslCVerify, none, T::kSint, kUseAny));
    const ArgSpec dn_args{0, {A::kStr, A::kSint, A::kStr}};
    add("ssl_c_s_dn", def(FetchId::kSslCSDn, dn_args, T::kStr, kUseAny));
    add("ssl_c_i_dn", def(FetchId::kSslCIDn, dn_args, T::kStr, kUseAny));
    add("ssl_c_serial", def(FetchId::kSslCSerial, none, T::kBin, kUseAny));
    add("ssl_c_notafter", def(FetchId::kSslCNotafter, none, T::kStr, kUseAny));
    add("ssl_c_sha1", def(FetchId::kSslCSha1, none, T::kBin, kUseAny));
    add("ssl_c_der", def(FetchId::kSslCDer, none, T::kBin, kUseAny));
    add("ssl_c_chain_der", def(FetchId::kSslCChainDer, none, T::kBin, kUseAny));
    add("ssl_c_key_alg", def(FetchId::kSslCKeyAlg, none, T::kStr, kUseAny));
    add("ssl_c_notbefore", def(FetchId::kSslCNotbefore, none, T::kStr, kUseAny));
    add("ssl_c_sig_alg", def(FetchId::kSslCSigAlg, none, T::kStr, kUseAny));
    add("ssl_c_version", def(FetchId::kSslCVersion, none, T::kSint, kUseAny));
    add("ssl_c_err", def(FetchId::kSslCErr, none, T::kSint, kUseAny));
    add("ssl_c_ca_err", def(FetchId::kSslCCaErr, none, T::kSint, kUseAny));
    add("ssl_c_ca_err_depth", def(FetchId::kSslCCaErrDepth, none, T::kSint, kUseAny));
    add("ssl_fc_err", def(FetchId::kSslFcErr, none, T::kSint, kUseAny));
    add("ssl_fc_err_str", def(FetchId::kSslFcErrStr, none, T::kStr, kUseAny));
    add("fc_err", def(FetchId::kFcErr, none, T::kSint, kUseAny));
    add("fc_err_str", def(FetchId::kFcErrStr, none, T::kStr, kUseAny));
    add("ssl_f_der", def(FetchId::kSslFDer, none, T::kBin, kUseAny));
    add("ssl_f_i_dn", def(FetchId::kSslFIDn, dn_args, T::kStr, kUseAny));
    add("ssl_f_key_alg", def(FetchId::kSslFKeyAlg, none, T::kStr, kUseAny));
    add("ssl_f_notafter", def(FetchId::kSslFNotafter, none, T::kStr, kUseAny));
    add("ssl_f_notbefore", def(FetchId::kSslFNotbefore, none, T::kStr, kUseAny));
    add("ssl_f_s_dn", def(FetchId::kSslFSDn, dn_args, T::kStr, kUseAny));
    add("ssl_f_serial", def(FetchId::kSslFSerial, none, T::kBin, kUseAny));
    add("ssl_f_sha1", def(FetchId::kSslFSha1, none, T::kBin, kUseAny));
    add("ssl_f_sig_alg", def(FetchId::kSslFSigAlg, none, T::kStr, kUseAny));
    add("ssl_f_version", def(FetchId::kSslFVersion, none, T::kSint, kUseAny));
    // The ClientHello capture; the optional argument 1 leaves GREASE out.
    const ArgSpec grease{0, {A::kSint}};
    add("ssl_fc_cipherlist_bin", def(FetchId::kSslFcCipherlistBin, grease, T::kBin, kUseAny));
    add("ssl_fc_cipherlist_hex", def(FetchId::kSslFcCipherlistHex, grease, T::kStr, kUseAny));
    add("ssl_fc_cipherlist_str", def(FetchId::kSslFcCipherlistStr, grease, T::kStr, kUseAny));
    add("ssl_fc_cipherlist_xxh", def(FetchId::kSslFcCipherlistXxh, none, T::kSint, kUseAny));
    add("ssl_fc_extlist_bin", def(FetchId::kSslFcExtlistBin, grease, T::kBin, kUseAny));
    add("ssl_fc_eclist_bin", def(FetchId::kSslFcEclistBin, grease, T::kBin, kUseAny));
    add("ssl_fc_ecformats_bin", def(FetchId::kSslFcEcformatsBin, none, T::kBin, kUseAny));
    add("ssl_fc_protocol_hello_id", def(FetchId::kSslFcProtocolHelloId, none, T::kSint, kUseAny));
    add("ssl_bc", def(FetchId::kSslBc, none, T::kBool, kUseAny));
    add("ssl_bc_protocol", def(FetchId::kSslBcProtocol, none, T::kStr, kUseAny));
    add("ssl_bc_cipher", def(FetchId::kSslBcCipher, none, T::kStr, kUseAny));
    add("ssl_bc_alpn", def(FetchId::kSslBcAlpn, none, T::kStr, kUseAny));
    // HAProxy 2.6 names it ssl_bc_is_resumed; ssl_bc_session_reused is the
    // name issue #9 asked for, kept as an alias.
    for (std::string_view n : {"ssl_bc_is_resumed", "ssl_bc_session_reused"})
      add(n, def(FetchId::kSslBcSessionReused, none, T::kBool, kUseAny));
    add("ssl_bc_use_keysize", def(FetchId::kSslBcUseKeysize, none, T::kSint, kUseAny));
    add("ssl_bc_alg_keysize", def(FetchId::kSslBcAlgKeysize, none, T::kSint, kUseAny));
    add("ssl_s_der", def(FetchId::kSslSDer, none, T::kBin, kUseAny));
    add("ssl_s_chain_der", def(FetchId::kSslSChainDer, none, T::kBin, kUseAny));
    add("ssl_s_key_alg", def(FetchId::kSslSKeyAlg, none, T::kStr, kUseAny));
    add("ssl_s_notafter", def(FetchId::kSslSNotafter, none, T::kStr, kUseAny));
    add("ssl_s_notbefore", def(FetchId::kSslSNotbefore, none, T::kStr, kUseAny));
    add("ssl_s_i_dn", def(FetchId::kSslSIDn, dn_args, T::kStr, kUseAny));
    add("ssl_s_s_dn", def(FetchId::kSslSSDn, dn_args, T::kStr, kUseAny));
    add("ssl_s_serial", def(FetchId::kSslSSerial, none, T::kBin, kUseAny));
    add("ssl_s_sha1", def(FetchId::kSslSSha1, none, T::kBin, kUseAny));
    add("ssl_s_sig_alg", def(FetchId::kSslSSigAlg, none, T::kStr, kUseAny));
    add("ssl_s_version", def(FetchId::kSslSVersion, none, T::kSint, kUseAny));
    // Kept from the request line for the whole transaction.
    const uint8_t txn = kUseReq | kUseRes;
    add("capture.req.method", def(FetchId::kCaptureReqMethod, none, T::kStr, txn));
    add("capture.req.uri", def(FetchId::kCaptureReqUri, none, T::kStr, txn));
    add("capture.req.ver", def(FetchId::kCaptureReqVer, none, T::kStr, txn));
    add("capture.res.ver", def(FetchId::kCaptureResVer, none, T::kStr, txn));  // none before
    // The slots exist in tcp mode too (tcp-request content capture), for the
    // stream's life: its log line reads them (with the connection's use).
    const uint8_t slots = kUseAny;
    add("capture.req.hdr", def(FetchId::kCaptureReqHdr, ArgSpec{1, {A::kSint}}, T::kStr, slots));
    add("capture.res.hdr", def(FetchId::kCaptureResHdr, ArgSpec{1, {A::kSint}}, T::kStr, slots));
    add("unique-id", def(FetchId::kUniqueId, none, T::kStr, txn));
    add("http_first_req", def(FetchId::kHttpFirstReq, none, T::kBool, txn));
    // The method is the transaction's (HAProxy keeps it for the response).
    add("method", def(FetchId::kMethod, none, T::kMeth, txn));
    const uint8_t req = kUseReq;  // gone once the response is analysed (HAProxy)
    add("path", def(FetchId::kPath, none, T::kStr, req, kStrDerivatives));
    add("pathq", def(FetchId::kPathq, none, T::kStr, req));
    add("url", def(FetchId::kUrl, none, T::kStr, req, kStrDerivatives));
    add("query", def(FetchId::kQuery, none, T::kStr, req));
    add("base", def(FetchId::kBase, none, T::kStr, req, kStrDerivatives));
    add("baseq", def(FetchId::kBaseq, none, T::kStr, req));
    add("base32", def(FetchId::kBase32, none, T::kSint, req));
    add("base32+src", def(FetchId::kBase32Src, none, T::kBin, req));
    add("url32", def(FetchId::kUrl32, none, T::kSint, req));
    add("url32+src", def(FetchId::kUrl32Src, none, T::kBin, req));
    add("url_ip", def(FetchId::kUrlIp, none, T::kAddr, req));
    add("url_port", def(FetchId::kUrlPort, none, T::kSint, req));
    add("urlp_val", def(FetchId::kUrlpVal, ArgSpec{0, {A::kStr, A::kStr}}, T::kSint, req));
    add("http_auth_bearer", def(FetchId::kHttpAuthBearer, name_arg, T::kStr, req));
    add("req.hdrs", def(FetchId::kReqHdrs, none, T::kStr, req));
    add("req.hdrs_bin", def(FetchId::kReqHdrsBin, none, T::kBin, req));
    add("req.hdr_names", def(FetchId::kReqHdrNames, name_arg, T::kStr, req));
    // Of two aliases, only the ACL keyword HAProxy declares (urlp, cook, shdr;
    // hdr and scook in acl.cc) has derivatives: req.hdr_beg is no keyword.
    for (std::string_view n : {"url_param", "urlp"})
      add(n, def(FetchId::kUrlParam, ArgSpec{0, {A::kStr, A::kStr}}, T::kStr, req,
                 n == "urlp" ? kStrDerivatives : std::string_view()));
    add("req.body", def(FetchId::kReqBody, none, T::kBin, req));
    add("req.body_len", def(FetchId::kReqBodyLen, none, T::kSint, req));
    add("req.body_size", def(FetchId::kReqBodySize, none, T::kSint, req));
    add("req.body_param", def(FetchId::kReqBodyParam, ArgSpec{0, {A::kStr}}, T::kStr, req));
    // hdr and cookie read the request in request rules and the response in
    // response rules (HAProxy 7.3.6); the ACL keywords hdr and hdr_* are
    // req.hdr's (acl.cc).
    add("req.hdr", def(FetchId::kReqHdr, hdr_args, T::kStr, req, {}, 1));
    add("hdr", def(FetchId::kHdrDir, hdr_args, T::kStr, txn, {}, 1));
    add("cookie", def(FetchId::kCookieDir, name_arg, T::kStr, txn));
    add("req.fhdr", def(FetchId::kReqFhdr, hdr_args, T::kStr, req, {}, 1));
    for (std::string_view n : {"req.hdr_cnt", "hdr_cnt"})
      add(n, def(FetchId::kReqHdrCnt, name_arg, T::kSint, req));
    add("req.fhdr_cnt", def(FetchId::kReqFhdrCnt, name_arg, T::kSint, req));
    for (std::string_view n : {"req.hdr_val", "hdr_val"})
      add(n, def(FetchId::kReqHdrVal, hdr_args, T::kSint, req, {}, 1));
    for (std::string_view n : {"req.hdr_ip", "hdr_ip"})
      add(n, def(FetchId::kReqHdrIp, hdr_args, T::kAddr, req, {}, 1));
    for (std::string_view n : {"req.ver", "req_ver"})
      add(n, def(FetchId::kReqVer, none, T::kStr, req));
    for (std::string_view n : {"req.cook", "cook"})
      add(n, def(FetchId::kReqCook, name_arg, T::kStr, req,
                 n == "cook" ? kStrDerivatives : std::string_view()));
    for (std::string_view n : {"req.cook_cnt", "cook_cnt"})
      add(n, def(FetchId::kReqCookCnt, name_arg, T::kSint, req));
    for (std::string_view n : {"req.cook_val", "cook_val"})
      add(n, def(FetchId::kReqCookVal, name_arg, T::kSint, req));
    for (std::string_view n : {"req.proto_http", "req_proto_http"})
      add(n, def(FetchId::kReqProtoHttp, none, T::kBool, req));
    // Authentication (HAProxy 7.3.6); http_auth_group's ACL matches the
    // user's groups (acl.cc).
    const ArgSpec usr{1, {A::kUsr}};
    add("http_auth", def(FetchId::kHttpAuth, usr, T::kBool, req));
    add("http_auth_group", def(FetchId::kHttpAuthGroup, usr, T::kStr, req));
    add("http_auth_type", def(FetchId::kHttpAuthType, none, T::kStr, req));
    add("http_auth_user", def(FetchId::kHttpAuthUser, none, T::kStr, req));
    add("http_auth_pass", def(FetchId::kHttpAuthPass, none, T::kStr, req));
    add("status", def(FetchId::kStatus, none, T::kSint, kUseRes));
    add("srv_id", def(FetchId::kSrvId, none, T::kSint, kUseRes));
    add("srv_name", def(FetchId::kSrvName, none, T::kStr, kUseRes));
    for (std::string_view n : {"res.cook", "scook"})
      add(n, def(FetchId::kResCook, name_arg, T::kStr, kUseRes));
    for (std::string_view n : {"res.cook_cnt", "scook_cnt"})
      add(n, def(FetchId::kResCookCnt, name_arg, T::kSint, kUseRes));
    for (std::string_view n : {"res.cook_val", "scook_val"})
      add(n, def(FetchId::kResCookVal, name_arg, T::kSint, kUseRes));
    for (std::string_view n : {"res.hdr", "shdr"})
      add(n, def(FetchId::kResHdr, hdr_args, T::kStr, kUseRes,
                 n == "shdr" ? kStrDerivatives : std::string_view(), 1));
    add("res.fhdr", def(FetchId::kResFhdr, hdr_args, T::kStr, kUseRes, {}, 1));
    add("res.hdrs", def(FetchId::kResHdrs, none, T::kStr, kUseRes));
    add("res.hdrs_bin", def(FetchId::kResHdrsBin, none, T::kBin, kUseRes));
    add("res.hdr_names", def(FetchId::kResHdrNames, name_arg, T::kStr, kUseRes));
    add("res.fhdr_cnt", def(FetchId::kResFhdrCnt, name_arg, T::kSint, kUseRes));
    for (std::string_view n : {"res.hdr_val", "shdr_val"})
      add(n, def(FetchId::kResHdrVal, hdr_args, T::kSint, kUseRes, {}, 1));
    for (std::string_view n : {"res.hdr_ip", "shdr_ip"})
      add(n, def(FetchId::kResHdrIp, hdr_args, T::kAddr, kUseRes, {}, 1));
    for (std::string_view n : {"res.hdr_cnt", "shdr_cnt"})
      add(n, def(FetchId::kResHdrCnt, name_arg, T::kSint, kUseRes));
    for (std::string_view n : {"res.ver", "resp_ver"})
      add(n, def(FetchId::kResVer, none, T::kStr, kUseRes));
    add("res.body", def(FetchId::kResBody, none, T::kBin, kUseResBody));
    add("res.body_len", def(FetchId::kResBodyLen, none, T::kSint, kUseResBody));
    add("res.body_size", def(FetchId::kResBodySize, none, T::kSint, kUseResBody));
    // Layer 6: the buffered bytes of tcp-request / tcp-response content.
    const ArgSpec payload{2, {A::kSint, A::kSint}};
    const ArgSpec payload_lv{2, {A::kSint, A::kSint, A::kStr}};
    for (std::string_view n : {"req.len", "req_len"})
      add(n, def(FetchId::kReqLen, none, T::kSint, kUseL6Req));
    add("req.payload", def(FetchId::kReqPayload, payload, T::kBin, kUseL6Req));
    add("req.payload_lv", def(FetchId::kReqPayloadLv, payload_lv, T::kBin, kUseL6Req));
    for (std::string_view n : {"req.ssl_hello_type", "req_ssl_hello_type"})
      add(n, def(FetchId::kReqSslHelloType, none, T::kSint, kUseL6Req));
    for (std::string_view n : {"req.ssl_ver", "req_ssl_ver"})
      add(n, def(FetchId::kReqSslVer, none, T::kSint, kUseL6Req));
    for (std::string_view n : {"req.ssl_sni", "req_ssl_sni"})
      add(n, def(FetchId::kReqSslSni, none, T::kStr, kUseL6Req));
    add("res.len", def(FetchId::kResLen, none, T::kSint, kUseL6Res));
    add("res.payload", def(FetchId::kResPayload, payload, T::kBin, kUseL6Res));
    add("res.payload_lv", def(FetchId::kResPayloadLv, payload_lv, T::kBin, kUseL6Res));
    add("wait_end", def(FetchId::kWaitEnd, none, T::kBool, kUseL6Req | kUseL6Res));
    add("payload", def(FetchId::kPayload, payload, T::kBin, kUseL6Req | kUseL6Res));
    add("payload_lv", def(FetchId::kPayloadLv, payload_lv, T::kBin, kUseL6Req | kUseL6Res));
    add("req.ssl_alpn", def(FetchId::kReqSslAlpn, none, T::kStr, kUseL6Req));
    add("req.ssl_ec_ext", def(FetchId::kReqSslEcExt, none, T::kBool, kUseL6Req));
    add("req.ssl_st_ext", def(FetchId::kReqSslStExt, none, T::kSint, kUseL6Req));
    for (std::string_view n : {"res.ssl_hello_type", "rep_ssl_hello_type"})
      add(n, def(FetchId::kResSslHelloType, none, T::kSint, kUseL6Res));
    const ArgSpec opt_name{0, {A::kStr}};
    for (std::string_view n : {"req.rdp_cookie", "rdp_cookie"})
      add(n, def(FetchId::kReqRdpCookie, opt_name, T::kStr, kUseL6Req));
    for (std::string_view n : {"req.rdp_cookie_cnt", "rdp_cookie_cnt"})
      add(n, def(FetchId::kReqRdpCookieCnt, opt_name, T::kSint, kUseL6Req));
    for (const auto& [n, id, out] : {std::tuple{"distcc_body", FetchId::kDistccBody, T::kBin},
                                     std::tuple{"distcc_param", FetchId::kDistccParam, T::kSint}}) {
      FetchDef d = def(id, ArgSpec{1, {A::kStr, A::kSint}}, out, kUseL6Req | kUseL6Res);
      d.check = check_distcc;
      add(n, d);
    }
    return v;
  }();
  return c;
}

}  // namespace

const FetchDef* find_fetch(std::string_view name) {
  for (const Named& n : catalog())
    if (n.name == name) return &n.def;
  return find_stick_fetch(name);
}

bool fetch_constant(const FetchDef& d, const Arg* args, size_t nargs, Sample& out) {
  switch (d.id) {
    case FetchId::kAlwaysTrue:
      out.set_bool(true);
      return true;
    case FetchId::kAlwaysFalse:
      out.set_bool(false);
      return true;
    case FetchId::kInt:
      out.set_sint(args[0].sint);
      return true;
    case FetchId::kStr:
      out.set_str(args[0].str);
      return true;
    case FetchId::kBool:
      out.set_bool(args[0].sint != 0);
      return true;
    case FetchId::kBin:
      out.set_bin(args[0].str);
      return true;
    case FetchId::kIpv4:
      out.set_ipv4(args[0].mask);
      return true;
    case FetchId::kIpv6:
      out.set_ipv6(args[0].mask);
      return true;
    case FetchId::kEnv: {
      const char* v = std::getenv(args[0].str.c_str());
      if (!v) return false;
      out.set_str(v);
      return true;
    }
    case FetchId::kUuid: {
      // RFC 4122 version 4: 122 random bits, the version and variant fixed.
      static thread_local std::mt19937_64 rng{std::random_device{}()};
      uint8_t b[16];
      for (int i = 0; i < 16; i += 8) {
        const uint64_t r = rng();
        std::memcpy(b + i, &r, 8);
      }
      b[6] = uint8_t((b[6] & 0x0f) | 0x40);
      b[8] = uint8_t((b[8] & 0x3f) | 0x80);
      Chunk c = next_chunk();
      static constexpr char kHex[] = "0123456789abcdef";
      size_t o = 0;
      for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) c.data[o++] = '-';
        c.data[o++] = kHex[b[i] >> 4];
        c.data[o++] = kHex[b[i] & 15];
      }
      out.set_str(std::string_view(c.data, o));
      out.may_change = true;
      return true;
    }
    case FetchId::kDate: {
      timespec ts{};
      clock_gettime(CLOCK_REALTIME, &ts);
      const int64_t per_s = nargs > 1 ? args[1].sint : 1;
      const int64_t v = int64_t(ts.tv_sec) * per_s + int64_t(ts.tv_nsec) / (1000000000 / per_s);
      out.set_sint(v + (nargs > 0 ? args[0].sint : 0));
      out.may_change = true;
      return true;
    }
    case FetchId::kDateUs: {
      timespec ts{};
      clock_gettime(CLOCK_REALTIME, &ts);
      out.set_sint(ts.tv_nsec / 1000);
      out.may_change = true;
      return true;
    }
    case FetchId::kHostname: {
      static const std::string name = [] {
        char buf[256] = {};
        return gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string();
      }();
      out.set_str(name);
      return true;
    }
    case FetchId::kProc:
      out.set_sint(1);
      return true;
    case FetchId::kMeth:
      out.set_meth(meth_of(args[0].str), args[0].str);
      return true;
    case FetchId::kRand: {
      static thread_local std::mt19937 rng{std::random_device{}()};
      const uint64_t r = uint32_t(rng());
      // rand(N): 0 .. N-1, else the full 32-bit range.
      out.set_sint(nargs > 0 && args[0].sint > 0 ? int64_t(r * uint64_t(args[0].sint) >> 32)
                                                 : int64_t(r));
      out.may_change = true;
      return true;
    }
    default:
      return false;
  }
}

}  // namespace hearth::expr
