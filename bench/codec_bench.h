// The ingest decoders alone, in-process on one thread: DecodeMsgpackBatch and DecodeJsonBatch,
// each followed by ValidateEvent, over the batches the edge benches send. Tells how much of an
// ingest path's time is decoding (no reference: they are prints for the analysis).
#pragma once

#include "bench/ingest_driver.h"

namespace storepulse::bench {

// Prints msgpack_decode_validate and json_decode_validate (events/s, one core).
void RunCodecBenches(const ProducerBatches& msgpack, const ProducerBatches& json);

}  // namespace storepulse::bench
