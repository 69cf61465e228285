// map, map_<match>, map_<match>_<output> (HAProxy manual 7.3.1): the key is
// the converter's input, the value the map's, else the default argument.
#include <memory>
#include <string>
#include <vector>

#include "expr/converter.h"
#include "expr/map.h"

namespace hearth::expr {
namespace {

bool conv_map(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  if (a[0].map->lookup(smp, &smp)) return true;
  if (n < 2) return false;
  // The default, typed when the configuration was read.
  Sample d;
  if (!Map::typed_value(a[1].str, a[0].map->out(), &d)) return false;
  smp = d;
  return true;
}

bool check_map(const ConvDef& def, std::vector<Arg>& args, std::string* err) {
  args[0].map = Map::load(args[0].str, MatchMethod(def.map_match), def.out, def.map_regm,
                          file_patterns(), err);
  if (!args[0].map) return false;
  if (args.size() > 1) {
    Sample d;
    if (!Map::typed_value(args[1].str, def.out, &d)) {
      *err = std::string(def.name) + ": default value '" + args[1].str + "' is not of type " +
             type_name(def.out);
      return false;
    }
  }
  return true;
}

struct Variant {
  std::string name;
  ConvDef def;
};

const std::vector<std::unique_ptr<Variant>>& variants() {
  static const std::vector<std::unique_ptr<Variant>> v = [] {
    std::vector<std::unique_ptr<Variant>> out;
    struct Match {
      const char* name;
      MatchMethod m;
      SmpType in;
      bool regm;
    };
    const Match matches[] = {
        {"str", MatchMethod::kStr, SmpType::kStr, false},
        {"beg", MatchMethod::kBeg, SmpType::kStr, false},
        {"sub", MatchMethod::kSub, SmpType::kStr, false},
        {"dir", MatchMethod::kDir, SmpType::kStr, false},
        {"dom", MatchMethod::kDom, SmpType::kStr, false},
        {"end", MatchMethod::kEnd, SmpType::kStr, false},
        {"reg", MatchMethod::kReg, SmpType::kStr, false},
        {"regm", MatchMethod::kReg, SmpType::kStr, true},
        {"int", MatchMethod::kInt, SmpType::kSint, false},
        {"ip", MatchMethod::kIp, SmpType::kAddr, false},
    };
    const std::pair<const char*, SmpType> outputs[] = {{"", SmpType::kStr},
                                                       {"_str", SmpType::kStr},
                                                       {"_int", SmpType::kSint},
                                                       {"_ip", SmpType::kAddr}};
    auto add = [&out](std::string name, const Match& m, SmpType o) {
      auto var = std::make_unique<Variant>();
      var->name = std::move(name);
      var->def.name = var->name;
      var->def.args = ArgSpec{1, {ArgType::kStr, ArgType::kStr}};
      var->def.in = m.in;
      var->def.out = o;
      var->def.fn = conv_map;
      var->def.check = check_map;
      var->def.map_match = uint8_t(m.m);
      var->def.map_regm = m.regm;
      out.push_back(std::move(var));
    };
    add("map", matches[0], SmpType::kStr);
    for (const Match& m : matches) {
      for (const auto& [suffix, o] : outputs) {
        if (m.regm && o != SmpType::kStr) continue;  // back-references make strings
        add(std::string("map_") + m.name + suffix, m, o);
      }
    }
    return out;
  }();
  return v;
}

}  // namespace

const ConvDef* find_map_converter(std::string_view name) {
  if (name.substr(0, 3) != "map") return nullptr;
  for (const auto& v : variants())
    if (v->name == name) return &v->def;
  return nullptr;
}

}  // namespace hearth::expr
