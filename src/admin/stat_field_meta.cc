// Each field's tags and type in HAProxy 2.6's typed and JSON output, as HAProxy
// 2.6 prints them (`show stat typed`): origin (K key, C config, M metric, S status,
// P product), nature (N name, L limit, G gauge, C counter, M max, R rate, A age,
// D duration, O output, a average...), scope (S service, P process); then the
// value's type. Fields Hearth never fills have no entry.
#include "admin/stats_json.h"

namespace hearth::admin {
namespace {

const StatFieldMeta kMeta[kStatFieldCount] = {
    {"KNS", "str"},  // pxname
    {"KNS", "str"},  // svname
    {"MGP", "u32"},  // qcur
    {"MMP", "u32"},  // qmax
    {"MGP", "u32"},  // scur
    {"MMP", "u32"},  // smax
    {"CLP", "u32"},  // slim
    {"MCP", "u64"},  // stot
    {"MCP", "u64"},  // bin
    {"MCP", "u64"},  // bout
    {"MCP", "u64"},  // dreq
    {"MCP", "u64"},  // dresp
    {"MCP", "u64"},  // ereq
    {"MCP", "u64"},  // econ
    {"MCP", "u64"},  // eresp
    {"MCP", "u64"},  // wretr
    {"MCP", "u64"},  // wredis
    {"SGP", "str"},  // status
    {"MaP", "u32"},  // weight
    {"MGP", "u32"},  // act
    {"MGP", "u32"},  // bck
    {"MCP", "u64"},  // chkfail
    {"MCP", "u64"},  // chkdown
    {"MAP", "u32"},  // lastchg
    {"MCP", "u32"},  // downtime
    {"CGS", "u32"},  // qlimit
    {"KGP", "u32"},  // pid
    {"KGS", "u32"},  // iid
    {"KGS", "u32"},  // sid
    {},              // throttle
    {"MCP", "u64"},  // lbtot
    {},              // tracked
    {"CGS", "u32"},  // type
    {"MRP", "u32"},  // rate
    {"CLP", "u32"},  // rate_lim
    {"MMP", "u32"},  // rate_max
    {"MOP", "str"},  // check_status
    {"MOP", "u32"},  // check_code
    {"MDP", "u64"},  // check_duration
    {"MCP", "u64"},  // hrsp_1xx
    {"MCP", "u64"},  // hrsp_2xx
    {"MCP", "u64"},  // hrsp_3xx
    {"MCP", "u64"},  // hrsp_4xx
    {"MCP", "u64"},  // hrsp_5xx
    {"MCP", "u64"},  // hrsp_other
    {},              // hanafail
    {"MRP", "u32"},  // req_rate
    {"MMP", "u32"},  // req_rate_max
    {"MCP", "u64"},  // req_tot
    {"MCP", "u64"},  // cli_abrt
    {"MCP", "u64"},  // srv_abrt
    {"MCP", "u64"},  // comp_in
    {"MCP", "u64"},  // comp_out
    {"MCP", "u64"},  // comp_byp
    {"MCP", "u64"},  // comp_rsp
    {"MAP", "s32"},  // lastsess
    {"MOP", "str"},  // last_chk
    {},              // last_agt
    {"MaP", "u32"},  // qtime
    {"MaP", "u32"},  // ctime
    {"MaP", "u32"},  // rtime
    {"MaP", "u32"},  // ttime
    {},              // agent_status
    {},              // agent_code
    {},              // agent_duration
    {"MOP", "str"},  // check_desc
    {},              // agent_desc
    {"CGS", "u32"},  // check_rise
    {"CGS", "u32"},  // check_fall
    {"CGS", "u32"},  // check_health
    {},              // agent_rise
    {},              // agent_fall
    {},              // agent_health
    {"CGS", "str"},  // addr
    {"CNS", "str"},  // cookie
    {"CGS", "str"},  // mode
    {"CGS", "str"},  // algo
    {"MRP", "u32"},  // conn_rate
    {"MMP", "u32"},  // conn_rate_max
    {"MCP", "u64"},  // conn_tot
    {"MCP", "u64"},  // intercepted
    {"MCP", "u64"},  // dcon
    {"MCP", "u64"},  // dses
    {"MCP", "u64"},  // wrew
    {"MCP", "u64"},  // connect
    {"MCP", "u64"},  // reuse
    {"MCP", "u64"},  // cache_lookups
    {"MCP", "u64"},  // cache_hits
    {"MGP", "u32"},  // srv_icur
    {"CLP", "u32"},  // src_ilim
    {"MMP", "u32"},  // qtime_max
    {"MMP", "u32"},  // ctime_max
    {"MMP", "u32"},  // rtime_max
    {"MMP", "u32"},  // ttime_max
    {"MCP", "u64"},  // eint
    {"MGP", "u32"},  // idle_conn_cur
    {"MGP", "u32"},  // safe_conn_cur
    {"MGP", "u32"},  // used_conn_cur
    {"MGP", "u32"},  // need_conn_est
    {"MaP", "u32"},  // uweight
    {"MGP", "u32"},  // agg_server_status
    {"MGP", "u32"},  // agg_server_check_status
    {"MGP", "u32"},  // agg_check_status
    {},              // -
    {"MCP", "u64"},  // ssl_sess
    {"MCP", "u64"},  // ssl_reused_sess
    {"MCP", "u64"},  // ssl_failed_handshake
    {"MCP", "u64"},  // h2_headers_rcvd
    {"MCP", "u64"},  // h2_data_rcvd
    {"MCP", "u64"},  // h2_settings_rcvd
    {"MCP", "u64"},  // h2_rst_stream_rcvd
    {"MCP", "u64"},  // h2_goaway_rcvd
    {"MCP", "u64"},  // h2_detected_conn_protocol_errors
    {"MCP", "u64"},  // h2_detected_strm_protocol_errors
    {"MCP", "u64"},  // h2_rst_stream_resp
    {"MCP", "u64"},  // h2_goaway_resp
    {"MGP", "u64"},  // h2_open_connections
    {"MGP", "u64"},  // h2_backend_open_streams
    {"MCP", "u64"},  // h2_total_connections
    {"MCP", "u64"},  // h2_backend_total_streams
    {"MGP", "u64"},  // h1_open_connections
    {"MGP", "u64"},  // h1_open_streams
    {"MCP", "u64"},  // h1_total_connections
    {"MCP", "u64"},  // h1_total_streams
    {"MCP", "u64"},  // h1_bytes_in
    {"MCP", "u64"},  // h1_bytes_out
    {"MCP", "u64"},  // h1_spliced_bytes_in
    {"MCP", "u64"},  // h1_spliced_bytes_out
};

// The fields whose tags differ with the kind of row.
struct Override {
  StatType type;
  StatField field;
  StatFieldMeta meta;
};
const Override kOverrides[] = {
    {StatType::kServer, kAct, {"SGP", "u32"}},
    {StatType::kServer, kBck, {"SGP", "u32"}},
    {StatType::kBackend, kRate, {"MGP", "u32"}},
    {StatType::kBackend, kRateMax, {"MGP", "u32"}},
};

}  // namespace

const StatFieldMeta& stat_field_meta(StatType type, size_t field) {
  for (const Override& o : kOverrides)
    if (o.type == type && o.field == field) return o.meta;
  return kMeta[field];
}

}  // namespace hearth::admin
