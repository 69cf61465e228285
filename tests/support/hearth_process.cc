#include "support/hearth_process.h"

#include <signal.h>

#include "support/ports.h"
#include "support/wait.h"

#ifndef HEARTH_BINARY
#error "HEARTH_BINARY must be defined by the build"
#endif
#ifndef HEARTH_SOURCE_DIR
#error "HEARTH_SOURCE_DIR must be defined by the build"
#endif

namespace hearth::test {

const char* hearth_binary() { return HEARTH_BINARY; }
const char* hearth_source_dir() { return HEARTH_SOURCE_DIR; }

std::string expand(std::string_view tmpl,
                   const std::vector<std::pair<std::string, std::string>>& vars) {
  std::string out;
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find("${", pos);
    size_t close = open == std::string_view::npos ? open : tmpl.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(tmpl.substr(pos, open - pos));
    std::string_view name = tmpl.substr(open + 2, close - open - 2);
    const std::string* value = nullptr;
    for (const auto& [k, v] : vars) {
      if (k == name) value = &v;
    }
    out.append(value != nullptr ? std::string_view(*value) : tmpl.substr(open, close - open + 1));
    pos = close + 1;
  }
  out.append(tmpl.substr(pos < tmpl.size() ? pos : tmpl.size()));
  return out;
}

HearthProcess::HearthProcess(std::string_view config_text, HearthOptions options)
    : config_path_(dir_.file("hearth.cfg")) {
  if (!write_file(config_path_, config_text)) {
    not_ready_reason_ = "cannot write " + config_path_;
    process_ = std::make_unique<Process>(ProcessOptions{.output_path = dir_.file("output.log")});
    return;
  }
  ProcessOptions popts;
  popts.argv = {options.binary.empty() ? hearth_binary() : options.binary, "-f", config_path_};
  popts.argv.insert(popts.argv.end(), options.extra_args.begin(), options.extra_args.end());
  popts.extra_env = options.extra_env;
  popts.inherited_fds = options.inherited_fds;
  popts.output_path = dir_.file("output.log");
  popts.nofile = options.nofile;
  process_ = std::make_unique<Process>(std::move(popts));
  ready_ = wait_ready(options);
}

bool HearthProcess::wait_ready(const HearthOptions& options) {
  if (!process_->started()) {
    not_ready_reason_ = "did not start: " + process_->error();
    return false;
  }
  auto met = [&] {
    for (uint16_t port : options.wait_ports) {
      if (!port_listening(port)) return false;
    }
    return options.wait_output.empty() ||
           process_->output().find(options.wait_output) != std::string::npos;
  };
  bool exited = false;
  bool ok = wait_until(
      [&] {
        if (met()) return true;
        exited = !process_->running();
        return exited;
      },
      options.timeout);
  if (ok && !exited && process_->running()) return true;
  exited = exited || !process_->running();
  not_ready_reason_ = exited ? "exited with status " + std::to_string(*process_->wait_exit({}))
                             : "not ready after " + std::to_string(options.timeout.count()) + " ms";
  return false;
}

std::string HearthProcess::describe() const {
  std::string out = ready_ ? "ready" : "not ready: " + not_ready_reason_;
  out += "\nconfig " + config_path_ + ":\n" + read_file(config_path_);
  out += "\noutput:\n" + process_->output();
  return out;
}

bool HearthProcess::rewrite_config(std::string_view config_text) {
  return write_file(config_path_, config_text);
}

std::optional<int> HearthProcess::stop(std::chrono::milliseconds timeout) {
  if (!process_->started()) return std::nullopt;
  process_->send_signal(SIGTERM);
  std::optional<int> status = process_->wait_exit(timeout);
  if (status) return status;
  process_->send_signal(SIGKILL);
  return process_->wait_exit(std::chrono::milliseconds{5000});
}

RunResult HearthProcess::check_config(std::string_view config_text,
                                      std::vector<std::string> extra_args, std::string binary) {
  TempDir dir;
  RunResult result;
  result.config_path = dir.file("hearth.cfg");
  if (!write_file(result.config_path, config_text)) {
    result.output = "cannot write " + result.config_path;
    return result;
  }
  ProcessOptions popts;
  popts.argv = {binary.empty() ? hearth_binary() : binary, "-c", "-f", result.config_path};
  popts.argv.insert(popts.argv.end(), extra_args.begin(), extra_args.end());
  popts.output_path = dir.file("output.log");
  Process proc(std::move(popts));
  if (!proc.started()) {
    result.output = proc.error();
    return result;
  }
  std::optional<int> code = proc.wait_exit(std::chrono::milliseconds{10000});
  if (!code) {
    proc.send_signal(SIGKILL);
    code = proc.wait_exit(std::chrono::milliseconds{5000});
  }
  result.exit_code = code.value_or(-SIGKILL);
  result.output = proc.output();
  return result;
}

}  // namespace hearth::test
