#include "ledger/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/bytes.h"

namespace onechain::ledger {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempSuffix = ".tmp";

Status IoError(const std::string& what, const std::string& path) {
  return Status(pb::Status::IO, what + " " + path + ": " + std::strerror(errno));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Status SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return IoError("cannot sync directory", dir);
  return Status::Ok();
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<BlobStore>> BlobStore::Open(std::string dir, const crypto::Suite& suite,
                                                   uint64_t max_blob_bytes) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    return Status(pb::Status::IO, "cannot create blob directory " + dir + ": " + error.message());
  }
  // Temporary files of writes that a crash interrupted never became blobs: remove them.
  for (const fs::directory_entry& sub : fs::directory_iterator(dir, error)) {
    if (!sub.is_directory()) continue;
    for (const fs::directory_entry& file : fs::directory_iterator(sub.path(), error)) {
      const std::string name = file.path().filename().string();
      if (name.starts_with('.') && name.ends_with(kTempSuffix)) fs::remove(file.path(), error);
    }
  }
  if (error) {
    return Status(pb::Status::IO, "cannot read blob directory " + dir + ": " + error.message());
  }
  return std::unique_ptr<BlobStore>(new BlobStore(std::move(dir), suite, max_blob_bytes));
}

std::string BlobStore::PathOf(std::string_view hash) const {
  const std::string hex = ToHex(hash);
  return dir_ + "/" + hex.substr(0, 2) + "/" + hex;
}

Result<std::string> BlobStore::Put(std::string_view bytes) const {
  if (bytes.size() > max_blob_bytes_) {
    return Status(pb::Status::TOO_LARGE, "blob of " + std::to_string(bytes.size()) +
                                             " bytes exceeds the limit of " +
                                             std::to_string(max_blob_bytes_) + " bytes");
  }
  const std::string hash = suite_.Hash(bytes);
  const std::string path = PathOf(hash);
  if (::access(path.c_str(), F_OK) == 0) return hash;

  const std::string sub = fs::path(path).parent_path().string();
  if (::mkdir(sub.c_str(), 0755) != 0 && errno != EEXIST) {
    return IoError("cannot create", sub);
  }
  static std::atomic<uint64_t> counter{0};
  const std::string temp = sub + "/." + ToHex(hash) + "." + std::to_string(::getpid()) + "." +
                           std::to_string(counter.fetch_add(1)) + std::string(kTempSuffix);
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) return IoError("cannot create", temp);
    Status written = WriteAll(fd.get(), bytes, temp);
    if (written.ok() && ::fsync(fd.get()) != 0) written = IoError("cannot sync", temp);
    if (!written.ok()) {
      ::unlink(temp.c_str());
      return written;
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status status = IoError("cannot rename into", path);
    ::unlink(temp.c_str());
    return status;
  }
  Status synced = SyncDirectory(sub);
  if (!synced.ok()) return synced;
  return hash;
}

Result<std::string> BlobStore::Get(std::string_view hash) const {
  if (hash.size() != crypto::kHashBytes) {
    return Status(pb::Status::MALFORMED, "blob hash must be 32 bytes");
  }
  const std::string path = PathOf(hash);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status(pb::Status::NOT_FOUND, "no blob " + ToHex(hash));
    return IoError("cannot open", path);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return IoError("cannot stat", path);
  if (static_cast<uint64_t>(info.st_size) > max_blob_bytes_) {
    return Status(pb::Status::IO, "stored blob " + path + " is larger than any blob accepted");
  }
  std::string bytes(static_cast<size_t>(info.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return IoError("cannot read", path);
    done += static_cast<size_t>(got);
  }
  if (suite_.Hash(bytes) != hash) {
    return Status(pb::Status::IO, "stored blob " + path + " no longer matches its hash");
  }
  return bytes;
}

bool BlobStore::Has(std::string_view hash) const {
  return hash.size() == crypto::kHashBytes && ::access(PathOf(hash).c_str(), F_OK) == 0;
}

}  // namespace onechain::ledger
