// onechain-bench: measures committed transactions per second of one node over its REST API.
// Order of a run: crypto verify rate on one core (idle node), load admins registered on the node,
// every transaction signed in advance, then the clock: N POSTs over C keep-alive connections while
// a follower reads each new block and stamps its transactions committed. README.md explains the
// figures.
#include <google/protobuf/util/json_util.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <latch>
#include <span>
#include <thread>
#include <unordered_map>

#include "api.pb.h"
#include "api/server.h"
#include "bench/http.h"
#include "bench/report.h"
#include "bench/workload.h"
#include "cli/client.h"

namespace onechain::bench {
namespace {

constexpr int64_t kHealthPollIntervalMs = 100;
constexpr double kBusyCoresWarning = 0.2;

struct Options {
  std::string network_dir, node_url = "http://127.0.0.1:8080", workload = "mixed";
  std::string passphrase_env, blocks_csv;
  size_t txs = 100'000, connections = 32, load_admins = 256, sign_threads = 0;
  size_t sample_receipts = 500;
  size_t batch = 1;  // envelopes per request: 1 posts to /v1/tx, more to /v1/txs
  double rate = 0;   // offered tx/s over all connections; 0: as fast as the node answers
  uint64_t valid_for = 100'000;
  double verify_seconds = 1.0;
  int poll_ms = 2;
  int commit_timeout_s = 60;
  pid_t node_pid = 0;
  bool json = false;
  bool quick_ack = false;
};

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t WallNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void Fail(const Status& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  std::exit(1);
}

template <typename T>
T Take(Result<T> result) {
  if (!result.ok()) Fail(result.status());
  return std::move(result).value();
}

// Busy cores of the whole machine over one second: the load before the run starts.
double BusyCoresOverOneSecond() {
  CpuSnapshot before = TakeCpuSnapshot(0);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CpuSnapshot after = TakeCpuSnapshot(0);
  return after.machine_busy_s - before.machine_busy_s;
}

pb::Health GetHealth(HttpConnection& client) {
  pb::Health health;
  std::string json = Take(GetJson(client, "/v1/health"));
  if (!google::protobuf::util::JsonStringToMessage(json, &health).ok()) {
    Fail(Status(pb::Status::MALFORMED, "unexpected /v1/health reply: " + json.substr(0, 200)));
  }
  return health;
}

// Sends `ids` (one envelope or a batch) and stamps their reply times and refusals.
void SendOnce(const Options& options, const LoadPlan& plan, HttpConnection& http,
              std::span<const uint32_t> ids, std::vector<TxTiming>& timings) {
  int64_t sent = SteadyNs();
  for (uint32_t i : ids) timings[i].sent_ns = sent;
  auto stamp_all = [&](int code) {
    int64_t now = SteadyNs();
    for (uint32_t i : ids) {
      timings[i].replied_ns = now;
      timings[i].reject_code = code;
    }
  };
  if (options.batch <= 1) {
    Result<HttpResponse> res =
        http.Post("/v1/tx", "application/x-protobuf", plan.txs[ids[0]].envelope);
    if (!res.ok()) return stamp_all(kTransportError);
    if (res->status != 202) return stamp_all(cli::StatusFromErrorBody({res->status, res->body}).code());
    return stamp_all(-1);
  }
  pb::SubmitBatchRequest request;
  for (uint32_t i : ids) request.add_txs(plan.txs[i].envelope);
  Result<HttpResponse> res = http.Post("/v1/txs", "application/x-protobuf",
                                       request.SerializeAsString(), "application/x-protobuf");
  if (!res.ok()) return stamp_all(kTransportError);
  if (res->status != 200) return stamp_all(cli::StatusFromErrorBody({res->status, res->body}).code());
  pb::SubmitBatchResponse reply;
  if (!reply.ParseFromString(res->body) || reply.results_size() != static_cast<int>(ids.size())) {
    return stamp_all(kTransportError);
  }
  stamp_all(-1);
  for (size_t k = 0; k < ids.size(); ++k) {
    pb::Status::Code code = reply.results(static_cast<int>(k)).code();
    if (code != pb::Status::OK) timings[ids[k]].reject_code = code;
  }
}

// One connection: connects, waits for `start`, then sends its transactions in order, one request
// (of one envelope or a batch) in flight at a time, and stamps them.
void SubmitAll(const Options& options, const LoadPlan& plan, const std::vector<uint32_t>& order,
               size_t connection, std::latch& connected, std::latch& start,
               std::vector<TxTiming>& timings) {
  HttpConnection http(options.node_url, options.quick_ack);
  if (Status st = http.Open(); !st.ok()) std::cerr << "warning: " << st.ToString() << "\n";
  connected.count_down();
  start.wait();
  size_t step = std::max<size_t>(options.batch, 1);
  // With --rate, each connection offers its share at a fixed pace (requests are not sent
  // before their slot; a slow reply delays only the requests behind it). The connections' slots
  // are spread evenly over the interval, so the node sees a steady rate, not all connections'
  // requests at once followed by silence.
  const double interval_s =
      options.rate > 0
          ? static_cast<double>(step * options.connections) / options.rate
          : 0;
  const auto begin =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(
          interval_s * static_cast<double>(connection) /
          static_cast<double>(std::max<size_t>(options.connections, 1))));
  for (size_t first = 0; first < order.size(); first += step) {
    if (interval_s > 0) {
      std::this_thread::sleep_until(
          begin + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(interval_s * static_cast<double>(first / step))));
    }
    std::span<const uint32_t> ids(order.data() + first, std::min(step, order.size() - first));
    SendOnce(options, plan, http, ids, timings);
  }
}

