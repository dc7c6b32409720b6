// Process metrics in the Prometheus text exposition format (version 0.0.4): counters, gauges,
// counters with one label, and histograms with fixed buckets. Updates are lock-free (atomics)
// except the first use of a new label value; rendering takes a consistent-enough snapshot (each
// number is read atomically; a scrape racing an update may see a sum one observation ahead of the
// buckets, as Prometheus clients generally allow).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace onechain::util {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A counter per value of one label (e.g. code="BAD_SIGNATURE"). Label values are bounded by
// `values_max`; further values are counted under "other" so that an outsider cannot grow the map.
class LabeledCounter {
 public:
  explicit LabeledCounter(size_t values_max = 64) : values_max_(values_max) {}
  void Add(const std::string& label_value, uint64_t n = 1);
  std::map<std::string, uint64_t> Values() const;

 private:
  size_t values_max_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Counter>> counters_;  // guarded by mu_
};

// Cumulative histogram with upper bounds in `bounds` (ascending); +Inf is implicit.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<uint64_t> sum_micros_{0};               // sum in millionths, to stay atomic
};

// Latency buckets in seconds: 1 ms to 30 s.
std::vector<double> LatencyBuckets();

// Named metrics and their help texts, rendered in registration order.
class MetricsRegistry {
 public:
  void AddCounter(std::string name, std::string help, const Counter* counter);
  void AddLabeledCounter(std::string name, std::string help, std::string label,
                         const LabeledCounter* counter);
  void AddHistogram(std::string name, std::string help, const Histogram* histogram);
  // A gauge read when rendered (e.g. the mempool's size, a RocksDB property).
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  // Gauges with one label, read when rendered: label value -> number.
  void AddLabeledGauges(std::string name, std::string help, std::string label,
                        std::function<std::map<std::string, double>()> read);

  // The text exposition format, each family with its # HELP and # TYPE lines.
  std::string Render() const;

 private:
  struct Family {
    std::string name, help, type;
    std::function<void(std::string&)> render;
  };
  mutable std::mutex mu_;
  std::vector<Family> families_;  // guarded by mu_
};

// Escapes a label value for the exposition format (backslash, double quote, newline).
std::string EscapeLabelValue(const std::string& value);

}  // namespace onechain::util
