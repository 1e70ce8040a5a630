/*
 * Ingest orchestration: see ingest.h. One input at a time:
 *   fingerprint (skip content already ingested) -> reader -> parser ->
 *   per span: dictionaries, cost, identity-checked insert, original kept in a
 *   zstd block -> commit every batch_spans spans -> file ledger.
 */
#include "ingest.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "../util/buf.h"
#include "../util/hash.h"
#include "../util/map.h"
#include "../util/timeutil.h"
#include "attrmap.h"
#include "json.h"
#include "parse.h"
#include "reader.h"

#define RAW_BLOCK_BYTES (1u << 20) /* original text per compressed block */
#define RAW_ZSTD_LEVEL 1

typedef struct run {
	ac_store *s;
	ac_pricebook *pb;
	const ac_ingest_opts *o;
	ac_ingest_stats *st;
	ac_err *err;
	const char *path;
	int64_t file_id;
	long in_batch;
	ac_buf raw;
	int64_t raw_id; /* id the current block will get */
	ZSTD_CCtx *cctx;
	void *zbuf;
	size_t zcap;
	long long records, spans, spans_new, errors;
	int saw_otlp, saw_flat;
	int aborted; /* --strict: a rejected span stopped the file */
	ac_map dirty; /* traces given new spans in this transaction */
	sqlite3_stmt *mark;
	/* progress */
	ac_reader *reader;
	double t0, last_progress;
} run;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void diag(run *r, long long line, long long col, const char *msg)
{
	if (r->o->diag)
		r->o->diag(r->path, line, col, msg, r->o->payload);
}

static int flush_raw(run *r)
{
	if (r->raw.len == 0)
		return 0;
	if (r->raw.oom)
		return ac_err_set(r->err, AC_ENOMEM, "out of memory");
	size_t bound = ZSTD_compressBound(r->raw.len);
	if (bound > r->zcap) {
		void *nz = realloc(r->zbuf, bound);
		if (!nz)
			return ac_err_set(r->err, AC_ENOMEM, "out of memory");
		r->zbuf = nz;
		r->zcap = bound;
	}
	size_t zn = ZSTD_compressCCtx(r->cctx, r->zbuf, r->zcap, r->raw.data, r->raw.len,
	                              RAW_ZSTD_LEVEL);
	if (ZSTD_isError(zn))
		return ac_err_set(r->err, AC_EZSTD, "compressing originals: %s", ZSTD_getErrorName(zn));
	int rc = ac_store_insert_raw(r->s, r->raw_id, r->file_id, r->zbuf, zn, r->err);
	if (rc)
		return rc;
	r->st->raw_bytes += (long long)r->raw.len;
	r->st->raw_zbytes += (long long)zn;
	r->raw_id++;
	ac_buf_reset(&r->raw);
	return 0;
}

static int begin_batch(run *r)
{
	int rc = ac_store_begin(r->s, r->err);
	if (rc)
		return rc;
	r->in_batch = 0;
	return ac_store_next_raw_id(r->s, &r->raw_id, r->err);
}

/* Record the traces this transaction touched, for task derivation. */
static int flush_dirty(run *r)
{
	if (!r->mark && sqlite3_prepare_v2(ac_store_db(r->s),
	                                   "INSERT OR IGNORE INTO dirty_trace(trace) VALUES (?1)", -1,
	                                   &r->mark, NULL) != SQLITE_OK)
		return ac_store_fail(r->s, r->err, "mark traces");
	for (size_t i = 0; i < r->dirty.cap; i++) {
		if (!r->dirty.slots[i].hash)
			continue;
		sqlite3_bind_int64(r->mark, 1, r->dirty.slots[i].val);
		int rc = sqlite3_step(r->mark);
		sqlite3_reset(r->mark);
		if (rc != SQLITE_DONE)
			return ac_store_fail(r->s, r->err, "mark traces");
	}
	ac_map_clear(&r->dirty);
	return 0;
}

static int commit_batch(run *r)
{
	int rc = flush_raw(r);
	if (!rc)
		rc = flush_dirty(r);
	if (rc)
		return rc;
	return ac_store_commit(r->s, r->err);
}

