// Genesis files: protobuf JSON of pb::Genesis. The genesis hash is the suite hash of the
// deterministic binary serialization of the parsed message.
#pragma once

#include <string>

#include "block.pb.h"
#include "crypto/crypto.h"
#include "util/status.h"

namespace onechain::node {

inline constexpr size_t kGenesisBytesMax = 1 << 20;

Result<pb::Genesis> ParseGenesisJson(std::string_view json);
Result<pb::Genesis> LoadGenesisFile(const std::string& path);
std::string GenesisJson(const pb::Genesis& genesis);
std::string GenesisBytes(const pb::Genesis& genesis);
// Checks the suite, chain id, organizations and validators; fills default parameters.
Status ValidateGenesis(pb::Genesis& genesis);

// File helpers shared by the node and the CLI.
Result<std::string> ReadFile(const std::string& path, size_t bytes_max);
// Writes atomically (temp file, fsync, rename); `mode` applies to the new file.
Status WriteFile(const std::string& path, std::string_view contents, unsigned mode = 0644);

}  // namespace onechain::node
