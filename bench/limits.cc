// onechain-limits: the machine's ceilings that bench/suite.sh divides the figures by, measured
// through the project's own code: signature verifications per second per core (Ed25519 and SM2,
// crypto::Suite::Verify, as onechain-bench measures them) and synced small writes per second in
// a directory (write 4 KiB + fsync, as a commit costs at least one).
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "bench/report.h"

namespace onechain::bench {
namespace {

// Synced 4 KiB writes per second in `dir` over about `seconds`; 0 when the file cannot be made.
double FsyncRate(const std::string& dir, double seconds) {
  const std::string path = dir + "/onechain-limits.fsync";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return 0;
  const std::string block(4096, 'x');
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  size_t done = 0;
  bool ok = true;
  while (ok && Clock::now() - start < std::chrono::duration<double>(seconds)) {
    ok = ::write(fd, block.data(), block.size()) == static_cast<ssize_t>(block.size()) &&
         ::fsync(fd) == 0;
    ++done;
  }
  ::close(fd);
  ::unlink(path.c_str());
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return ok ? static_cast<double>(done) / elapsed : 0;
}

}  // namespace
}  // namespace onechain::bench

int main(int argc, char** argv) {
  std::string dir = ".";
  double seconds = 1.0;
  CLI::App app{"onechain-limits: verify rates per core and fsync rate of this machine, as JSON"};
  app.add_option("--dir", dir, "Directory for the fsync measurement (the data disk)")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  app.add_option("--seconds", seconds, "Duration of each measurement")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 60.0));
  CLI11_PARSE(app, argc, argv);
  using namespace onechain;
  bench::VerifyRate ed25519 = bench::MeasureVerifyRate(*crypto::GetSuite(pb::SUITE_INTL), seconds);
  bench::VerifyRate sm2 = bench::MeasureVerifyRate(*crypto::GetSuite(pb::SUITE_SM), seconds);
  nlohmann::json out = {
      {"ed25519_verify_per_s_per_core", ed25519.per_cpu_s},
      {"sm2_verify_per_s_per_core", sm2.per_cpu_s},
      {"fsync_per_s", bench::FsyncRate(dir, seconds)},
      {"cores", std::max(1u, std::thread::hardware_concurrency())},
  };
  std::cout << out.dump(2) << "\n";
  return ed25519.per_cpu_s > 0 && sm2.per_cpu_s > 0 ? 0 : 1;
}
