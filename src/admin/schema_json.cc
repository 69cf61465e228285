#include "admin/schema_json.h"

namespace hearth::admin {

const char* stats_json_schema() {
  // The schema's own quirks are kept: the Stat items' title "InfoItem", its
  // property "typedValue" while "value" is required, and the space in the
  // nature enum.
  return "{\"$schema\":\"http://json-schema.org/draft-04/"
         "schema#\",\"oneOf\":[{\"title\":\"Info\",\"type\":\"ar"
         "ray\",\"items\":{\"title\":\"InfoItem\",\"type\":\"object\",\"properties\":{\"field\":{"
         "\"$ref\":\"#/defini"
         "tions/field\"},\"processNum\":{\"$ref\":\"#/definitions/"
         "processNum\"},\"tags\":{\"$ref\":\"#/definit"
         "ions/tags\"},\"value\":{\"$ref\":\"#/definitions/"
         "typedValue\"}},\"required\":[\"field\",\"processNum"
         "\",\"tags\",\"value\"]}},{\"title\":\"Stat\",\"type\":\"array\",\"items\":{\"title\":"
         "\"InfoItem\",\"type\":\"o"
         "bject\",\"properties\":{\"objType\":{\"enum\":[\"Frontend\",\"Backend\",\"Listener\","
         "\"Server\",\"Unknow"
         "n\"]},\"proxyId\":{\"type\":\"integer\",\"minimum\":0},\"id\":{\"type\":\"integer\","
         "\"minimum\":0},\"field"
         "\":{\"$ref\":\"#/definitions/field\"},\"processNum\":{\"$ref\":\"#/definitions/"
         "processNum\"},\"tags\""
         ":{\"$ref\":\"#/definitions/tags\"},\"typedValue\":{\"$ref\":\"#/definitions/"
         "typedValue\"}},\"requir"
         "ed\":[\"objType\",\"proxyId\",\"id\",\"field\",\"processNum\",\"tags\",\"value\"]}},{"
         "\"title\":\"Error\",\"t"
         "ype\":\"object\",\"properties\":{\"errorStr\":{\"type\":\"string\"}},\"required\":["
         "\"errorStr\"]}],\"def"
         "initions\":{\"field\":{\"type\":\"object\",\"pos\":{\"type\":\"integer\",\"minimum\":0},"
         "\"name\":{\"type\":"
         "\"string\"},\"required\":[\"pos\",\"name\"]},\"processNum\":{\"type\":\"integer\","
         "\"minimum\":1},\"tags\":"
         "{\"type\":\"object\",\"origin\":{\"type\":\"string\",\"enum\":[\"Metric\",\"Status\","
         "\"Key\",\"Config\",\"Pro"
         "duct\",\"Unknown\"]},\"nature\":{\"type\":\"string\",\"enum\":[\"Gauge\",\"Limit\","
         "\"Min\",\"Max\",\"Rate\",\""
         "Counter\",\"Duration\",\"Age\",\"Time\",\"Name\",\"Output\",\"Avg\", "
         "\"Unknown\"]},\"scope\":{\"type\":\"str"
         "ing\",\"enum\":[\"Cluster\",\"Process\",\"Service\",\"System\",\"Unknown\"]},"
         "\"required\":[\"origin\",\"na"
         "ture\",\"scope\"]},\"typedValue\":{\"type\":\"object\",\"oneOf\":[{\"$ref\":\"#/"
         "definitions/typedValue"
         "/definitions/s32Value\"},{\"$ref\":\"#/definitions/typedValue/definitions/"
         "s64Value\"},{\"$ref\""
         ":\"#/definitions/typedValue/definitions/u32Value\"},{\"$ref\":\"#/definitions/typedValue/"
         "defi"
         "nitions/u64Value\"},{\"$ref\":\"#/definitions/typedValue/definitions/"
         "strValue\"}],\"definition"
         "s\":{\"s32Value\":{\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"s32\"]},"
         "\"value\":{\"type\":\"i"
         "nteger\",\"minimum\":-2147483648,\"maximum\":2147483647}},\"required\":[\"type\","
         "\"value\"]},\"s64Va"
         "lue\":{\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"s64\"]},\"value\":{"
         "\"type\":\"integer\",\"m"
         "inimum\":-9007199254740991,\"maximum\":9007199254740991}},\"required\":[\"type\","
         "\"value\"]},\"u32"
         "Value\":{\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"u32\"]},\"value\":{"
         "\"type\":\"integer\","
         "\"minimum\":0,\"maximum\":4294967295}},\"required\":[\"type\",\"value\"]},\"u64Value\":{"
         "\"properties\""
         ":{\"type\":{\"type\":\"string\",\"enum\":[\"u64\"]},\"value\":{\"type\":\"integer\","
         "\"minimum\":0,\"maximum"
         "\":9007199254740991}},\"required\":[\"type\",\"value\"]},\"strValue\":{\"properties\":{"
         "\"type\":{\"typ"
         "e\":\"string\",\"enum\":[\"str\"]},\"value\":{\"type\":\"string\"}},\"required\":["
         "\"type\",\"value\"]},\"unk"
         "nownValue\":{\"properties\":{\"type\":{\"type\":\"integer\",\"minimum\":0},\"value\":{"
         "\"type\":\"string\""
         ",\"enum\":[\"unknown\"]}},\"required\":[\"type\",\"value\"]}}}}}";
}

std::string cli_schema_command(const std::vector<std::string>& w) {
  if (w.size() < 2 || w[0] != "show" || w[1] != "schema") return "";
  if (w.size() != 3 || w[2] != "json") return "'show schema' expects 'json'.\n\n";
  return std::string(stats_json_schema()) + "\n\n";
}

}  // namespace hearth::admin
