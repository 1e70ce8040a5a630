/*
 * Ingest: reader -> parser -> pricing -> store, two inputs at a time.
 *
 * Each input is read in transactions of opts.batch_spans spans, so a killed
 * ingest leaves the store at its last commit; the file ledger marks a file
 * complete only in its last transaction, and re-running the same ingest
 * reaches exactly the totals of a clean run (span identity de-duplicates what
 * was already committed). With opts.strict the whole file is one
 * transaction and its first error rolls all of it back.
 */
#ifndef AC_INGEST_H
#define AC_INGEST_H

#include <stddef.h>

#include "../pricing/pricing.h"
#include "../store/store.h"
#include "../util/err.h"

/* A problem in the input: file, line (0 = none), column (0 = none), message. */
typedef void (*ac_diag_fn)(const char *file, long long line, long long col, const char *msg,
                           void *payload);

/* Progress of one input: called at most twice a second while it is read,
 * and once at its end (final = 1). */
typedef struct ac_ingest_progress {
	double seconds;     /* since the input was opened */
	uint64_t bytes_in;  /* bytes read from the file so far */
	int64_t size;       /* the file's size, -1 when unknown (a pipe) */
	int64_t read_from;  /* the byte the read started at (a grown file) */
	long long spans;    /* valid spans read so far */
} ac_ingest_progress;
typedef void (*ac_progress_fn)(const char *file, const ac_ingest_progress *p, int final,
                               void *payload);

typedef struct ac_ingest_opts {
	int strict;          /* first error aborts the file, nothing of it written */
	int no_raw;          /* do not keep the compressed original spans */
	int force;           /* re-read content already ingested completely */
	ac_progress_fn progress; /* NULL: no progress reports; called with payload */
	size_t max_record;   /* longest record (line / message / document) */
	long batch_spans;    /* spans per transaction */
	ac_diag_fn diag;
	void *payload;
	size_t max_json_values; /* JSON values in one record; 0: ac_json_values_limit(max_record) */
	size_t hold_bytes;   /* trace assembly budget per input (src/ingest/hold.h);
	                      * 0: AC_INGEST_HOLD_DEFAULT; AC_INGEST_NO_HOLD: spans go
	                      * to the writer as read */
	int no_early;        /* derive no trace before its insert: every trace the usual
	                      * way (for comparisons of the two paths) */
} ac_ingest_opts;

#define AC_INGEST_HOLD_DEFAULT ((size_t)32 << 20)
#define AC_INGEST_NO_HOLD ((size_t)-1)
#define AC_INGEST_OPTS_INIT { 0, 0, 0, NULL, (size_t)256 << 20, 50000, NULL, NULL, 0, 0, 0 }

typedef struct ac_ingest_stats {
	long long files;         /* inputs read */
	long long files_seen;    /* inputs skipped: same content already ingested */
	long long files_failed;  /* refused, aborted (--strict) or unreadable */
	long long files_partial; /* corrupt or truncated compression: kept up to the damage */
	long long records;
	long long spans;         /* valid spans read */
	long long spans_new;     /* of those, new to the store */
	long long errors;        /* records and spans skipped */
	long long bytes;         /* input bytes read */
	long long raw_bytes;     /* original span text kept, before compression */
	long long raw_zbytes;    /* the same, compressed */
	long long tasks;         /* tasks (re)derived */
	long long tasks_early;   /* of those, derived before their spans were stored */
} ac_ingest_stats;

/*
 * Ingest one input ("-" = standard input) into s, pricing with pb.
 * Returns 0 when the input was read (possibly with skipped records, counted
 * in stats->errors and reported through opts->diag); AC_EFORMAT when the input
 * was refused (not traces); AC_EZSTD when compressed data was damaged (what
 * came before is kept, the file is marked incomplete); AC_EPARSE when --strict
 * aborted it; AC_EIO / AC_ESQL / AC_ENOMEM on failure. Diagnostics for all of
 * these have already gone to opts->diag; err holds the last one.
 */
int ac_ingest_file(ac_store *s, ac_pricebook *pb, const char *path, const ac_ingest_opts *opts,
                   ac_ingest_stats *stats, ac_err *err);

/*
 * Ingest n inputs, two at a time (one at a time with opts.strict): each has
 * its own parser thread, and the writer applies whichever batch is ready
 * next, so two inputs' spans share transactions (each input's ledger row is
 * finished, and committed, when its last batch is written). rcs[i] receives
 * what ac_ingest_file would return for paths[i]. Returns 0, or AC_ESQL /
 * AC_ENOMEM when the store failed: then every input in flight is stopped,
 * the open transaction rolled back, and the inputs not started are left
 * alone (their rcs 0, nothing counted).
 */
int ac_ingest_files(ac_store *s, ac_pricebook *pb, const char *const *paths, size_t n,
                    const ac_ingest_opts *opts, ac_ingest_stats *stats, int *rcs, ac_err *err);

/*
 * Content hash of a whole regular file as the ledger keeps it (file.content_hash,
 * 16 hex digits): the value the reader computes as it reads (ac_fhash), and in
 * old the one agentcost wrote before schema 5 (ac_hash64 streamed), so a file
 * ingested then is still recognised. -1 when unreadable.
 */
int ac_ingest_content_hash(const char *path, char hash[17], char old[17]);

#endif
