// Errors as values: a Status carries a machine-readable code (proto/types.proto Status.Code) and a
// human sentence; Result<T> carries either a value or a Status. Modules return these instead of
// throwing across boundaries.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

#include "types.pb.h"

namespace onechain {

using Code = pb::Status::Code;

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == pb::Status::OK; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "BAD_SIGNATURE: signature does not verify" — for logs and CLI errors.
  std::string ToString() const { return pb::Status::Code_Name(code_) + ": " + message_; }

 private:
  Code code_ = pb::Status::OK;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace onechain
