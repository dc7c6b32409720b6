// Bounds on everything consensus decodes, collects or keeps (docs/consensus.md §8). Units last.
#pragma once

#include <cstddef>
#include <cstdint>

namespace onechain::consensus {

inline constexpr size_t kValidatorsMax = 256;
inline constexpr size_t kChainIdBytesMax = 64;
inline constexpr size_t kBlockBatchesMax = 64;
inline constexpr size_t kBatchBytesMax = 1ull << 20;
inline constexpr size_t kBlockPayloadBytesMax = 8ull << 20;
// A message holds at most one block's payload plus certificates and framing.
inline constexpr size_t kMessageBytesMax = kBlockPayloadBytesMax + (256ull << 10);
inline constexpr size_t kResponseBlocksMax = 16;
inline constexpr size_t kResponseBytesMax = kMessageBytesMax;
inline constexpr uint64_t kRoundWindowMax = 64;        // collect votes/timeouts this far ahead
inline constexpr size_t kFetchPendingMax = 64;         // proposals parked while fetching parents
inline constexpr size_t kOrphanBytesMax = 64ull << 20;   // fetched blocks awaiting a parent
inline constexpr size_t kTreeBlocksMax = 4096;         // uncommitted blocks kept in memory
inline constexpr size_t kVerifiedCacheMax = 1024;      // certificates already verified
inline constexpr int64_t kProposalTimeAheadMsMax = 10'000;
inline constexpr int64_t kTimeoutBackoffShiftMax = 3;  // timeout(r) <= base * 2^3

}  // namespace onechain::consensus
