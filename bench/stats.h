// Small statistics shared by the bench tools that time operations themselves.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace onechain::bench {

// Nearest-rank value at `fraction` (0..1) of `values` (any order); 0 for none.
inline double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

}  // namespace onechain::bench
