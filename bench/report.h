// Measurements of onechain-bench and their report: the crypto verify rate, CPU accounting of the
// client, the node and the machine, per-transaction timings, and the table or JSON printed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/crypto.h"

namespace onechain::bench {

// Signature verifications per second on one thread through Suite::Verify, for about `seconds`:
// per second of wall time overall, and per second of the thread's CPU time in the best tenth of
// the run (what one core does when nothing else disturbs it).
struct VerifyRate {
  double per_wall_s = 0;
  double per_cpu_s = 0;
};
VerifyRate MeasureVerifyRate(const crypto::Suite& suite, double seconds);

// CPU seconds consumed so far: by this process, by process `node_pid` (0: not measured) and by
// the whole machine (busy and total, all cores).
struct CpuSnapshot {
  double client_s = 0;
  double node_s = 0;
  double machine_busy_s = 0;
  double machine_total_s = 0;
};
CpuSnapshot TakeCpuSnapshot(pid_t node_pid);

struct TxTiming {
  int64_t sent_ns = -1;       // steady clock, just before the POST was written
  int64_t replied_ns = -1;    // steady clock, reply read
  int64_t committed_ns = -1;  // steady clock, the block holding it was observed
  int64_t block_time_ms = 0;  // header.time_ms of that block (wall clock, Unix ms)
  int reject_code = -1;       // -1: admitted (202); else pb::Status::Code, or kTransportError
};
inline constexpr int kTransportError = 1000;

struct BlockSeen {
  uint64_t height = 0;
  int64_t observed_ns = 0;  // steady clock
  int64_t time_ms = 0;      // header.time_ms
  uint32_t txs = 0;         // all transactions in the block
  uint32_t ours = 0;        // transactions of this run
};

struct RunFigures {
  // Configuration.
  std::string suite, workload, node_url;
  size_t txs = 0, connections = 0, load_admins = 0, cores = 0, sign_threads = 0;
  double presign_s = 0;
  double envelope_bytes_avg = 0;  // of the run's signed transactions
  // Verify rates per core (0 when not measured).
  VerifyRate ed25519, sm2;
  bool quick_ack = false;
  double background_cores = 0;  // machine busy cores in the second before the run
  // Timed run.
  std::vector<TxTiming> timings;
  std::vector<BlockSeen> blocks;
  int64_t wall_offset_ns = 0;  // system clock − steady clock, to compare with block times
  CpuSnapshot cpu_before, cpu_after;
  bool node_cpu_measured = false;
  uint32_t max_pending = 0;                     // largest pendingTxs the poller saw
  std::map<std::string, size_t> receipt_codes;  // from the sampled receipts
  size_t receipts_sampled = 0;
};

// Derived figures as JSON (the --json output; the table prints the same numbers).
nlohmann::json Summarize(const RunFigures& run);
void PrintTable(const nlohmann::json& summary, std::ostream& out);

}  // namespace onechain::bench
