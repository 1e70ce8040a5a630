/*
 * Trace assembly: the spans of traces not yet complete, held back by a
 * parser until their trace is, so that the writer gets each trace whole and
 * derives it once (issue: the Collector writes spans as they end, so a
 * trace's spans are spread over many records and each record mixes traces).
 *
 * The parser decides at each hand-over (ingest.c route_batch): a trace whose
 * root span has been seen is complete (the batch processor sends a parent
 * after its children, the root last) and goes out with its held spans; the
 * spans of any other trace are held. A held trace also goes out when no span
 * of it has ended for AC_HOLD_QUIET_NS of the input's time (the latest end
 * time read so far), when the held bytes pass the budget (least recently
 * fed first), and at the end of the input. Spans of a trace that went out
 * lately (the last AC_HOLD_DONE traces) are not held: they are late, and the
 * writer re-derives their trace once per transaction whatever comes.
 *
 * What is held is opaque here: blobs (ingest.c's span items with their
 * strings and original text), in arrival order per trace. Memory: the
 * budget plus one entry per held trace plus the done ring (~1.5 MB).
 */
#ifndef AC_HOLD_H
#define AC_HOLD_H

#include <stddef.h>
#include <stdint.h>

#define AC_HOLD_QUIET_NS (600LL * 1000000000LL) /* 10 minutes */
#define AC_HOLD_DONE 65536

typedef struct ac_hold ac_hold;

/* Called once per held blob, in arrival order; nonzero stops with that code. */
typedef int (*ac_hold_fn)(const void *blob, size_t n, void *payload);

/* NULL when out of memory. budget: held bytes before the oldest trace goes out. */
ac_hold *ac_hold_new(size_t budget);
void ac_hold_free(ac_hold *h);

/* Append a copy of blob to trace tid's held spans; end_ns is the span's end.
 * 0, or -1 when out of memory (nothing held then). */
int ac_hold_add(ac_hold *h, const uint8_t tid[16], int64_t end_ns, const void *blob, size_t n);

/* 1 when trace tid has spans held. */
int ac_hold_has(const ac_hold *h, const uint8_t tid[16]);

/* Hand every held blob of tid to fn, then forget the trace and mark it done.
 * Returns fn's first nonzero code, else 0 (also when nothing was held). */
int ac_hold_take(ac_hold *h, const uint8_t tid[16], ac_hold_fn fn, void *payload);

/* The trace that should go out now, if any: over budget, the least recently
 * fed; else the least recently fed one if quiet (its last end time before
 * now_ns - AC_HOLD_QUIET_NS); all = 1 takes any (end of input). Copies its
 * id to tid and returns 1, else 0. */
int ac_hold_due(const ac_hold *h, int64_t now_ns, int all, uint8_t tid[16]);

/* Mark tid done (it went out whole, with its root) / ask whether it is. */
void ac_hold_mark_done(ac_hold *h, const uint8_t tid[16]);
int ac_hold_is_done(const ac_hold *h, const uint8_t tid[16]);

size_t ac_hold_bytes(const ac_hold *h);
size_t ac_hold_traces(const ac_hold *h);

#endif
