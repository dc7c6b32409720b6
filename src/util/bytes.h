// Byte strings and their hex form. Raw bytes live in std::string, as protobuf `bytes` fields do.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace onechain {

std::string ToHex(std::string_view bytes);
// Lower- or upper-case hex of even length; nullopt otherwise.
std::optional<std::string> FromHex(std::string_view hex);

}  // namespace onechain
