#include "support/test_certs.h"

#include <sys/stat.h>

#include "support/command.h"

namespace hearth::test {
namespace {

// Returns: the openssl arguments that make a new key of `type`.
std::vector<std::string> newkey(KeyType type) {
  if (type == KeyType::kEcdsa) return {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"};
  return {"-newkey", "rsa:2048"};
}

}  // namespace

TestCerts::TestCerts(const std::string& ca_name) {
  ca_pem_ = dir_.file("ca.pem");
  ca_key_ = dir_.file("ca.key");
  std::vector<std::string> argv = {"openssl", "req",   "-x509", "-nodes",
                                   "-days",   "3",     "-subj", "/O=Hearth Tests/CN=" + ca_name,
                                   "-keyout", ca_key_, "-out",  ca_pem_};
  for (const std::string& a : newkey(KeyType::kRsa)) argv.push_back(a);
  const CommandResult r = run_command(argv);
  if (r.exit_code != 0) error_ = "CA: " + r.output;
}

bool TestCerts::make(const std::string& stem, const std::string& subject, const std::string& ext,
                     KeyType type) {
  std::vector<std::string> req = {"openssl", "req",     "-new",        "-nodes", "-subj",
                                  subject,   "-keyout", stem + ".key", "-out",   stem + ".csr"};
  for (const std::string& a : newkey(type)) req.push_back(a);
  CommandResult r = run_command(req);
  if (r.exit_code != 0) {
    error_ = "req " + stem + ": " + r.output;
    return false;
  }
  if (!write_file(stem + ".ext", ext)) return false;
  r = run_command({"openssl", "x509", "-req", "-in", stem + ".csr", "-CA", ca_pem_, "-CAkey",
                   ca_key_, "-set_serial", std::to_string(++serial_), "-days", "3", "-extfile",
                   stem + ".ext", "-out", stem + ".crt"});
  if (r.exit_code != 0) {
    error_ = "x509 " + stem + ": " + r.output;
    return false;
  }
  return true;
}

std::string TestCerts::server(const std::string& file, const std::string& cn,
                              const std::vector<std::string>& sans, KeyType type, bool key_apart) {
  // The intermediate files stay apart, so that a directory of PEMs holds
  // nothing else.
  mkdir(dir_.file("parts").c_str(), 0700);
  std::string flat = file;
  for (char& ch : flat)
    if (ch == '/') ch = '_';
  const std::string stem = dir_.file("parts/" + flat);
  const size_t slash = file.rfind('/');
  if (slash != std::string::npos) mkdir(dir_.file(file.substr(0, slash)).c_str(), 0700);
  std::string ext = "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
  if (!sans.empty()) {
    ext += "subjectAltName=";
    for (size_t i = 0; i < sans.size(); ++i) ext += (i ? ",DNS:" : "DNS:") + sans[i];
    ext += "\n";
  }
  if (!make(stem, "/O=Hearth Tests/CN=" + cn, ext, type)) return "";
  const std::string path = dir_.file(file);
  const std::string cert = read_file(stem + ".crt") + read_file(ca_pem_);
  const std::string key = read_file(stem + ".key");
  if (key_apart) {
    if (!write_file(path, cert) || !write_file(path + ".key", key)) return "";
  } else if (!write_file(path, cert + key)) {
    return "";
  }
  return path;
}

std::string TestCerts::client(const std::string& file, const std::string& cn) {
  const std::string stem = dir_.file(file);
  if (!make(stem, "/C=FR/O=Hearth Tests/OU=clients/CN=" + cn,
            "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n", KeyType::kRsa))
    return "";
  const std::string pem = stem + ".pem";
  if (!write_file(pem, read_file(stem + ".crt"))) return "";
  return pem;
}

std::string TestCerts::crl(const std::string& file, const std::vector<std::string>& revoked) {
  // "openssl ca" keeps its revocations in a database: a fresh one per list.
  const std::string db = dir_.file("parts/" + file + ".db");
  mkdir(dir_.file("parts").c_str(), 0700);
  mkdir(db.c_str(), 0700);
  const std::string cnf = db + "/ca.cnf";
  if (!write_file(db + "/index.txt", "") || !write_file(db + "/crlnumber", "1000\n") ||
      !write_file(cnf, "[ca]\ndefault_ca = d\n[d]\ndatabase = " + db +
                           "/index.txt\ncrlnumber = " + db +
                           "/crlnumber\ndefault_md = sha256\ndefault_crl_days = 3\n")) {
    error_ = "crl " + file + ": cannot write its database";
    return "";
  }
  for (const std::string& cert : revoked) {
    const CommandResult r = run_command({"openssl", "ca", "-config", cnf, "-keyfile", ca_key_,
                                         "-cert", ca_pem_, "-revoke", cert});
    if (r.exit_code != 0) {
      error_ = "revoke " + cert + ": " + r.output;
      return "";
    }
  }
  const std::string path = dir_.file(file);
  const CommandResult r = run_command({"openssl", "ca", "-config", cnf, "-keyfile", ca_key_,
                                       "-cert", ca_pem_, "-gencrl", "-out", path});
  if (r.exit_code != 0) {
    error_ = "crl " + file + ": " + r.output;
    return "";
  }
  return path;
}

}  // namespace hearth::test
