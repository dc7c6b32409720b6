// Genesis files: protobuf JSON of pb::Genesis, parsed and validated as `onechain node` loads
// them, then hashed the way the chain id is bound.
#include "fuzz/fixtures.h"
#include "node/genesis.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onechain;
  std::string_view json = fuzz::AsView(data, size);
  if (json.size() > node::kGenesisBytesMax) return 0;  // LoadGenesisFile reads no more
  Result<pb::Genesis> genesis = node::ParseGenesisJson(json);
  if (!genesis.ok()) return 0;
  // A valid genesis prints and parses back to the same bytes.
  Result<pb::Genesis> again = node::ParseGenesisJson(node::GenesisJson(*genesis));
  if (!again.ok() || node::GenesisBytes(*again) != node::GenesisBytes(*genesis)) __builtin_trap();
  return 0;
}
