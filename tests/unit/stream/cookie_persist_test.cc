// The persistence decision of one transaction (stream/cookie_persist.h),
// without sockets: a backend of three servers, request and response heads
// built by hand, the wall clock given (so the maxidle / maxlife boundaries
// are exact). The table is the one of docs/architecture.md.
#include "stream/cookie_persist.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http/persist_cookie.h"

namespace hearth::stream {
namespace {

using Mode = config::CookieConfig::Mode;
constexpr int64_t kNow = 1796155392;  // a multiple of 4, as the stamps are

struct Fixture {
  backend::Backend be{"be", config::BalanceAlgo::kRoundRobin, 2};
  backend::Server* s[3] = {};
  config::CookieCapture cap;
  explicit Fixture(Mode mode, bool indirect = false) {
    be.settings.cookie.name = "SRV";
    be.settings.cookie.mode = mode;
    be.settings.cookie.indirect = indirect;
    const char* values[] = {"a1", "b2", ""};
    for (int i = 0; i < 3; ++i) {
      auto srv = std::make_unique<backend::Server>();
      srv->name = "s" + std::to_string(i + 1);
      srv->set_cookie(values[i]);
      s[i] = be.add_server(std::move(srv));
    }
    be.finalize();
  }
  // Runs the request side over one Cookie field (none if empty).
  CookieState request(const std::string& cookie, std::string* sent = nullptr, int64_t now = kNow,
                      backend::Server* assigned = nullptr) {
    CookieState st;
    http::MsgHead req;
    EXPECT_TRUE(req.init(4));
    if (!cookie.empty()) req.fields().add("cookie", cookie);
    EXPECT_TRUE(cookie_request(&be, cap, req, assigned, now, &st));
    if (sent) {
      const http::HeaderField* f = req.fields().find("cookie");
      *sent = f ? std::string(f->value) : "<none>";
    }
    return st;
  }
  // Runs the response side for `srv` with an optional Set-Cookie from it.
  // Returns: the Set-Cookie fields sent on, joined by " | ".
  std::string response(CookieState& st, backend::Server* srv, const std::string& set_cookie,
                       http::Method m = http::Method::kGet, int64_t now = kNow,
                       std::string* cache_control = nullptr) {
    http::MsgHead res;
    EXPECT_TRUE(res.init(6));
    res.status = 200;
    res.fields().add("expires", "0");
    if (!set_cookie.empty()) res.fields().add("set-cookie", set_cookie);
    cookie_server_known(srv, &st);
    EXPECT_TRUE(cookie_response(be, cap, srv, m, res, now, &st));
    std::string out;
    for (const auto& f : res.fields()) {
      if (f.name == "set-cookie") out += (out.empty() ? "" : " | ") + std::string(f.value);
      if (f.name == "cache-control" && cache_control) *cache_control = std::string(f.value);
    }
    return out;
  }
};

std::string stamp(int64_t t) {
  char b[5];
  http::s30_to_b64(uint32_t(t >> 2), b);
  return std::string(b, 5);
}

TEST(CookiePersistRequest, AbsentInvalidValid) {
  Fixture f(Mode::kInsert, true);
  std::string sent;
  CookieState st = f.request("", &sent);
  EXPECT_EQ(st.req, 'N');
  EXPECT_FALSE(st.direct);
  st = f.request("SRV=zz", &sent);
  EXPECT_EQ(st.req, 'I');
  EXPECT_EQ(sent, "<none>");  // insert indirect: removed even when invalid
  st = f.request("x=1; SRV=b2", &sent);
  EXPECT_EQ(st.req, 'V');
  EXPECT_TRUE(st.direct);
  EXPECT_EQ(st.server, f.s[1]);
  EXPECT_EQ(sent, "x=1");
  st = f.request("SRV=", &sent);  // an empty value never matches a server without one
  EXPECT_EQ(st.req, 'I');
}

TEST(CookiePersistRequest, DownServerPersistForceIgnore) {
  Fixture f(Mode::kInsert);
  f.s[1]->disabled.store(true);
  CookieState st = f.request("SRV=b2");
  EXPECT_EQ(st.req, 'D');
  EXPECT_FALSE(st.direct);
  f.be.settings.persist = true;
  st = f.request("SRV=b2");
  EXPECT_EQ(st.req, 'D');
  EXPECT_TRUE(st.direct);
  EXPECT_EQ(st.server, f.s[1]);
  f.be.settings.persist = false;
  CookieState forced;
  forced.force = true;
  http::MsgHead req;
  ASSERT_TRUE(req.init(2));
  req.fields().add("cookie", "SRV=b2");
  ASSERT_TRUE(cookie_request(&f.be, f.cap, req, nullptr, kNow, &forced));
  EXPECT_TRUE(forced.direct);
  CookieState ignored;
  ignored.ignore = true;
  ASSERT_TRUE(cookie_request(&f.be, f.cap, req, nullptr, kNow, &ignored));
  EXPECT_EQ(ignored.req, 'U');
  EXPECT_FALSE(ignored.direct);
}

TEST(CookiePersistRequest, UseServerMakesTheCookieUnused) {
  Fixture f(Mode::kInsert);
  CookieState st = f.request("SRV=a1", nullptr, kNow, f.s[2]);
  EXPECT_EQ(st.req, 'U');
  EXPECT_TRUE(st.direct);
  EXPECT_EQ(st.server, f.s[2]);
  EXPECT_EQ(f.response(st, f.s[2], ""), "");  // direct: nothing inserted
  EXPECT_EQ(st.res, 'N');
}

TEST(CookiePersistRequest, FirstChoosingOccurrenceWins) {
  Fixture f(Mode::kInsert);
  EXPECT_EQ(f.request("SRV=zz; SRV=a1").server, f.s[0]);
  CookieState st = f.request("SRV=a1; SRV=b2");
  EXPECT_EQ(st.req, 'V');
  EXPECT_EQ(st.server, f.s[0]);
}

TEST(CookiePersistRequest, MaxIdleBoundaries) {
  Fixture f(Mode::kInsert, true);
  f.be.settings.cookie.maxidle_s = 60;
  const std::string last = stamp(kNow - 60);
  EXPECT_EQ(f.request("SRV=a1|" + last).req, 'V');  // exactly maxidle: still valid
  EXPECT_EQ(f.request("SRV=a1|" + last, nullptr, kNow + 1).req, 'E');  // one second more
  EXPECT_EQ(f.request("SRV=a1|" + stamp(kNow + 86400)).req, 'V');
  EXPECT_EQ(f.request("SRV=a1|" + stamp(kNow + 86404)).req, 'E');  // more than a day ahead
  EXPECT_EQ(f.request("SRV=a1|$$$$$").req, 'V');                   // no readable date: no date
}

TEST(CookiePersistRequest, MaxLifeIsCheckedFirst) {
  Fixture f(Mode::kInsert);
  f.be.settings.cookie.maxidle_s = 60;
  f.be.settings.cookie.maxlife_s = 3600;
  CookieState st = f.request("SRV=a1|" + stamp(kNow - 400) + "|" + stamp(kNow - 3604));
  EXPECT_EQ(st.req, 'O');
  EXPECT_EQ(st.first_date, 0);
  st = f.request("SRV=a1|" + stamp(kNow) + "|" + stamp(kNow - 100));
  EXPECT_EQ(st.req, 'V');
  EXPECT_EQ(st.first_date, kNow - 100);
  EXPECT_EQ(st.last_date, kNow);
}

TEST(CookiePersistRequest, PrefixDropsTheServerPart) {
  Fixture f(Mode::kPrefix);
  std::string sent;
  CookieState st = f.request("SRV=b2~app; o=1", &sent);
  EXPECT_EQ(st.req, 'V');
  EXPECT_EQ(sent, "SRV=app; o=1");
  st = f.request("SRV=zz~app", &sent);
  EXPECT_EQ(st.req, 'I');
  EXPECT_EQ(sent, "SRV=app");
}

TEST(CookiePersistResponse, InsertDeleteAndCacheControl) {
  Fixture f(Mode::kInsert, true);
  f.be.settings.cookie.nocache = true;
  CookieState st = f.request("");
  std::string cc;
  EXPECT_EQ(f.response(st, f.s[0], "SRV=theirs", http::Method::kGet, kNow, &cc), "SRV=a1; path=/");
  EXPECT_EQ(st.res, 'I');
  EXPECT_EQ(cc, "private");
  st = f.request("SRV=a1");
  EXPECT_EQ(f.response(st, f.s[0], "SRV=theirs"), "");
  EXPECT_EQ(st.res, 'D');
  st = f.request("");
  EXPECT_EQ(f.response(st, f.s[2], ""), "SRV=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/");
}

TEST(CookiePersistResponse, RedispatchedCookieIsReplaced) {
  Fixture f(Mode::kInsert);
  CookieState st = f.request("SRV=a1");
  EXPECT_EQ(f.response(st, f.s[1], ""), "SRV=b2; path=/");  // served by another server
  EXPECT_EQ(st.req, 'D');
  EXPECT_EQ(st.res, 'I');
}

TEST(CookiePersistResponse, DatesAndAttributes) {
  Fixture f(Mode::kInsert);
  config::CookieConfig& c = f.be.settings.cookie;
  c.maxidle_s = 60;
  c.maxlife_s = 3600;
  c.domains = {".a.example", ".b.example"};
  c.httponly = c.secure = true;
  c.attrs = {"SameSite=Lax", "Partitioned"};
  CookieState st = f.request("");
  const std::string now = stamp(kNow + 3);
  EXPECT_EQ(f.response(st, f.s[0], ""),
            "SRV=a1|" + now + "|" + now +
                "; path=/; domain=.a.example; domain=.b.example; HttpOnly; Secure; "
                "SameSite=Lax; Partitioned");
  // A cookie seen in this 4-second step needs no new date: nothing is sent.
  st = f.request("SRV=a1|" + stamp(kNow + 3) + "|" + stamp(kNow - 100));
  EXPECT_EQ(f.response(st, f.s[0], ""), "");
  EXPECT_EQ(st.res, 'N');
  // An older one is refreshed, its first date kept.
  st = f.request("SRV=a1|" + stamp(kNow - 8) + "|" + stamp(kNow - 100));
  EXPECT_EQ(f.response(st, f.s[0], "").substr(0, 18), "SRV=a1|" + now + "|" + stamp(kNow - 100));
  EXPECT_EQ(st.res, 'U');
}

TEST(CookiePersistResponse, RewritePrefixPreservePostOnly) {
  Fixture rw(Mode::kRewrite);
  CookieState st = rw.request("");
  EXPECT_EQ(rw.response(st, rw.s[1], "SRV=x; path=/p"), "SRV=b2; path=/p");
  EXPECT_EQ(st.res, 'R');
  Fixture px(Mode::kPrefix);
  st = px.request("");
  EXPECT_EQ(px.response(st, px.s[0], "SRV=x"), "SRV=a1~x");
  Fixture pv(Mode::kInsert);
  pv.be.settings.cookie.preserve = true;
  st = pv.request("");
  EXPECT_EQ(pv.response(st, pv.s[0], "SRV=mine"), "SRV=mine");
  EXPECT_EQ(st.res, 'P');
  Fixture po(Mode::kInsert);
  po.be.settings.cookie.postonly = true;
  st = po.request("");
  EXPECT_EQ(po.response(st, po.s[0], ""), "");
  st = po.request("");
  EXPECT_EQ(po.response(st, po.s[0], "", http::Method::kPost), "SRV=a1; path=/");
}

TEST(CookiePersistCapture, FirstMatchCutToLength) {
  Fixture f(Mode::kInsert);
  f.cap.name = "SRV=";
  f.cap.len = 5;
  CookieState st = f.request("SRVX=1; SRV=a1");
  EXPECT_TRUE(st.cap_req_set);
  EXPECT_EQ(st.captured_req(), "SRV=a");
  f.response(st, f.s[1], "SRV=long-value");
  EXPECT_EQ(st.captured_res(), "SRV=l");
}

}  // namespace
}  // namespace hearth::stream
