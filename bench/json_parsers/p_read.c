/* Baseline: the driver's read() loop alone, no parsing. */
#include "bench.h"

const struct parser bench_parser = { "read", FEED_NONE, NULL, NULL, NULL, NULL };
