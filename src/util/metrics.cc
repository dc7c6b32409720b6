#include "util/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace onechain::util {

namespace {

std::string Number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

}  // namespace

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void LabeledCounter::Add(const std::string& label_value, uint64_t n) {
  std::lock_guard lock(mu_);
  auto it = counters_.find(label_value);
  if (it == counters_.end()) {
    std::string key = counters_.size() < values_max_ ? label_value : "other";
    it = counters_.try_emplace(key, std::make_unique<Counter>()).first;
  }
  it->second->Add(n);
}

std::map<std::string, uint64_t> LabeledCounter::Values() const {
  std::lock_guard lock(mu_);
  std::map<std::string, uint64_t> out;
  for (const auto& [label, counter] : counters_) out[label] = counter->value();
  return out;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  assert(std::is_sorted(bounds_.begin(), bounds_.end()));
}

void Histogram::Observe(double value) {
  size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  double micros = std::max(0.0, value) * 1e6;
  sum_micros_.fetch_add(static_cast<uint64_t>(std::llround(micros)), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
  return snapshot;
}

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

void MetricsRegistry::AddCounter(std::string name, std::string help, const Counter* counter) {
  std::string n = name;
  std::lock_guard lock(mu_);
  families_.push_back({std::move(name), std::move(help), "counter", [n, counter](std::string& out) {
                         out += n + " " + Number(static_cast<double>(counter->value())) + "\n";
                       }});
}

void MetricsRegistry::AddLabeledCounter(std::string name, std::string help, std::string label,
                                        const LabeledCounter* counter) {
  std::string n = name;
  std::lock_guard lock(mu_);
  families_.push_back(
      {std::move(name), std::move(help), "counter", [n, label, counter](std::string& out) {
         for (const auto& [value, count] : counter->Values()) {
           out += n + "{" + label + "=\"" + EscapeLabelValue(value) + "\"} " +
                  Number(static_cast<double>(count)) + "\n";
         }
       }});
}

void MetricsRegistry::AddHistogram(std::string name, std::string help,
                                   const Histogram* histogram) {
  std::string n = name;
  std::lock_guard lock(mu_);
  families_.push_back(
      {std::move(name), std::move(help), "histogram", [n, histogram](std::string& out) {
         Histogram::Snapshot s = histogram->Read();
         for (size_t i = 0; i < s.bounds.size(); ++i) {
           out += n + "_bucket{le=\"" + Number(s.bounds[i]) + "\"} " +
                  Number(static_cast<double>(s.cumulative[i])) + "\n";
         }
         out += n + "_bucket{le=\"+Inf\"} " + Number(static_cast<double>(s.cumulative.back())) +
                "\n";
         out += n + "_sum " + Number(s.sum) + "\n";
         out += n + "_count " + Number(static_cast<double>(s.count)) + "\n";
       }});
}

void MetricsRegistry::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::string n = name;
  std::lock_guard lock(mu_);
  families_.push_back({std::move(name), std::move(help), "gauge",
                       [n, read = std::move(read)](std::string& out) {
                         out += n + " " + Number(read()) + "\n";
                       }});
}

void MetricsRegistry::AddLabeledGauges(std::string name, std::string help, std::string label,
                                       std::function<std::map<std::string, double>()> read) {
  std::string n = name;
  std::lock_guard lock(mu_);
  families_.push_back({std::move(name), std::move(help), "gauge",
                       [n, label, read = std::move(read)](std::string& out) {
                         for (const auto& [value, number] : read()) {
                           out += n + "{" + label + "=\"" + EscapeLabelValue(value) + "\"} " +
                                  Number(number) + "\n";
                         }
                       }});
}

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const Family& family : families_) {
    out += "# HELP " + family.name + " " + family.help + "\n";
    out += "# TYPE " + family.name + " " + family.type + "\n";
    family.render(out);
  }
  return out;
}

}  // namespace onechain::util
