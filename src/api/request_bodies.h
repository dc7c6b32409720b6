// Decoding of the REST request bodies that carry transactions, apart from HTTP so the fuzz
// targets (fuzz/rest_body_fuzz.cc) call exactly what the handlers call.
#pragma once

#include <string>
#include <string_view>

#include "api.pb.h"
#include "util/status.h"

namespace onechain::api {

// The envelope bytes of a POST /v1/tx body: binary protobuf (returned as is), or JSON of SignedTx
// whose `body` field carries the exact signed bytes in base64. Codes: TOO_LARGE, MALFORMED.
Result<std::string> EnvelopeFromBody(std::string_view body, bool json);

// The body of POST /v1/txs: SubmitBatchRequest as binary protobuf or JSON, bounded in bytes and
// entries. Codes: TOO_LARGE, MALFORMED, INVALID_ARGUMENT (no entries).
Result<pb::SubmitBatchRequest> BatchFromBody(std::string_view body, bool json);

}  // namespace onechain::api