// Reads blocks from `start_height` on and stamps this run's transactions committed, until every
// admitted one is, or nothing new commits for `timeout_s` after the submitters finished.
class BlockFollower {
 public:
  BlockFollower(const Options& options, const LoadPlan& plan, RunFigures& run)
      : options_(options), run_(run) {
    index_.reserve(plan.txs.size());
    for (uint32_t i = 0; i < plan.txs.size(); ++i) index_.emplace(plan.txs[i].hash_hex, i);
  }

  void SubmittersDone(size_t admitted) {
    admitted_ = admitted;
    submitters_done_ = true;
  }

  void Run(uint64_t start_height) {
    // Quick ACKs always: the follower observes commits, its own delays would skew latency.
    HttpConnection http(options_.node_url, /*quick_ack=*/true);
    uint64_t next = start_height;
    size_t committed = 0;
    int64_t last_progress_ns = SteadyNs(), last_health_ns = 0;
    while (true) {
      int64_t now = SteadyNs();
      if (submitters_done_ && committed >= admitted_) break;
      if (submitters_done_ &&
          now - last_progress_ns > options_.commit_timeout_s * 1'000'000'000LL) {
        std::cerr << "no commit for " << options_.commit_timeout_s << " s; stopping the follower\n";
        break;
      }
      Result<HttpResponse> res = http.Get("/v1/blocks/" + std::to_string(next));
      if (res.ok() && res->status == 200) {
        size_t ours = Stamp(res->body, SteadyNs());
        committed += ours;
        if (ours > 0) {
          last_progress_ns = SteadyNs();
          run_.cpu_after = TakeCpuSnapshot(options_.node_pid);
        }
        ++next;
        continue;
      }
      if (!submitters_done_) last_progress_ns = now;
      if (now - last_health_ns > kHealthPollIntervalMs * 1'000'000) {
        last_health_ns = now;
        if (Result<HttpResponse> h = http.Get("/v1/health"); h.ok() && h->status == 200) {
          pb::Health health;
          if (google::protobuf::util::JsonStringToMessage(h->body, &health).ok()) {
            run_.max_pending = std::max(run_.max_pending, health.pending_txs());
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.poll_ms));
    }
  }

 private:
  // Stamps the run's transactions in one BlockView JSON; returns how many were ours.
  size_t Stamp(const std::string& json, int64_t observed_ns) {
    pb::BlockView view;
    if (!google::protobuf::util::JsonStringToMessage(json, &view).ok()) {
      Fail(Status(pb::Status::MALFORMED, "unexpected block reply: " + json.substr(0, 200)));
    }
    BlockSeen seen{view.header().height(), observed_ns, view.header().time_ms(),
                   static_cast<uint32_t>(view.tx_hashes_size()), 0};
    for (const std::string& hash : view.tx_hashes()) {
      auto it = index_.find(hash);
      if (it == index_.end()) continue;
      TxTiming& t = run_.timings[it->second];
      if (t.committed_ns >= 0) continue;
      t.committed_ns = observed_ns;
      t.block_time_ms = seen.time_ms;
      ++seen.ours;
    }
    run_.blocks.push_back(seen);
    return seen.ours;
  }

  const Options& options_;
  RunFigures& run_;
  std::unordered_map<std::string, uint32_t> index_;
  std::atomic<bool> submitters_done_{false};
  std::atomic<size_t> admitted_{0};
};

// The timed part: submitters and the block follower.
void RunTimed(const Options& options, const LoadPlan& plan, uint64_t start_height,
              RunFigures& run) {
  run.timings.assign(plan.txs.size(), TxTiming{});
  BlockFollower follower(options, plan, run);
  // Every connection is open before the clock starts: connection setup is not what is measured.
  std::latch connected(static_cast<std::ptrdiff_t>(plan.by_connection.size()));
  std::latch start(1);
  std::vector<std::thread> submitters;
  for (size_t c = 0; c < plan.by_connection.size(); ++c) {
    submitters.emplace_back([&, c] {
      SubmitAll(options, plan, plan.by_connection[c], c, connected, start, run.timings);
    });
  }
  connected.wait();
  run.wall_offset_ns = WallNs() - SteadyNs();
  run.cpu_before = TakeCpuSnapshot(options.node_pid);
  run.cpu_after = run.cpu_before;
  std::thread follow([&] { follower.Run(start_height); });
  start.count_down();
  for (std::thread& thread : submitters) thread.join();
  size_t admitted = 0;
  for (const TxTiming& t : run.timings) admitted += t.reject_code == -1;
  std::cerr << "submitted: " << admitted << " admitted of " << plan.txs.size()
            << "; waiting for commits...\n";
  follower.SubmittersDone(admitted);
  follow.join();
}

// Reads the receipts of up to `count` committed transactions spread over the run.
void SampleReceipts(const Options& options, const LoadPlan& plan, RunFigures& run) {
  std::vector<uint32_t> committed;
  for (uint32_t i = 0; i < run.timings.size(); ++i) {
    if (run.timings[i].committed_ns >= 0) committed.push_back(i);
  }
  if (committed.empty() || options.sample_receipts == 0) return;
  HttpConnection client(options.node_url, /*quick_ack=*/true);
  size_t count = std::min(options.sample_receipts, committed.size());
  for (size_t s = 0; s < count; ++s) {
    uint32_t i = committed[s * committed.size() / count];
    Result<std::string> json = GetJson(client, "/v1/tx/" + plan.txs[i].hash_hex);
    pb::TxStatus status;
    std::string code = "UNREADABLE";
    if (json.ok() && google::protobuf::util::JsonStringToMessage(*json, &status).ok()) {
      code = status.state() == pb::TxStatus::COMMITTED ? pb::Status::Code_Name(status.code())
                                                       : pb::TxStatus::State_Name(status.state());
    }
    ++run.receipt_codes[code];
    ++run.receipts_sampled;
  }
}

// One line per block seen: its height, block time and observation time relative to the first
// submit, and its transaction counts.
void WriteBlocksCsv(const std::string& path, const RunFigures& run) {
  int64_t first_sent = INT64_MAX;
  for (const TxTiming& t : run.timings) {
    if (t.sent_ns >= 0) first_sent = std::min(first_sent, t.sent_ns);
  }
  std::ofstream out(path);
  out << "height,block_time_ms,observed_ms,txs,ours\n";
  for (const BlockSeen& block : run.blocks) {
    out << block.height << "," << block.time_ms - (first_sent + run.wall_offset_ns) / 1'000'000
        << "," << (block.observed_ns - first_sent) / 1'000'000 << "," << block.txs << ","
        << block.ours << "\n";
  }
  if (!out) std::cerr << "warning: could not write " << path << "\n";
}

Workload ParseWorkload(const std::string& name) {
  if (name == "mixed") return Workload::kMixed;
  if (name == "self-register") return Workload::kSelfRegister;
  if (name == "register") return Workload::kRegister;
  Fail(Status(pb::Status::INVALID_ARGUMENT,
              "unknown workload '" + name + "'; use mixed, self-register or register"));
}

void AddOptions(CLI::App& app, Options& o) {
  app.add_option("--network", o.network_dir, "Directory made by `onechain genesis new`")
      ->required();
  app.add_option("--node", o.node_url, "Node API URL")->capture_default_str();
  app.add_option("-n,--txs", o.txs, "Transactions in the timed run")->capture_default_str();
  app.add_option("-c,--connections", o.connections, "Keep-alive HTTP connections, one thread each")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("-b,--batch", o.batch,
                 "Envelopes per request: 1 posts each to /v1/tx, more batch them to /v1/txs")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--workload", o.workload, "mixed, self-register or register")
      ->capture_default_str();
  app.add_option("--load-admins", o.load_admins,
                 "Org-admin accounts registered before the run to sign registrations "
                 "(raised to --connections)")
      ->capture_default_str();
  app.add_option("--sign-threads", o.sign_threads, "Pre-signing threads (0: one per core)");
  app.add_option("--valid-for", o.valid_for, "Blocks the transactions stay valid")
      ->capture_default_str();
  app.add_option("--rate", o.rate, "Offered tx/s over all connections (0: as fast as answered)");
  app.add_option("--verify-seconds", o.verify_seconds, "Duration of each verify-rate measurement")
      ->capture_default_str();
  app.add_option("--poll-ms", o.poll_ms, "Sleep between polls for the next block")
      ->capture_default_str();
  app.add_option("--commit-timeout", o.commit_timeout_s,
                 "Seconds without a commit, after the last submit, before giving up")
      ->capture_default_str();
  app.add_option("--sample-receipts", o.sample_receipts,
                 "Committed transactions whose receipt code is read after the run")
      ->capture_default_str();
  app.add_option("--node-pid", o.node_pid, "PID of the node process, to report its CPU use");
  app.add_option("--passphrase-env", o.passphrase_env,
                 "Environment variable holding the org admin keys' passphrase");
  app.add_option("--blocks-csv", o.blocks_csv,
                 "Write every block seen (height, times, transactions) to this CSV file");
  app.add_flag("--quickack", o.quick_ack,
               "Submit connections ask for immediate ACKs (TCP_QUICKACK), working around a node "
               "that replies in two segments without TCP_NODELAY (see http.h)");
  app.add_flag("--json", o.json, "Print the figures as JSON instead of a table");
}

int Run(const Options& options) {
  RunFigures run;
  const char* passphrase =
      options.passphrase_env.empty() ? nullptr : std::getenv(options.passphrase_env.c_str());
  Network network = Take(LoadNetwork(options.network_dir, passphrase != nullptr ? passphrase : ""));
  Workload workload = ParseWorkload(options.workload);
  HttpConnection client(options.node_url, /*quick_ack=*/true);
  pb::Health health = GetHealth(client);
  if (health.chain_id() != network.genesis.chain_id() ||
      health.suite() != network.genesis.suite()) {
    Fail(Status(pb::Status::WRONG_CHAIN, "the node at " + options.node_url + " runs chain '" +
                                             health.chain_id() + "', not this network's"));
  }
  if (options.connections + 2 > api::kServerThreads) {
    std::cerr << "warning: the node serves " << api::kServerThreads
              << " connections at once; more will queue\n";
  }
  run.suite = network.suite->name();
  run.workload = options.workload;
  run.node_url = options.node_url;
  run.txs = options.txs;
  run.connections = options.connections;
  run.cores = std::max(1u, std::thread::hardware_concurrency());
  run.sign_threads = options.sign_threads > 0 ? options.sign_threads : run.cores;

  std::cerr << "measuring verify rate (one thread, " << options.verify_seconds << " s)...\n";
  run.ed25519 = MeasureVerifyRate(*crypto::GetSuite(pb::SUITE_INTL), options.verify_seconds);
  if (network.genesis.suite() == pb::SUITE_SM) {
    run.sm2 = MeasureVerifyRate(*crypto::GetSuite(pb::SUITE_SM), options.verify_seconds);
  }

  const uint64_t valid_until = health.height() + options.valid_for;
  std::vector<LoadAdmin> admins;
  if (workload != Workload::kSelfRegister) {
    run.load_admins = std::max(options.load_admins, options.connections);
    admins = Take(
        RegisterLoadAdmins(network, options.node_url, run.load_admins, valid_until, std::cerr));
  }
  std::cerr << "pre-signing " << options.txs << " transactions on " << run.sign_threads
            << " threads...\n";
  int64_t presign_start = SteadyNs();
  LoadPlan plan = PresignLoad(
      network, admins, {options.txs, options.connections, workload, valid_until, run.sign_threads});
  run.presign_s = static_cast<double>(SteadyNs() - presign_start) / 1e9;
  if (!plan.txs.empty()) {
    size_t bytes = 0;
    for (const auto& tx : plan.txs) bytes += tx.envelope.size();
    run.envelope_bytes_avg = static_cast<double>(bytes) / static_cast<double>(plan.txs.size());
  }

  run.quick_ack = options.quick_ack;
  run.background_cores = BusyCoresOverOneSecond();
  if (run.background_cores > kBusyCoresWarning) {
    std::cerr << "warning: " << run.background_cores
              << " cores were busy before the run; other processes skew the figures\n";
  }
  uint64_t start_height = GetHealth(client).height() + 1;
  std::cerr << "running: " << options.txs << " transactions over " << options.connections
            << " connections from height " << start_height << "...\n";
  RunTimed(options, plan, start_height, run);
  run.node_cpu_measured = options.node_pid > 0;
  SampleReceipts(options, plan, run);

  if (!options.blocks_csv.empty()) WriteBlocksCsv(options.blocks_csv, run);
  nlohmann::json summary = Summarize(run);
  if (options.json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    PrintTable(summary, std::cout);
  }
  return summary["throughput"]["committed"].get<size_t>() > 0 ? 0 : 1;
}

}  // namespace
}  // namespace onechain::bench

int main(int argc, char** argv) {
  CLI::App app{"onechain-bench: committed transactions per second of one OneChain node"};
  onechain::bench::Options options;
  onechain::bench::AddOptions(app, options);
  CLI11_PARSE(app, argc, argv);
  return onechain::bench::Run(options);
}
