// onechain-etcd-load: the peer in bench/suite.sh. Drives an etcd cluster's v3 HTTP gateway with
// the same shape of load onechain-bench gives a OneChain node: C keep-alive connections (one
// thread and one request in flight each, the same lean HTTP client), B writes per request (one
// etcd transaction of B puts, like one POST /v1/txs of B envelopes), values of the same size as
// the OneChain envelopes, and optionally the same offered rate. etcd answers a write once the
// cluster committed it (raft quorum, fsync), so a reply is a commit: throughput is committed
// writes per second and the reply time is the commit latency.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <vector>

#include "bench/http.h"
#include "bench/stats.h"
#include "ledger/proof_bundle.h"

namespace onechain::bench {
namespace {

struct Options {
  std::string endpoint = "http://127.0.0.1:2379";
  size_t writes = 20'000, connections = 16, batch = 50, value_bytes = 256;
  double rate = 0;  // offered writes/s over all connections; 0: as fast as answered
};

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One etcd transaction that puts `count` keys: {"success": [{"requestPut": {...}}, ...]}.
std::string TxnBody(size_t connection, size_t first, size_t count, const std::string& value_b64) {
  nlohmann::json ops = nlohmann::json::array();
  for (size_t i = first; i < first + count; ++i) {
    std::string key = "bench/" + std::to_string(connection) + "/" + std::to_string(i);
    ops.push_back({{"requestPut", {{"key", ledger::EncodeBase64(key)}, {"value", value_b64}}}});
  }
  return nlohmann::json{{"success", ops}}.dump();
}


int Run(const Options& o) {
  std::mt19937_64 random(42);
  std::string value(o.value_bytes, '\0');
  for (char& c : value) c = static_cast<char>(random() & 0xff);
  const std::string value_b64 = ledger::EncodeBase64(value);

  // Requests built before the clock starts, as onechain-bench signs before it.
  const size_t per_connection = (o.writes + o.connections - 1) / o.connections;
  std::vector<std::vector<std::string>> bodies(o.connections);
  for (size_t c = 0; c < o.connections; ++c) {
    for (size_t i = 0; i < per_connection; i += o.batch) {
      bodies[c].push_back(TxnBody(c, i, std::min(o.batch, per_connection - i), value_b64));
    }
  }
  std::vector<std::unique_ptr<HttpConnection>> http;
  for (size_t c = 0; c < o.connections; ++c) {
    http.push_back(std::make_unique<HttpConnection>(o.endpoint, false));
    if (Status st = http.back()->Open(); !st.ok()) {
      std::cerr << "error: cannot connect to " << o.endpoint << ": " << st.ToString() << "\n";
      return 1;
    }
  }

  std::vector<std::vector<double>> latencies_ms(o.connections);
  std::atomic<size_t> committed{0}, failed{0};
  const double interval_ns =
      o.rate > 0 ? 1e9 * static_cast<double>(o.batch * o.connections) / o.rate : 0;
  const int64_t start = SteadyNs();
  std::vector<std::thread> threads;
  for (size_t c = 0; c < o.connections; ++c) {
    threads.emplace_back([&, c] {
      for (size_t k = 0; k < bodies[c].size(); ++k) {
        if (interval_ns > 0) {  // this connection's share of the offered rate, slots spread
          int64_t due = start + static_cast<int64_t>(
                                    interval_ns * (static_cast<double>(k) +
                                                   static_cast<double>(c) /
                                                       static_cast<double>(o.connections)));
          int64_t now = SteadyNs();
          if (due > now) std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
        }
        size_t count = std::min(o.batch, per_connection - k * o.batch);
        int64_t sent = SteadyNs();
        Result<HttpResponse> res = http[c]->Post("/v3/kv/txn", "application/json", bodies[c][k]);
        double ms = static_cast<double>(SteadyNs() - sent) / 1e6;
        if (!res.ok() || res->status != 200 || res->body.find("\"succeeded\":true") ==
                                                   std::string::npos) {
          if (failed.fetch_add(count) == 0) {  // the first failure says why
            std::cerr << "etcd refused a write: "
                      << (res.ok() ? std::to_string(res->status) + " " + res->body.substr(0, 300)
                                   : res.status().ToString())
                      << "\n";
          }
          continue;
        }
        committed += count;
        latencies_ms[c].insert(latencies_ms[c].end(), count, ms);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double wall_s = static_cast<double>(SteadyNs() - start) / 1e9;
  std::vector<double> all;
  for (const auto& l : latencies_ms) all.insert(all.end(), l.begin(), l.end());
  nlohmann::json out = {
      {"config",
       {{"endpoint", o.endpoint}, {"writes", o.writes}, {"connections", o.connections},
        {"batch", o.batch}, {"value_bytes", o.value_bytes}, {"rate", o.rate}}},
      {"throughput",
       {{"committed", committed.load()}, {"failed", failed.load()}, {"wall_s", wall_s},
        {"committed_per_s", static_cast<double>(committed.load()) / wall_s}}},
      {"latency",
       {{"p50_ms", Percentile(all, 0.5)}, {"p99_ms", Percentile(all, 0.99)},
        {"max_ms", Percentile(all, 1.0)}}},
  };
  std::cout << out.dump(2) << "\n";
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace onechain::bench

int main(int argc, char** argv) {
  onechain::bench::Options o;
  CLI::App app{"Committed writes per second of an etcd cluster under onechain-bench's load shape"};
  app.add_option("--endpoint", o.endpoint, "etcd client URL")->capture_default_str();
  app.add_option("-n,--writes", o.writes, "Writes in the run")->capture_default_str();
  app.add_option("-c,--connections", o.connections, "Keep-alive connections, one thread each")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("-b,--batch", o.batch, "Puts per etcd transaction")
      ->capture_default_str()
      ->check(CLI::Range(1, 128));  // etcd's --max-txn-ops defaults to 128
  app.add_option("--value-bytes", o.value_bytes, "Bytes per value")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--rate", o.rate, "Offered writes/s over all connections (0: as fast as answered)");
  CLI11_PARSE(app, argc, argv);
  return onechain::bench::Run(o);
}
