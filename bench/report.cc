#include "bench/report.h"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>

#include "types.pb.h"

namespace onechain::bench {

namespace {

constexpr size_t kVerifyBatch = 64;          // verifications between clock reads
constexpr size_t kVerifyMessageBytes = 160;  // about a serialized TxBody
constexpr int kVerifySlices = 10;

double Seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// utime + stime of /proc/<pid>/stat, in seconds; 0 if the process is gone.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  // The command name (field 2) may hold spaces; fields after its ')' are plain numbers.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int index = 3; rest >> field; ++index) {
    if (index == 14) utime = std::stod(field);
    if (index == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void MachineCpuSeconds(double* busy, double* total) {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;  // "cpu": the sum over all cores
  double value = 0, idle = 0, sum = 0;
  for (int index = 0; index < 8 && in >> value; ++index) {
    sum += value;
    if (index == 3 || index == 4) idle += value;  // idle, iowait
  }
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  *busy = (sum - idle) / tick;
  *total = sum / tick;
}

// Nearest-rank percentile of sorted `values` in milliseconds (ns in, ms out).
double PercentileMs(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / 1e6;
}

nlohmann::json Distribution(std::vector<int64_t> ns) {
  std::sort(ns.begin(), ns.end());
  return {{"count", ns.size()},
          {"p50_ms", PercentileMs(ns, 50)},
          {"p90_ms", PercentileMs(ns, 90)},
          {"p99_ms", PercentileMs(ns, 99)},
          {"max_ms", ns.empty() ? 0.0 : static_cast<double>(ns.back()) / 1e6}};
}

double Round(double value, int digits) {
  double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

nlohmann::json CpuJson(const RunFigures& run, double wall_s) {
  auto cores = [wall_s](double seconds) { return wall_s > 0 ? Round(seconds / wall_s, 2) : 0.0; };
  const CpuSnapshot& a = run.cpu_before;
  const CpuSnapshot& b = run.cpu_after;
  nlohmann::json cpu = {
      {"client_cores", cores(b.client_s - a.client_s)},
      {"machine_busy_cores", cores(b.machine_busy_s - a.machine_busy_s)},
      {"machine_cores", run.cores},
  };
  cpu["node_cores"] =
      run.node_cpu_measured ? nlohmann::json(cores(b.node_s - a.node_s)) : nlohmann::json(nullptr);
  if (run.node_cpu_measured) {
    double others =
        (b.machine_busy_s - a.machine_busy_s) - (b.client_s - a.client_s) - (b.node_s - a.node_s);
    cpu["other_processes_cores"] = cores(std::max(0.0, others));
  }
  cpu["busy_cores_before_run"] = Round(run.background_cores, 2);
  return cpu;
}

nlohmann::json BlocksJson(const RunFigures& run) {
  std::vector<const BlockSeen*> ours;
  for (const BlockSeen& block : run.blocks) {
    if (block.ours > 0) ours.push_back(&block);
  }
  nlohmann::json out = {{"count", ours.size()}};
  if (ours.empty()) return out;
  uint32_t max_txs = 0;
  uint64_t total = 0;
  for (const BlockSeen* block : ours) {
    max_txs = std::max(max_txs, block->txs);
    total += block->txs;
  }
  out["avg_txs"] = Round(static_cast<double>(total) / static_cast<double>(ours.size()), 1);
  out["max_txs"] = max_txs;
  // Throughput by block time: transactions after the first block over the time they took.
  if (ours.size() > 1) {
    int64_t span_ms = ours.back()->time_ms - ours.front()->time_ms;
    out["avg_interval_ms"] =
        Round(static_cast<double>(span_ms) / static_cast<double>(ours.size() - 1), 1);
    out["block_time_tx_per_s"] = span_ms > 0
                                     ? Round(static_cast<double>(total - ours.front()->txs) *
                                                 1000.0 / static_cast<double>(span_ms),
                                             0)
                                     : 0.0;
  }
  return out;
}

}  // namespace

VerifyRate MeasureVerifyRate(const crypto::Suite& suite, double seconds) {
  Result<std::unique_ptr<crypto::PrivateKey>> key = crypto::GenerateKey(suite.id());
  if (!key.ok()) return {};
  std::string message(kVerifyMessageBytes, '\0');
  std::mt19937 random(42);
  for (char& c : message) c = static_cast<char>(random());
  const std::string signature = (*key)->Sign(message);
  const std::string public_key = (*key)->public_key();
  // Slices of the run: the best one shows what a core does when nothing else disturbs it.
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  size_t done = 0;
  bool all_valid = true;
  VerifyRate rate;
  for (int slice = 0; slice < kVerifySlices; ++slice) {
    const auto until = start + std::chrono::duration<double>(seconds * (slice + 1) / kVerifySlices);
    const double cpu_start = ThreadCpuSeconds();
    size_t slice_done = 0;
    while (Clock::now() < until) {
      for (size_t i = 0; i < kVerifyBatch; ++i) {
        all_valid &= suite.Verify(public_key, message, signature);
      }
      slice_done += kVerifyBatch;
    }
    const double cpu_s = ThreadCpuSeconds() - cpu_start;
    if (cpu_s > 0)
      rate.per_cpu_s = std::max(rate.per_cpu_s, static_cast<double>(slice_done) / cpu_s);
    done += slice_done;
  }
  if (!all_valid) return {};
  rate.per_wall_s =
      static_cast<double>(done) / std::chrono::duration<double>(Clock::now() - start).count();
  return rate;
}

CpuSnapshot TakeCpuSnapshot(pid_t node_pid) {
  CpuSnapshot snapshot;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  snapshot.client_s = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
  if (node_pid > 0) snapshot.node_s = ProcessCpuSeconds(node_pid);
  MachineCpuSeconds(&snapshot.machine_busy_s, &snapshot.machine_total_s);
  return snapshot;
}

nlohmann::json Summarize(const RunFigures& run) {
  int64_t first_sent = INT64_MAX, last_reply = 0, last_commit = 0;
  size_t admitted = 0, committed = 0;
  std::map<std::string, size_t> rejected;
  std::vector<int64_t> commit_latency, block_latency, submit_latency;
  for (const TxTiming& t : run.timings) {
    if (t.sent_ns >= 0) first_sent = std::min(first_sent, t.sent_ns);
    last_reply = std::max(last_reply, t.replied_ns);
    if (t.sent_ns >= 0 && t.replied_ns >= 0) submit_latency.push_back(t.replied_ns - t.sent_ns);
    if (t.reject_code == -1) {
      ++admitted;
    } else if (t.reject_code == kTransportError) {
      ++rejected["TRANSPORT_ERROR"];
    } else {
      ++rejected[pb::Status::Code_Name(static_cast<pb::Status::Code>(t.reject_code))];
    }
    if (t.committed_ns < 0) continue;
    ++committed;
    last_commit = std::max(last_commit, t.committed_ns);
    commit_latency.push_back(t.committed_ns - t.sent_ns);
    block_latency.push_back(t.block_time_ms * 1'000'000 - (t.sent_ns + run.wall_offset_ns));
  }
  const double wall_s = committed > 0 ? static_cast<double>(last_commit - first_sent) / 1e9 : 0;
  const double submit_s = static_cast<double>(last_reply - first_sent) / 1e9;
  const double tx_per_s = wall_s > 0 ? static_cast<double>(committed) / wall_s : 0;
  const double suite_verify = run.suite == "sm" ? run.sm2.per_cpu_s : run.ed25519.per_cpu_s;
  auto ratio = [&](double rate) { return rate > 0 ? Round(tx_per_s / rate, 3) : 0.0; };
  nlohmann::json s;
  s["config"] = {{"suite", run.suite},
                 {"workload", run.workload},
                 {"node", run.node_url},
                 {"txs", run.txs},
                 {"connections", run.connections},
                 {"load_admins", run.load_admins},
                 {"sign_threads", run.sign_threads},
                 {"presign_s", Round(run.presign_s, 2)},
                 {"envelope_bytes_avg", Round(run.envelope_bytes_avg, 1)},
                 {"quick_ack", run.quick_ack}};
  s["verify"] = {
      {"ed25519_per_s_per_core", Round(run.ed25519.per_cpu_s, 0)},
      {"ed25519_per_s_wall", Round(run.ed25519.per_wall_s, 0)},
      {"sm2_per_s_per_core", Round(run.sm2.per_cpu_s, 0)},
      {"sm2_per_s_wall", Round(run.sm2.per_wall_s, 0)},
      {"cores", run.cores},
      {"suite_verify_limit_per_s", Round(suite_verify * static_cast<double>(run.cores), 0)}};
  s["throughput"] = {{"committed", committed},
                     {"admitted", admitted},
                     {"admitted_not_committed", admitted - std::min(admitted, committed)},
                     {"wall_s", Round(wall_s, 3)},
                     {"committed_tx_per_s", Round(tx_per_s, 0)},
                     {"submit_s", Round(submit_s, 3)},
                     {"admitted_tx_per_s",
                      submit_s > 0 ? Round(static_cast<double>(admitted) / submit_s, 0) : 0.0},
                     {"max_pending", run.max_pending}};
  s["ratio"] = {{"tx_per_s_over_ed25519_verify_per_core", ratio(run.ed25519.per_cpu_s)},
                {"tx_per_s_over_suite_verify_per_core", ratio(suite_verify)},
                {"tx_per_s_over_suite_verify_all_cores",
                 ratio(suite_verify * static_cast<double>(run.cores))}};
  s["latency"] = {{"commit_observed", Distribution(commit_latency)},
                  {"commit_block_time", Distribution(block_latency)},
                  {"submit_reply", Distribution(submit_latency)}};
  s["rejected"] = rejected;
  s["blocks"] = BlocksJson(run);
  s["cpu"] = CpuJson(run, wall_s);
  s["receipts"] = {{"sampled", run.receipts_sampled}, {"codes", run.receipt_codes}};
  return s;
}

void PrintTable(const nlohmann::json& s, std::ostream& out) {
  auto row = [&out](const std::string& name, const std::string& value) {
    out << "  " << std::left << std::setw(40) << name << value << "\n";
  };
  auto num = [](const nlohmann::json& v) {
    if (v.is_null()) return std::string("n/a");
    std::ostringstream text;
    if (v.is_number_float()) {
      text << std::fixed << std::setprecision(v.get<double>() < 10 ? 3 : 1) << v.get<double>();
    } else {
      text << v;
    }
    return text.str();
  };
  const auto& c = s["config"];
  out << "\nOneChain benchmark — " << c["suite"].get<std::string>() << " suite, "
      << c["workload"].get<std::string>() << " workload, " << num(c["txs"]) << " txs over "
      << num(c["connections"]) << " connections to " << c["node"].get<std::string>()
      << (c["quick_ack"].get<bool>() ? " (quick ACKs)" : "") << "\n";
  out << " verify (one thread, Suite::Verify; per CPU second, and per wall second)\n";
  row("Ed25519 verify/s per core", num(s["verify"]["ed25519_per_s_per_core"]) + "  (wall " +
                                       num(s["verify"]["ed25519_per_s_wall"]) + ")");
  if (c["suite"] == "sm") {
    row("SM2 verify/s per core", num(s["verify"]["sm2_per_s_per_core"]) + "  (wall " +
                                     num(s["verify"]["sm2_per_s_wall"]) + ")");
  }
  row("verify limit (suite x " + num(s["verify"]["cores"]) + " cores)",
      num(s["verify"]["suite_verify_limit_per_s"]) + " /s");
  const auto& t = s["throughput"];
  out << " throughput (first submit → last commit observed)\n";
  row("committed tx/s", num(t["committed_tx_per_s"]));
  row("committed / admitted / sent",
      num(t["committed"]) + " / " + num(t["admitted"]) + " / " + num(c["txs"]));
  row("wall time", num(t["wall_s"]) + " s");
  row("admission rate (202s / submit time)",
      num(t["admitted_tx_per_s"]) + " tx/s over " + num(t["submit_s"]) + " s");
  row("largest mempool seen", num(t["max_pending"]));
  row("tx/s / Ed25519 verify/s (one core)",
      num(s["ratio"]["tx_per_s_over_ed25519_verify_per_core"]));
  row("tx/s / suite verify limit (all cores)",
      num(s["ratio"]["tx_per_s_over_suite_verify_all_cores"]));
  char header[160];
  std::snprintf(header, sizeof header, " %-41s%8s  %8s  %8s  %8s\n", "latency (ms)", "p50", "p90",
                "p99", "max");
  out << header;
  for (const auto& [name, label] : {std::pair{"commit_observed", "submit sent -> block observed"},
                                    {"commit_block_time", "submit sent -> block time"},
                                    {"submit_reply", "submit sent -> 202 read"}}) {
    const auto& d = s["latency"][name];
    char line[160];
    std::snprintf(line, sizeof line, "  %-40s%8.1f  %8.1f  %8.1f  %8.1f\n", label,
                  d["p50_ms"].get<double>(), d["p90_ms"].get<double>(), d["p99_ms"].get<double>(),
                  d["max_ms"].get<double>());
    out << line;
  }
  const auto& b = s["blocks"];
  out << " blocks\n";
  row("blocks with this run's txs", num(b["count"]));
  if (b.contains("avg_txs"))
    row("txs per block avg / max", num(b["avg_txs"]) + " / " + num(b["max_txs"]));
  if (b.contains("avg_interval_ms")) {
    row("block interval avg", num(b["avg_interval_ms"]) + " ms");
    row("tx/s by block time", num(b["block_time_tx_per_s"]));
  }
  out << " CPU during the run (cores busy)\n";
  row("client (this process)", num(s["cpu"]["client_cores"]));
  row("node", num(s["cpu"]["node_cores"]));
  if (s["cpu"].contains("other_processes_cores")) {
    row("other processes", num(s["cpu"]["other_processes_cores"]));
  }
  row("machine", num(s["cpu"]["machine_busy_cores"]) + " of " + num(s["cpu"]["machine_cores"]));
  row("machine, the second before the run", num(s["cpu"]["busy_cores_before_run"]));
  out << " rejected at admission\n";
  if (s["rejected"].empty()) row("none", "");
  for (const auto& [code, count] : s["rejected"].items()) row(code, num(count));
  out << " receipts sampled after the run: " << num(s["receipts"]["sampled"]) << "\n";
  for (const auto& [code, count] : s["receipts"]["codes"].items()) row(code, num(count));
  out << "\n";
}

}  // namespace onechain::bench
