#include "config/lexer.h"

#include <cstdlib>

namespace hearth::config {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One pass over one line. Keeps the word being built and the quoting state.
class Splitter {
 public:
  Splitter(std::string_view line, const EnvLookup& env, const LineContext& ctx)
      : in_(line), env_(env), ctx_(ctx) {}

  SplitResult run();

 private:
  enum class Quote { kNone, kSingle, kDouble };

  char at(size_t i) const { return i < in_.size() ? in_[i] : '\0'; }
  void end_word();
  void append(char c) {
    word_ += c;
    in_word_ = true;
  }
  // Requires: in_[pos_] == '\\' outside single quotes. Consumes the escape.
  bool escape();
  // Requires: in_[pos_] == '$' inside double quotes. Consumes the reference.
  bool expand();
  std::optional<std::string> lookup(const std::string& name);
  void emit_value(const std::string& value, bool split_words);
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  std::string_view in_;
  const EnvLookup& env_;
  const LineContext& ctx_;
  size_t pos_ = 0;
  Quote quote_ = Quote::kNone;
  std::string word_;
  bool in_word_ = false;  // true once a quote or a character started a word
  std::vector<std::string> words_;
  std::string error_;
  std::vector<std::string> warnings_;
};

void Splitter::end_word() {
  if (in_word_) words_.push_back(std::move(word_));
  word_.clear();
  in_word_ = false;
}

bool Splitter::escape() {
  const char next = at(pos_ + 1);
  switch (next) {
    case ' ':
    case '\\':
    case '#':
    case '\'':
    case '"':
      append(next);
      pos_ += 2;
      return true;
    case 't':
      append('\t');
      pos_ += 2;
      return true;
    case 'n':
      append('\n');
      pos_ += 2;
      return true;
    case 'r':
      append('\r');
      pos_ += 2;
      return true;
    case '$':
      if (quote_ == Quote::kDouble) {
        append('$');
        pos_ += 2;
        return true;
      }
      break;
    case 'x': {
      const int hi = hex_value(at(pos_ + 2));
      const int lo = hex_value(at(pos_ + 3));
      if (hi < 0 || lo < 0)
        return fail("invalid escape '\\x': expects two hex digits, as in \\x41");
      append(static_cast<char>(hi * 16 + lo));
      pos_ += 4;
      return true;
    }
    default:
      break;
  }
  append('\\');  // not an escape sequence: the backslash stays
  ++pos_;
  return true;
}

std::optional<std::string> Splitter::lookup(const std::string& name) {
  if (name == ".FILE") return std::string(ctx_.file);
  if (name == ".LINE") return std::to_string(ctx_.line);
  if (name == ".SECTION") return std::string(ctx_.section);
  return env_ ? env_(name) : std::nullopt;
}

void Splitter::emit_value(const std::string& value, bool split_words) {
  in_word_ = true;
  for (char c : value) {
    if (split_words && is_blank(c)) {
      if (!word_.empty()) end_word();
      in_word_ = false;
      continue;
    }
    append(c);
  }
}

bool Splitter::expand() {
  size_t p = pos_ + 1;
  const bool brace = at(p) == '{';
  if (brace) ++p;
  const size_t name_start = p;
  if (at(p) == '.') ++p;
  if (!is_alpha(at(p)) && at(p) != '_') {
    return fail("'$' must start a variable name such as ${NAME}; write \\$ for a literal '$'");
  }
  while (is_alpha(at(p)) || is_digit(at(p)) || at(p) == '_') ++p;
  const std::string name(in_.substr(name_start, p - name_start));
  if (name[0] == '.' && name != ".FILE" && name != ".LINE" && name != ".SECTION") {
    return fail("unknown pseudo-variable '" + name + "': expects .FILE, .LINE or .SECTION");
  }
  bool split_words = false;
  std::optional<std::string> fallback;
  if (brace) {
    if (at(p) == '[') {
      if (at(p + 1) != '*' || at(p + 2) != ']') return fail("'${" + name + "[': expects [*]");
      split_words = true;
      p += 3;
    }
    size_t close = in_.find('}', p);
    if (close == std::string_view::npos) return fail("unterminated '${" + name + "': expects '}'");
    if (at(p) == '-') {
      fallback = std::string(in_.substr(p + 1, close - p - 1));
    } else if (close != p) {
      return fail("unexpected text after '${" + name + "': expects '}' or '-default}'");
    }
    p = close + 1;
  }
  std::optional<std::string> value = lookup(name);
  if (!value) value = fallback;
  if (!value) {
    warnings_.push_back("environment variable '" + name +
                        "' is not set: it expands to an empty string (give a default as ${" + name +
                        "-value})");
    value.emplace();
  }
  emit_value(*value, split_words);
  pos_ = p;
  return true;
}

SplitResult Splitter::run() {
  while (pos_ < in_.size()) {
    const char c = in_[pos_];
    if (quote_ == Quote::kSingle) {
      if (c == '\'')
        quote_ = Quote::kNone;
      else
        word_ += c;
      ++pos_;
      continue;
    }
    if (c == '\0') {
      fail("contains a NUL byte");
      break;
    }
    const bool dq = quote_ == Quote::kDouble;
    if (c == '"') {
      quote_ = dq ? Quote::kNone : Quote::kDouble;
      in_word_ = true;
      ++pos_;
    } else if (c == '\\') {
      if (!escape()) break;
    } else if (c == '$' && dq) {
      if (!expand()) break;
    } else if (dq) {
      append(c);
      ++pos_;
    } else if (c == '#') {
      break;
    } else if (c == '\'') {
      quote_ = Quote::kSingle;
      in_word_ = true;
      ++pos_;
    } else if (is_blank(c)) {
      end_word();
      ++pos_;
    } else {
      append(c);
      ++pos_;
    }
  }
  if (error_.empty() && quote_ != Quote::kNone) {
    error_ = quote_ == Quote::kDouble ? "unterminated double quote: expects a closing '\"'"
                                      : "unterminated single quote: expects a closing \"'\"";
  }
  if (error_.empty()) end_word();
  SplitResult r;
  r.words = std::move(words_);
  r.error = std::move(error_);
  r.warnings = std::move(warnings_);
  return r;
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

SplitResult split_line(std::string_view line, const EnvLookup& env, const LineContext& ctx) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return Splitter(line, env, ctx).run();
}

}  // namespace hearth::config
