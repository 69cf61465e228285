#include "admin/server_edit_commands.h"

#include "admin/cli_target.h"
#include "backend/backend.h"

namespace hearth::admin {
namespace {

// HAProxy ends these answers with one line break, not an empty line.
std::string one_line(std::string text) {
  while (text.size() > 1 && text[text.size() - 1] == '\n' && text[text.size() - 2] == '\n')
    text.pop_back();
  return text;
}

}  // namespace

std::string cli_server_edit_command(const std::vector<std::string>& w,
                                    const std::vector<backend::Backend*>& backends,
                                    ServerEditor* editor, bool admin) {
  const bool add = w.size() >= 2 && w[0] == "add" && w[1] == "server";
  const bool del = w.size() >= 2 && w[0] == "del" && w[1] == "server";
  if (!add && !del) return "";
  if (!admin) return "Permission denied\n\n";
  if (!editor) return "This process cannot change its servers at run time.\n\n";
  ServerTarget t = find_server_target(w.size() > 2 ? w[2] : "", backends);
  if (del) {
    if (!t.srv) return one_line(t.error);
    return editor->del(*t.be, *t.srv);
  }
  if (!t.be) return one_line(t.error);
  if (!t.be->dynamic_lb())
    return "Backend must use a dynamic load balancing to support dynamic servers.\n";
  const std::string& target = w[2];
  const std::string name = target.substr(target.find('/') + 1);
  return editor->add(*t.be, name, std::vector<std::string>(w.begin() + 3, w.end()));
}

}  // namespace hearth::admin
