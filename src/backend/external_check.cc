#include "backend/external_check.h"

#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "core/ip_text.h"

namespace hearth::backend {

ExternalCheckRun external_check_run(const ExternalCheckSpec& s, const net::Address& server,
                                    int curconn) {
  char ip[kIpTextMax];
  const std::string addr = server.ip_str(ip, sizeof ip);
  const std::string port = std::to_string(server.port());
  const bool listener = !s.proxy_addr.empty();
  ExternalCheckRun r;
  r.argv = {s.command, listener ? s.proxy_addr : "NOT_USED", listener ? s.proxy_port : "NOT_USED",
            addr, port};
  r.env = {"PATH=" + s.path,
           "HAPROXY_PROXY_NAME=" + s.proxy_name,
           "HAPROXY_PROXY_ID=" + std::to_string(s.proxy_id),
           "HAPROXY_PROXY_ADDR=" + s.proxy_addr,
           "HAPROXY_PROXY_PORT=" + s.proxy_port,
           "HAPROXY_SERVER_NAME=" + s.server_name,
           "HAPROXY_SERVER_ID=" + std::to_string(s.server_id),
           "HAPROXY_SERVER_ADDR=" + addr,
           "HAPROXY_SERVER_PORT=" + port,
           "HAPROXY_SERVER_MAXCONN=" + std::to_string(s.server_maxconn),
           "HAPROXY_SERVER_CURCONN=" + std::to_string(curconn),
           std::string("HAPROXY_SERVER_SSL=") + (s.server_ssl ? "1" : "0"),
           "HAPROXY_SERVER_PROTO=" + s.server_proto};
  return r;
}

std::string find_command(const std::string& command, const std::string& path, int* err) {
  *err = 0;
  if (command.find('/') != std::string::npos) return command;
  bool denied = false;
  size_t start = 0;
  for (;;) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(start, end - start);
    // As execvp: an empty entry is the current directory.
    const std::string file = dir.empty() ? command : dir + "/" + command;
    struct stat st {};
    if (stat(file.c_str(), &st) == 0) {
      if (S_ISREG(st.st_mode) && access(file.c_str(), X_OK) == 0) return file;
      denied = true;
    }
    if (end == path.size()) break;
    start = end + 1;
  }
  *err = denied ? EACCES : ENOENT;
  return "";
}

bool may_fork(bool insecure_fork_wanted, bool privileged) {
  return insecure_fork_wanted || privileged;
}

bool process_privileged() {
  if (geteuid() == 0) return true;
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (syscall(SYS_capget, &hdr, data) != 0) return false;
  auto has = [&](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1U; };
  return has(CAP_SYS_RESOURCE) || has(CAP_SYS_ADMIN);
}

}  // namespace hearth::backend
