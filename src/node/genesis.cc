#include "node/genesis.h"

#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace onechain::node {

Result<pb::Genesis> ParseGenesisJson(std::string_view json) {
  pb::Genesis genesis;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &genesis);
  if (!status.ok()) {
    return Status(pb::Status::MALFORMED, "genesis is not valid JSON of a Genesis message: " +
                                             std::string(status.message()));
  }
  if (Status st = ValidateGenesis(genesis); !st.ok()) return st;
  return genesis;
}

Result<pb::Genesis> LoadGenesisFile(const std::string& path) {
  Result<std::string> text = ReadFile(path, kGenesisBytesMax);
  if (!text.ok()) return text.status();
  return ParseGenesisJson(*text);
}

std::string GenesisJson(const pb::Genesis& genesis) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(genesis, &out, options);
  return out;
}

std::string GenesisBytes(const pb::Genesis& genesis) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  genesis.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

Status ValidateGenesis(pb::Genesis& genesis) {
  const crypto::Suite* suite = crypto::GetSuite(genesis.suite());
  if (suite == nullptr) return Status(pb::Status::INVALID_ARGUMENT, "genesis names no known suite");
  if (genesis.chain_id().empty() || genesis.chain_id().size() > 64) {
    return Status(pb::Status::INVALID_ARGUMENT, "genesis chain id must be 1 to 64 bytes");
  }
  if (genesis.orgs().empty()) {
    return Status(pb::Status::INVALID_ARGUMENT, "genesis needs at least one organization");
  }
  if (genesis.validators().empty()) {
    return Status(pb::Status::INVALID_ARGUMENT, "genesis needs at least one validator");
  }
  std::set<std::string> org_ids;
  for (const auto& org : genesis.orgs()) {
    if (!org_ids.insert(org.id()).second) {
      return Status(pb::Status::INVALID_ARGUMENT, "organization '" + org.id() + "' is repeated");
    }
    if (org.admin_public_key().size() != suite->public_key_bytes()) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "admin key of organization '" + org.id() + "' has the wrong size");
    }
  }
  for (const auto& validator : genesis.validators()) {
    if (validator.public_key().size() != suite->public_key_bytes()) {
      return Status(pb::Status::INVALID_ARGUMENT, "a validator key has the wrong size");
    }
    if (org_ids.count(validator.org_id()) == 0) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "validator names unknown organization '" + validator.org_id() + "'");
    }
  }
  pb::NetworkParams* params = genesis.mutable_params();
  if (params->claim_period_min_days() == 0) params->set_claim_period_min_days(30);
  if (params->claim_period_max_days() == 0) params->set_claim_period_max_days(90);
  if (params->first_meeting_max_days_after_period() == 0) {
    params->set_first_meeting_max_days_after_period(15);
  }
  if (params->claim_period_min_days() > params->claim_period_max_days()) {
    return Status(pb::Status::INVALID_ARGUMENT, "claim period bounds are inverted");
  }
  if (params->day_ms() > 86'400'000) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "params.day_ms " + std::to_string(params->day_ms()) +
                      " is longer than a day; use 0 for real days or a shorter demo day");
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path, size_t bytes_max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(pb::Status::NOT_FOUND, "cannot open " + path);
  std::string out;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    out.append(buffer, static_cast<size_t>(in.gcount()));
    if (out.size() > bytes_max) {
      return Status(pb::Status::TOO_LARGE,
                    path + " is larger than " + std::to_string(bytes_max) + " bytes");
    }
  }
  return out;
}

Status WriteFile(const std::string& path, std::string_view contents, unsigned mode) {
  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status(pb::Status::IO, "cannot write " + temp + ": " + std::strerror(errno));
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status(pb::Status::IO, "cannot write " + temp + ": " + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(temp.c_str(), path.c_str()) != 0) {
    return Status(pb::Status::IO, "cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace onechain::node
