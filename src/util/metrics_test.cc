#include "util/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace onechain::util {
namespace {

TEST(Metrics, RendersEachFamilyWithHelpAndType) {
  Counter committed;
  committed.Add(3);
  LabeledCounter rejected;
  rejected.Add("BAD_SIGNATURE");
  rejected.Add("BAD_SIGNATURE");
  rejected.Add("say \"hi\"\\\n");
  MetricsRegistry registry;
  registry.AddCounter("onechain_committed_transactions_total", "Transactions committed.",
                      &committed);
  registry.AddLabeledCounter("onechain_rejected_transactions_total", "Refused.", "code",
                             &rejected);
  registry.AddGauge("onechain_height", "Committed height.", [] { return 42.0; });
  registry.AddLabeledGauges("onechain_peer_connected", "Peer links.", "peer", [] {
    return std::map<std::string, double>{{"tax", 1}, {"market", 0}};
  });
  EXPECT_EQ(registry.Render(),
            "# HELP onechain_committed_transactions_total Transactions committed.\n"
            "# TYPE onechain_committed_transactions_total counter\n"
            "onechain_committed_transactions_total 3\n"
            "# HELP onechain_rejected_transactions_total Refused.\n"
            "# TYPE onechain_rejected_transactions_total counter\n"
            "onechain_rejected_transactions_total{code=\"BAD_SIGNATURE\"} 2\n"
            "onechain_rejected_transactions_total{code=\"say \\\"hi\\\"\\\\\\n\"} 1\n"
            "# HELP onechain_height Committed height.\n"
            "# TYPE onechain_height gauge\n"
            "onechain_height 42\n"
            "# HELP onechain_peer_connected Peer links.\n"
            "# TYPE onechain_peer_connected gauge\n"
            "onechain_peer_connected{peer=\"market\"} 0\n"
            "onechain_peer_connected{peer=\"tax\"} 1\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Histogram latency({0.1, 0.5, 1});
  for (double v : {0.05, 0.1, 0.3, 0.7, 2.0}) latency.Observe(v);
  Histogram::Snapshot s = latency.Read();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(s.count, 5u);
  EXPECT_NEAR(s.sum, 3.15, 1e-6);
  MetricsRegistry registry;
  registry.AddHistogram("lat_seconds", "Latency.", &latency);
  EXPECT_EQ(registry.Render(),
            "# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{le=\"0.1\"} 2\nlat_seconds_bucket{le=\"0.5\"} 3\n"
            "lat_seconds_bucket{le=\"1\"} 4\nlat_seconds_bucket{le=\"+Inf\"} 5\n"
            "lat_seconds_sum 3.15\nlat_seconds_count 5\n");
}

TEST(Metrics, LabelValuesAreBoundedSoOutsidersCannotGrowTheMap) {
  LabeledCounter codes(3);
  for (int i = 0; i < 100; ++i) codes.Add("code-" + std::to_string(i));
  std::map<std::string, uint64_t> values = codes.Values();
  EXPECT_EQ(values.size(), 4u);  // three values, then "other"
  EXPECT_EQ(values["other"], 97u);
}

TEST(Metrics, ConcurrentUpdatesAreAllCounted) {
  Counter counter;
  Histogram histogram(LatencyBuckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        counter.Add();
        histogram.Observe(0.002);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.value(), 40'000u);
  EXPECT_EQ(histogram.Read().count, 40'000u);
  EXPECT_NEAR(histogram.Read().sum, 80.0, 1e-6);
}

}  // namespace
}  // namespace onechain::util
