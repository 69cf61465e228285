// The level of a traffic log line: info, err for errors under
// option log-separate-errors, set-log-level first, and option dontlog-normal.
#include <gtest/gtest.h>

#include "stream/access_log.h"

namespace hearth::stream {
namespace {

expr::LogRecord record(const char* term, int status = 200, int retries = 0, bool redisp = false) {
  expr::LogRecord r;
  r.term = term;
  r.status = status;
  r.retries = retries;
  r.redispatched = redisp;
  return r;
}

TEST(TrafficLogLevel, ErrorsAsHaproxyCountsThem) {
  FrontendLog log;
  log.separate_errors = true;
  const int8_t unset = config::kLogNotSet;
  EXPECT_EQ(traffic_log_level(log, record("--"), unset), config::kLogInfo);
  EXPECT_EQ(traffic_log_level(log, record("LR"), unset), config::kLogInfo);  // local: no error
  EXPECT_EQ(traffic_log_level(log, record("SC", 503), unset), config::kLogErr);
  EXPECT_EQ(traffic_log_level(log, record("cD"), unset), config::kLogErr);
  EXPECT_EQ(traffic_log_level(log, record("--", 500), unset), config::kLogErr);
  EXPECT_EQ(traffic_log_level(log, record("--", 200, 1), unset), config::kLogErr);
  EXPECT_EQ(traffic_log_level(log, record("--", 200, 0, true), unset), config::kLogErr);
  // set-log-level decides over the option.
  EXPECT_EQ(traffic_log_level(log, record("SC", 503), config::kLogNotice), config::kLogNotice);
  log.separate_errors = false;
  EXPECT_EQ(traffic_log_level(log, record("SC", 503), unset), config::kLogInfo);
}

TEST(TrafficLogLevel, DontlogNormalKeepsErrorsOnly) {
  FrontendLog log;
  log.dontlog_normal = true;
  EXPECT_EQ(traffic_log_level(log, record("--"), config::kLogNotSet), config::kLogSilent);
  EXPECT_EQ(traffic_log_level(log, record("--"), config::kLogAlert), config::kLogSilent);
  EXPECT_EQ(traffic_log_level(log, record("SC", 503), config::kLogNotSet), config::kLogInfo);
}

}  // namespace
}  // namespace hearth::stream
