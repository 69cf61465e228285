// The formatting of show activity, show threads, show fd, show schema json,
// show info desc|float and show stat typed desc: HAProxy 2.6's layouts, from
// snapshots made up here (the integration test compares with haproxy itself).
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "admin/activity_commands.h"
#include "admin/fd_commands.h"
#include "admin/process_info.h"
#include "admin/runtime_api.h"
#include "admin/schema_json.h"
#include "unit/admin/test_servers.h"

namespace hearth::admin {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The names HAProxy 2.6 prints, in its order.
const char* const kActivityNames[] = {
    "ctxsw",        "tasksw",    "empty_rq",    "long_rq",      "loops",        "wake_tasks",
    "wake_signal",  "poll_io",   "poll_exp",    "poll_drop_fd", "poll_skip_fd", "conn_dead",
    "stream_calls", "pool_fail", "buf_wait",    "cpust_ms_tot", "cpust_ms_1s",  "cpust_ms_15s",
    "avg_loop_us",  "accepted",  "accq_pushed", "accq_full",    "accq_ring",    "fd_takeover"};

TEST(CliDump, ActivityOneThreadHasNoPerThreadList) {
  ActivitySnapshot s;
  s.loops = 7;
  s.ctxsw = 12;
  s.accepted = 3;
  const std::string out = format_activity({s}, 1796195385828547);
  const std::vector<std::string> l = lines(out);
  ASSERT_EQ(l.size(), 2 + std::size(kActivityNames) + 1);
  EXPECT_EQ(l[0], "thread_id: 0 (1..1)");
  EXPECT_EQ(l[1], "date_now: 1796195385.828547");
  for (size_t i = 0; i < std::size(kActivityNames); ++i)
    EXPECT_EQ(l[2 + i].substr(0, l[2 + i].find(':')), kActivityNames[i]) << i;
  EXPECT_EQ(l[2], "ctxsw: 12");
  EXPECT_EQ(l[6], "loops: 7");
  EXPECT_EQ(l[21], "accepted: 3");
  EXPECT_EQ(l.back(), "");
  EXPECT_EQ(out.substr(out.size() - 2), "\n\n");
}

TEST(CliDump, ActivitySeveralThreadsSumOrAverage) {
  ActivitySnapshot a, b;
  a.loops = 5;
  b.loops = 8;
  a.avg_loop_us = 6;
  b.avg_loop_us = 3;
  a.cpust_ms_tot = 2;
  const std::string out = format_activity({a, b}, 5000001);
  const std::vector<std::string> l = lines(out);
  EXPECT_EQ(l[0], "thread_id: 0 (1..2)");
  EXPECT_EQ(l[1], "date_now: 5.000001");
  EXPECT_EQ(l[6], "loops: 13 [ 5 8 ]");
  EXPECT_EQ(l[17], "cpust_ms_tot: 2 [ 2 0 ]");
  EXPECT_EQ(l[20], "avg_loop_us: 4 [ 6 3 ]");  // the average, as HAProxy
  EXPECT_EQ(l[8], "wake_signal: 0 [ 0 0 ]");
}

TEST(CliDump, ThreadsBlocks) {
  ThreadSnapshot idle;
  idle.pthread_id = 0x7f9c54ba1440;
  idle.has_timers = true;
  idle.cpu_at_poll_ns = 1000;
  idle.cpu_now_ns = 1500;
  ThreadSnapshot busy;
  busy.pthread_id = 0x10;
  busy.active = true;
  busy.has_tasklets = true;
  busy.tasklets = 4;
  busy.profiling = true;
  busy.cur_tasklet = reinterpret_cast<const void*>(0x1000);
  busy.cur_fn = reinterpret_cast<const void*>(0x2000);
  busy.cur_ctx = reinterpret_cast<const void*>(0x3000);
  const std::vector<std::string> l = lines(format_threads({idle, busy}));
  ASSERT_EQ(l.size(), 10u);
  EXPECT_EQ(l[0], "  Thread 1 : id=0x7f9c54ba1440 act=0 glob=0 wq=1 rq=0 tl=0 tlsz=0 rqsz=0");
  EXPECT_EQ(l[1], "      1/1    stuck=0 prof=0 harmless=1 wantrdv=0");
  EXPECT_EQ(l[2], "             cpu_ns: poll=1000 now=1500 diff=500");
  EXPECT_EQ(l[3], "             curr_task=0");
  EXPECT_EQ(l[4], "  Thread 2 : id=0x10 act=1 glob=0 wq=0 rq=0 tl=1 tlsz=4 rqsz=0");
  EXPECT_EQ(l[5], "      1/2    stuck=0 prof=1 harmless=0 wantrdv=0");
  EXPECT_EQ(l[7], "             curr_task=0x1000 (tasklet)");
  EXPECT_EQ(l[8], "               fct=0x2000 ctx=0x3000");
  EXPECT_EQ(l[9], "");
}

TEST(CliDump, ThreadSnapshotReadsTheLoop) {
  EventLoop loop;
  loop.run_once(0);
  const ThreadSnapshot s = snapshot_thread(loop.activity());
  EXPECT_TRUE(s.active);        // not waiting in the poller now
  EXPECT_EQ(s.pthread_id, 0u);  // run() was not called: no thread of its own
  EXPECT_EQ(s.cpu_now_ns, 0u);
  EXPECT_EQ(s.cur_tasklet, nullptr);
}

TEST(CliDump, FdStateBitsAsHAProxy) {
  FdState s;
  s.r_active = true;
  EXPECT_EQ(format_fd_state(s), "0x000001(cl heopi W:sra R:srA)");
  s.w_ready = true;  // HAProxy's idle client connection: 0x000021
  EXPECT_EQ(format_fd_state(s), "0x000021(cl heopi W:sRa R:srA)");
  s.w_active = true;
  s.r_ready = true;
  s.r_shut = true;
  s.w_shut = true;
  s.err = true;
  s.hup = true;
  EXPECT_EQ(format_fd_state(s), "0x001877(cl HEopi W:SRA R:SRA)");
}

TEST(CliDump, FdLineHead) {
  FdState s;
  s.r_active = true;
  const std::string h = format_fd_head(12, s, 0x2, 0x2, 0, reinterpret_cast<const void*>(0xabc),
                                       reinterpret_cast<const void*>(0xdef), "conn_fd_event");
  EXPECT_EQ(h,
            "     12 : st=0x000001(cl heopi W:sra R:srA) ref=0 gid=1 tmask=0x2 umask=0x0 "
            "prmsk=0x2 pwmsk=0x0 owner=0xabc iocb=0xdef(conn_fd_event)");
}

TEST(CliDump, SchemaIsOneLineOfJson) {
  const std::string s = stats_json_schema();
  EXPECT_EQ(s.size(), 2782u);
  EXPECT_EQ(s.rfind("{\"$schema\":\"http://json-schema.org/draft-04/schema#\"", 0), 0u);
  EXPECT_EQ(s.find('\n'), std::string::npos);
  EXPECT_EQ(s.substr(s.size() - 5), "}}}}}");
  EXPECT_EQ(cli_schema_command({"show", "schema", "json"}), s + "\n\n");
  EXPECT_EQ(cli_schema_command({"show", "schema"}), "'show schema' expects 'json'.\n\n");
  EXPECT_EQ(cli_schema_command({"show", "schema", "xml"}), "'show schema' expects 'json'.\n\n");
  EXPECT_EQ(cli_schema_command({"show", "stat"}), "");
}

TEST(CliDump, FloatsPrintAsHAProxyTrimsThem) {
  EXPECT_EQ(format_float(0), "0");
  EXPECT_EQ(format_float(1.5), "1.5");
  EXPECT_EQ(format_float(15.529012), "15.529012");
  EXPECT_EQ(format_float(1796195384.827922), "1796195384.827922");
  EXPECT_EQ(format_float(100), "100");
}

TEST(CliDump, InfoDescAndFloat) {
  std::vector<InfoField> f = {
      {8, "Uptime_sec", "MDP", "u32", "15", "15.25"},
      {17, "CurrConns", "MGP", "u32", "3"},
      {35, "SslFrontendKeyRate", "MGP", "u32", "2", "2", "MRP"},
  };
  InfoOptions o;
  EXPECT_EQ(format_process_info(f, o), "Uptime_sec: 15\nCurrConns: 3\nSslFrontendKeyRate: 2\n\n");
  o.floats = true;
  EXPECT_EQ(format_process_info(f, o),
            "Uptime_sec: 15.25\nCurrConns: 3\nSslFrontendKeyRate: 2\n\n");
  o.format = InfoFormat::kTyped;
  EXPECT_EQ(format_process_info(f, o),
            "8.Uptime_sec.1:MDP:flt:15.25\n17.CurrConns.1:MGP:u32:3\n"
            "35.SslFrontendKeyRate.1:MRP:flt:2\n\n");
  o.desc = true;
  const std::vector<std::string> l = lines(format_process_info(f, o));
  EXPECT_EQ(l[1], std::string("17.CurrConns.1:MGP:u32:3:\"") + info_field_desc("CurrConns") + "\"");
  o.format = InfoFormat::kPlain;
  o.floats = false;
  EXPECT_EQ(lines(format_process_info(f, o))[0],
            std::string("Uptime_sec: 15:\"") + info_field_desc("Uptime_sec") + "\"");
  // JSON has no descriptions, as HAProxy; its floats are typed flt.
  o.format = InfoFormat::kJson;
  o.floats = true;
  const std::string json = format_process_info(f, o);
  EXPECT_EQ(json.find("Time since"), std::string::npos);
  EXPECT_NE(json.find("\"value\":{\"type\":\"flt\",\"value\":15.25}"), std::string::npos) << json;
}

TEST(CliDump, EveryInfoFieldHasADescription) {
  ProcessFigures p;
  RuntimeApi::ProcessInfo info;
  info.description = "d";
  for (const InfoField& f : process_info_fields(p, info))
    EXPECT_STRNE(info_field_desc(f.name), "") << f.name;
}

class CliDumpApi : public ::testing::Test {
 protected:
  CliDumpApi() : be_("app", backend::LbKind::kRoundRobin, 2) {
    testing::add_idle_servers(be_, {"s1"});
    fe_.name = "public";
    fe_.default_backend = &be_;
    api_ = std::make_unique<RuntimeApi>(std::vector<backend::Backend*>{&be_},
                                        std::vector<stream::Frontend*>{&fe_}, 1,
                                        [this](const std::function<void(int)>& fn) {
                                          loop_.make_current();
                                          fn(0);
                                        });
  }
  EventLoop loop_;
  backend::Backend be_;
  stream::Frontend fe_;
  std::unique_ptr<RuntimeApi> api_;
};

TEST_F(CliDumpApi, StatTypedDescEndsEachLineWithTheMeaning) {
  const std::vector<std::string> typed = lines(api_->execute("show stat typed", false));
  const std::vector<std::string> desc = lines(api_->execute("show stat typed desc", false));
  ASSERT_EQ(typed.size(), desc.size());
  ASSERT_GT(typed.size(), 20u);
  for (size_t i = 0; i + 1 < typed.size(); ++i) {
    ASSERT_EQ(desc[i].rfind(typed[i] + ":\"", 0), 0u) << desc[i];
    EXPECT_EQ(desc[i].back(), '"');
    EXPECT_GT(desc[i].size(), typed[i].size() + 4);
  }
  // CSV and JSON have no descriptions, as in HAProxy.
  EXPECT_EQ(api_->execute("show stat desc", false), api_->execute("show stat", false));
  EXPECT_EQ(api_->execute("show stat json desc", false), api_->execute("show stat json", false));
}

TEST_F(CliDumpApi, ActivityThreadsAndFdThroughTheApi) {
  loop_.run_once(0);
  const std::vector<std::string> act = lines(api_->execute("show activity", false));
  EXPECT_EQ(act[0], "thread_id: 0 (1..1)");
  EXPECT_EQ(act[6], "loops: 1");
  EXPECT_EQ(api_->execute("show activity 1", false),
            "'show activity' does not support '1' in Hearth.\n\n");
  const std::vector<std::string> thr = lines(api_->execute("show threads", false));
  ASSERT_EQ(thr.size(), 5u);
  EXPECT_EQ(thr[0].rfind("  Thread 1 : id=0x0 act=1 ", 0), 0u) << thr[0];
  // The loop's own notifier is its one fd here.
  const std::vector<std::string> fd = lines(api_->execute("show fd", false));
  ASSERT_EQ(fd.size(), 2u);
  EXPECT_NE(fd[0].find(" tmask=0x1 umask=0x0 prmsk=0x1 pwmsk=0x0 owner=0x"), std::string::npos);
  EXPECT_NE(fd[0].find("(loop_notifier)"), std::string::npos);
  const std::string num = fd[0].substr(0, fd[0].find(':'));
  EXPECT_EQ(api_->execute("show fd " + std::to_string(std::stoi(num)), false), fd[0] + "\n\n");
  EXPECT_EQ(api_->execute("show fd 99999", false), "\n");
  EXPECT_EQ(api_->execute("show fd x", false), "'show fd' expects a file descriptor number.\n\n");
  EXPECT_EQ(api_->execute("show fd -1", false), "'show fd' expects a file descriptor number.\n\n");
}

TEST_F(CliDumpApi, HelpListsTheNewCommands) {
  const std::string help = api_->execute("help", false);
  for (const char* c :
       {"  show activity ", "  show threads ", "  show fd [NUM] ", "  show schema json ",
        "  show info [typed|json] [desc] [float] ", "  show stat [typed|json] [desc]"})
    EXPECT_NE(help.find(c), std::string::npos) << c;
}

}  // namespace
}  // namespace hearth::admin