static void progress(run *r, int final)
{
	if (!r->o->progress)
		return;
	double t = now_s();
	if (!final && t - r->last_progress < 0.5)
		return;
	r->last_progress = t;
	double el = t - r->t0;
	double mb = (double)ac_reader_bytes_in(r->reader) / 1e6;
	int64_t size = ac_reader_size(r->reader);
	char eta[32] = "";
	if (size > 0 && mb > 0 && el > 0) {
		double left = ((double)size / 1e6 - mb) / (mb / el);
		snprintf(eta, sizeof(eta), ", ETA %.0fs", left > 0 ? left : 0);
	}
	fprintf(stderr, "\r%s: %.1f MB, %lld spans, %.0f spans/s%s   ", r->path, mb, r->spans,
	        el > 0 ? (double)r->spans / el : 0.0, eta);
	if (final)
		fputc('\n', stderr);
}

/* Copy a slice into a NUL-terminated buffer (model and tool names). */
static const char *cstr(ac_str s, char *buf, size_t cap)
{
	if (!s.n)
		return NULL;
	size_t n = s.n < cap - 1 ? s.n : cap - 1;
	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return buf;
}

static int on_span(ac_span *sp, void *payload)
{
	run *r = payload;
	int rc;
	char idhex[17];
	ac_hex(sp->span_id, 8, idhex);

	if (sp->err[0]) {
		char msg[400];
		snprintf(msg, sizeof(msg), "span %s: %s", idhex, sp->err);
		diag(r, sp->line, 0, msg);
		r->errors++;
		if (r->o->strict) {
			r->aborted = 1;
			return ac_err_setpos(r->err, AC_EPARSE, sp->line, 0, "%s", msg);
		}
		return 0;
	}
	r->spans++;

	ac_span_row row;
	memset(&row, 0, sizeof(row));
	if ((rc = ac_store_trace(r->s, sp->trace_id, &row.trace, r->err)))
		return rc;
	row.span_id = sp->span_id;
	row.parent_id = sp->has_parent ? sp->parent_id : NULL;
	row.file = r->file_id;
	row.start_ns = sp->start_ns;
	row.end_ns = sp->end_ns;
	row.step = sp->step;
	row.status = sp->status;

	static const struct {
		int dict;
		int field;
		size_t off;
	} dims[] = {
		{ AC_DICT_SERVICE, AC_F_SERVICE, offsetof(ac_span_row, service) },
		{ AC_DICT_LABEL, AC_F_ENV, offsetof(ac_span_row, env) },
		{ AC_DICT_MODEL, AC_F_MODEL, offsetof(ac_span_row, model) },
		{ AC_DICT_LABEL, AC_F_PROVIDER, offsetof(ac_span_row, provider) },
		{ AC_DICT_TOOL, AC_F_TOOL, offsetof(ac_span_row, tool) },
		{ AC_DICT_LABEL, AC_F_ERROR_TYPE, offsetof(ac_span_row, error_type) },
		{ AC_DICT_LABEL, AC_F_COMPLEXITY, offsetof(ac_span_row, complexity) },
		{ AC_DICT_LABEL, AC_F_PURPOSE, offsetof(ac_span_row, purpose) },
		{ AC_DICT_TASK_REF, AC_F_TASK_ID, offsetof(ac_span_row, task_ref) },
		{ AC_DICT_LABEL, AC_F_TASK_TYPE, offsetof(ac_span_row, task_type) },
		{ AC_DICT_LABEL, AC_F_AGENT_NAME, offsetof(ac_span_row, agent_name) },
	};
	if ((rc = ac_store_dict(r->s, AC_DICT_SPAN_NAME, sp->name.p, sp->name.n, &row.name, r->err)))
		return rc;
	for (size_t k = 0; k < sizeof(dims) / sizeof(dims[0]); k++) {
		ac_str v = sp->str[dims[k].field];
		int64_t *dst = (int64_t *)((char *)&row + dims[k].off);
		if ((rc = ac_store_dict(r->s, dims[k].dict, v.p, v.n, dst, r->err)))
			return rc;
	}
	memcpy(row.tok, sp->tok, sizeof(row.tok));
	row.tok_mask = sp->tok_mask;
	row.has_producer_cost = (sp->num_mask & 2) != 0;
	row.producer_cost = sp->pcost_total;
	row.has_eval_score = (sp->num_mask & 1) != 0;
	row.eval_score = sp->eval_score;

	char model[256], tool[256];
	ac_cost_input ci = {
		.step = sp->step,
		.model = cstr(sp->str[AC_F_MODEL], model, sizeof(model)),
		.tool = cstr(sp->str[AC_F_TOOL], tool, sizeof(tool)),
		.start_ns = sp->start_ns,
		.tok = { sp->tok[AC_TOK_IN], sp->tok[AC_TOK_OUT], sp->tok[AC_TOK_CACHE_READ],
		         sp->tok[AC_TOK_CACHE_WRITE], sp->tok[AC_TOK_REASONING] },
		.has_producer_cost = row.has_producer_cost,
		.producer_cost = sp->pcost_total,
	};
	ac_pricebook_cost(r->pb, &ci, &row.cost, &row.cost_src);

	if (!r->o->no_raw) {
		row.raw_block = r->raw_id;
		row.raw_off = (int64_t)r->raw.len;
		row.raw_len = (int64_t)sp->raw.n;
	}
	int inserted;
	if ((rc = ac_store_insert_span(r->s, &row, &inserted, r->err))) {
		if (rc != AC_ELIMIT)
			return rc;
		char msg[600];
		snprintf(msg, sizeof(msg), "span %s: %s", idhex, r->err->msg);
		diag(r, sp->line, 0, msg);
		r->errors++;
		r->spans--;
		if (r->o->strict) {
			r->aborted = 1;
			return AC_EPARSE;
		}
		return 0;
	}
	if (inserted) {
		r->spans_new++;
		if (ac_map_put(&r->dirty, &row.trace, sizeof(row.trace), row.trace))
			return ac_err_set(r->err, AC_ENOMEM, "out of memory");
		if (!r->o->no_raw) {
			ac_buf_add(&r->raw, sp->raw.p, sp->raw.n);
			if (r->raw.len >= RAW_BLOCK_BYTES && (rc = flush_raw(r)))
				return rc;
		}
	}
	if (++r->in_batch >= r->o->batch_spans && !r->o->strict) {
		if ((rc = commit_batch(r)) || (rc = begin_batch(r)))
			return rc;
	}
	progress(r, 0);
	return 0;
}

/* Content fingerprint of a regular file: hash and size. -1 when unreadable. */
static int fingerprint(const char *path, char hash[17], int64_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat stt;
	if (fstat(fd, &stt) || !S_ISREG(stt.st_mode)) {
		close(fd);
		return -1;
	}
	ac_hash_state hs;
	ac_hash_init(&hs, 0);
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -1;
	}
	ssize_t n;
	int64_t total = 0;
	while ((n = read(fd, buf, cap)) > 0) {
		ac_hash_update(&hs, buf, (size_t)n);
		total += n;
	}
	free(buf);
	close(fd);
	if (n < 0)
		return -1;
	snprintf(hash, 17, "%016llx", (unsigned long long)ac_hash_final(&hs));
	*size = total;
	return 0;
}

int ac_ingest_file(ac_store *s, ac_pricebook *pb, const char *path, const ac_ingest_opts *o,
                   ac_ingest_stats *st, ac_err *err)
{
	run r;
	ac_json j = AC_JSON_INIT;
	ac_reader *rd = NULL;
	int rc = 0, in_tx = 0, refused = 0, damaged = 0;
	char hash[17];
	int64_t size = -1;
	const char *hashp = NULL;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.pb = pb;
	r.o = o;
	r.st = st;
	r.err = err;
	r.path = path;
	r.t0 = now_s();

	if (strcmp(path, "-") != 0) {
		if (fingerprint(path, hash, &size) == 0) {
			hashp = hash;
			if (!o->force && size > 0) {
				rc = ac_store_file_seen(s, hash, size, err);
				if (rc < 0)
					return rc;
				if (rc == 1) {
					diag(&r, -1, 0, "already ingested (same content); skipped (--force re-reads it)");
					st->files_seen++;
					return 0;
				}
			}
		}
	}

	ac_reader_opts ro = AC_READER_OPTS_INIT;
	ro.max_record = o->max_record;
	if ((rc = ac_reader_open(&rd, path, &ro, err))) {
		diag(&r, 0, 0, err->msg);
		st->files_failed++;
		return rc;
	}
	r.reader = rd;
	r.cctx = ZSTD_createCCtx();
	if (!r.cctx) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = begin_batch(&r)))
		goto done;
	in_tx = 1;
	if ((rc = ac_store_file_begin(s, path, size, hashp,
	                              ac_container_name(ac_reader_container(rd)), &r.file_id, err)))
		goto done;

	for (;;) {
		ac_record rec;
		ac_err rerr = AC_ERR_INIT;
		rc = ac_reader_next(rd, &rec, &rerr);
		if (rc == 0)
			break;
		if (rc == AC_ELIMIT) {
			diag(&r, rerr.line, 0, rerr.msg);
			r.errors++;
			r.records++;
			if (o->strict) {
				*err = rerr;
				goto done;
			}
			rc = 0;
			continue;
		}
		if (rc < 0) {
			/* damaged compression, protobuf payloads, read errors: keep what came before */
			char msg[600];
			if (rerr.offset >= 0 && !strstr(rerr.msg, "byte"))
				snprintf(msg, sizeof(msg), "byte %lld: %s", rerr.offset, rerr.msg);
			else
				snprintf(msg, sizeof(msg), "%s", rerr.msg);
			diag(&r, 0, 0, msg);
			*err = rerr;
			r.errors++;
			if (rc == AC_EFORMAT && r.records == 0) {
				refused = 1;
				goto done;
			}
			if (o->strict)
				goto done;
			damaged = rc;
			rc = 0;
			break;
		}
		r.records++;
		int kind = 0;
		ac_err perr = AC_ERR_INIT;
		rc = ac_parse_record(&j, rec.data, rec.len, rec.line, &kind, on_span, &r, &perr);
		if (rc == 0) {
			if (kind == AC_REC_OTLP)
				r.saw_otlp = 1;
			else
				r.saw_flat = 1;
			continue;
		}
		if (r.aborted)
			goto done; /* --strict: a rejected span, already reported */
		if (rc != AC_EPARSE && rc != AC_ELIMIT && rc != AC_EFORMAT)
			goto done; /* database or memory failure from the span callback */
		diag(&r, perr.line, perr.col, perr.msg);
		r.errors++;
		if (rc == AC_EFORMAT && r.records == 1 && r.spans == 0 && r.errors == 1) {
			*err = perr;
			refused = 1;
			goto done;
		}
		if (o->strict) {
			*err = perr;
			goto done;
		}
		rc = 0;
	}

	{
		ac_file_counts fc = {
			r.records, r.spans, r.spans_new, r.errors, damaged ? 0 : 1,
			r.saw_otlp && r.saw_flat ? "mixed" : r.saw_otlp ? "otlp" : r.saw_flat ? "flat" : "unknown",
			damaged ? err->msg : NULL,
		};
		if ((rc = flush_raw(&r)) || (rc = flush_dirty(&r)) ||
		    (rc = ac_store_file_finish(s, r.file_id, &fc, err)))
			goto done;
		if ((rc = ac_store_commit(s, err)))
			goto done;
		in_tx = 0;
	}
	if (r.records == 0 && !damaged)
		diag(&r, -1, 0, "no records (empty file)");
	rc = damaged;

done:
	if (in_tx && rc == 0 && !refused)
		rc = AC_EPARSE;
	if (in_tx) {
		/* refused, --strict abort, or a database failure: nothing of this
		 * transaction stays */
		ac_store_rollback(s);
	}
	progress(&r, 1);
	st->records += r.records;
	st->errors += r.errors;
	st->bytes += (long long)ac_reader_bytes_in(rd);
	if (in_tx) {
		st->files_failed++;
		if (refused)
			rc = AC_EFORMAT;
	} else {
		st->files++;
		st->spans += r.spans;
		st->spans_new += r.spans_new;
		if (damaged)
			st->files_partial++;
	}
	ac_reader_free(rd);
	ac_json_release(&j);
	ac_buf_release(&r.raw);
	ac_map_release(&r.dirty);
	sqlite3_finalize(r.mark);
	ZSTD_freeCCtx(r.cctx);
	free(r.zbuf);
	return rc;
}
