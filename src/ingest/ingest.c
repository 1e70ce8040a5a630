/*
 * Ingest orchestration: see ingest.h.
 *
 * A parser thread per input, up to two inputs at a time, and one writer, so
 * parsing and writing overlap on two cores:
 *
 *   parser thread   reader -> JSON -> spans, copied into a batch (strings and
 *                   original span texts in the batch's arenas) together with
 *                   every diagnostic, in input order; the batch's originals
 *                   compressed into one zstd frame.
 *   writer (caller) whichever input's batch is ready: diagnostics and trace
 *                   ids in input order, then the spans in row-key order
 *                   (dictionaries, cost, identity-checked inserts), the
 *                   frame kept as a raw_block when a span was new, the dirty
 *                   traces; tasks derived and a commit every batch_spans
 *                   spans of all inputs, and at each input's end (one
 *                   transaction for the whole file with --strict, which
 *                   reads one input at a time).
 *
 * NBATCH batches per input circulate between a free list and a full queue
 * (enough to ride through the writer's commit and derivation pauses), under
 * one lock for all inputs, so memory is bounded by NBATCH batches (~2 MB of
 * text each) per input plus the readers' buffers, whatever the input size.
 * The writer alone touches the database, the pricebook and the statistics;
 * each parser alone touches its reader.
 */
#include "ingest.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "../util/buf.h"
#include "../util/hash.h"
#include "../util/jsonattr.h"
#include "../util/map.h"
#include "../util/timeutil.h"
#include "attrmap.h"
#include "hold.h"
#include "json.h"
#include "parse.h"
#include "otlp_pb.h"
#include "reader.h"
#include "../tasks/tasks.h"

#define BATCH_ITEMS 2048          /* spans (and diagnostics) per batch */
#define BATCH_TEXT (2u << 20)     /* original text per batch before it is handed over */
#define RAW_ZSTD_LEVEL 1
#define NBATCH 12

/* ---- what the parser hands to the writer -------------------------------- */

enum { IT_SPAN, IT_ERROR, IT_REFUSE, IT_FATAL };

/* String fields kept per span, with the span field each comes from. */
enum { S_NAME, S_SERVICE, S_ENV, S_MODEL, S_PROVIDER, S_TOOL, S_ERROR_TYPE, S_COMPLEXITY,
       S_PURPOSE, S_TASK_ID, S_TASK_TYPE, S_AGENT, S_SCOPE, S_SERVICE_TIER, S_USER, S_SESSION,
       S_RESOURCE, S_COUNT };
static const int S_FIELD[S_COUNT] = { -1, AC_F_SERVICE, AC_F_ENV, AC_F_MODEL, AC_F_PROVIDER,
	                              AC_F_TOOL, AC_F_ERROR_TYPE, AC_F_COMPLEXITY, AC_F_PURPOSE,
	                              AC_F_TASK_ID, AC_F_TASK_TYPE, AC_F_AGENT_NAME,
	                              AC_F_SCOPE, AC_F_SERVICE_TIER, AC_F_USER, AC_F_SESSION,
	                              AC_F_RESOURCE };
static const int S_DICT[S_COUNT] = { AC_DICT_SPAN_NAME, AC_DICT_SERVICE, AC_DICT_LABEL,
	                             AC_DICT_MODEL, AC_DICT_LABEL, AC_DICT_TOOL, AC_DICT_LABEL,
	                             AC_DICT_LABEL, AC_DICT_LABEL, AC_DICT_TASK_REF,
	                             AC_DICT_LABEL, AC_DICT_LABEL, AC_DICT_LABEL, AC_DICT_LABEL,
	                             AC_DICT_DIM_VALUE, AC_DICT_DIM_VALUE, AC_DICT_RESOURCE };

typedef struct sref {
	uint32_t off, len; /* into batch.text */
} sref;

typedef struct item {
	int kind;
	int code;
	int quiet; /* counted, not printed again (repeats of a refusal) */
	long long line, col;
	sref msg; /* diagnostics */
	uint8_t trace_id[16], span_id[8], parent_id[8];
	int has_parent, step, status;
	int64_t start_ns, end_ns;
	int64_t tok[AC_TOK_COUNT];
	unsigned tok_mask, num_mask;
	double eval_score, pcost;
	sref s[S_COUNT];
	uint32_t raw_off, raw_len; /* into batch.raw */
} item;

typedef struct batch {
	item *items;
	size_t n, cap;
	ac_buf text;
	ac_buf raw;       /* the spans' original texts, one after another */
	void *z;          /* ... compressed into one zstd frame */
	size_t zn, zcap;
	int zdone;        /* ... already (by the parser, when the writer was behind) */
	long long records;
	uint64_t bytes_in;
	unsigned saw; /* bit k: a record of kind k (AC_REC_*) */
	int end;
	int oom;
	sref last_res; /* the last resource text kept: spans of one resource share it */
	struct batch *next;
} batch;

/* One lock and one condition for every input in flight: the writer waits
 * for a full batch of any of them. */
typedef struct hsync {
	pthread_mutex_t mu;
	pthread_cond_t cv;
} hsync;

typedef struct handoff {
	hsync *sy;
	batch *free_list;
	batch *full_head, *full_tail;
	atomic_int stop; /* the writer wants the parser to finish early */
	/* parser-side state */
	ac_reader *reader;
	ac_json json;
	ac_csv_rows *csv;   /* CSV rows: the header read (ac_parse_csv_record) */
	int no_raw;
	ZSTD_CCtx *cctx;    /* compresses each batch's originals (parser side) */
	long long records;  /* records read so far */
	long long spans_ok; /* valid spans emitted so far */
	int refusing;       /* the first record was of another kind (logs, ...) */
	char refusal[512];  /* ... and its message */
	batch *cur;
	batch pool[NBATCH];
	/* trace assembly (hold.h): spans of incomplete traces held back */
	ac_hold *hold;       /* NULL: every span goes out as read */
	int64_t stream_ns;   /* latest span end read so far: the input's time */
	struct tstate *ts;   /* the traces of the batch being routed */
	size_t tscap;
	uint32_t tsgen;
	ac_buf ser;          /* one held span, serialized */
} handoff;

static void push_full(handoff *p, batch *b)
{
	pthread_mutex_lock(&p->sy->mu);
	b->next = NULL;
	if (p->full_tail)
		p->full_tail->next = b;
	else
		p->full_head = b;
	p->full_tail = b;
	pthread_cond_broadcast(&p->sy->cv);
	pthread_mutex_unlock(&p->sy->mu);
}

/* The next full batch of any of the n handoffs (NULL entries skipped), with
 * its index in *which: the first one with a batch waiting. */
static batch *take_any(handoff **ps, size_t n, hsync *sy, size_t *which)
{
	pthread_mutex_lock(&sy->mu);
	for (;;) {
		for (size_t i = 0; i < n; i++) {
			handoff *p = ps[i];
			if (p && p->full_head) {
				batch *b = p->full_head;
				p->full_head = b->next;
				if (!p->full_head)
					p->full_tail = NULL;
				pthread_mutex_unlock(&sy->mu);
				*which = i;
				return b;
			}
		}
		pthread_cond_wait(&sy->cv, &sy->mu);
	}
}

static void give_free(handoff *p, batch *b)
{
	b->n = 0;
	b->zn = 0;
	b->zdone = 0;
	ac_buf_reset(&b->text);
	ac_buf_reset(&b->raw);
	b->last_res = (sref){ 0, 0 };
	b->records = 0;
	b->saw = 0;
	b->end = 0;
	b->oom = 0;
	pthread_mutex_lock(&p->sy->mu);
	b->next = p->free_list;
	p->free_list = b;
	pthread_cond_broadcast(&p->sy->cv);
	pthread_mutex_unlock(&p->sy->mu);
}

static batch *take_free(handoff *p)
{
	pthread_mutex_lock(&p->sy->mu);
	while (!p->free_list)
		pthread_cond_wait(&p->sy->cv, &p->sy->mu);
	batch *b = p->free_list;
	p->free_list = b->next;
	pthread_mutex_unlock(&p->sy->mu);
	return b;
}

/* ---- parser thread ------------------------------------------------------- */

static item *new_item(batch *b, int kind)
{
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : BATCH_ITEMS;
		item *ni = realloc(b->items, nc * sizeof(*ni));
		if (!ni) {
			b->oom = 1;
			return NULL;
		}
		b->items = ni;
		b->cap = nc;
	}
	item *it = &b->items[b->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

static sref keep(batch *b, const char *p, size_t n)
{
	sref r = { (uint32_t)b->text.len, (uint32_t)n };
	ac_buf_add(&b->text, p, n);
	if (b->text.oom)
		b->oom = 1;
	return r;
}

static void add_diag(batch *b, int kind, int code, long long line, long long col, const char *msg)
{
	item *it = new_item(b, kind);
	if (!it)
		return;
	it->code = code;
	it->line = line;
	it->col = col;
	it->msg = keep(b, msg, strlen(msg));
}

static int parsed_span(ac_span *sp, void *payload)
{
	handoff *p = payload;
	batch *b = p->cur;
	if (sp->err[0]) {
		char idhex[17], msg[400];
		ac_hex(sp->span_id, 8, idhex);
		if (sp->structural)
			snprintf(msg, sizeof(msg), "%s", sp->err);
		else
			snprintf(msg, sizeof(msg), "span %s: %s", idhex, sp->err);
		add_diag(b, IT_ERROR, AC_EPARSE, sp->line, 0, msg);
		return 0;
	}
	item *it = new_item(b, IT_SPAN);
	if (!it)
		return 0;
	p->spans_ok++;
	it->line = sp->line;
	memcpy(it->trace_id, sp->trace_id, 16);
	memcpy(it->span_id, sp->span_id, 8);
	memcpy(it->parent_id, sp->parent_id, 8);
	it->has_parent = sp->has_parent;
	it->step = sp->step;
	it->status = sp->status;
	it->start_ns = sp->start_ns;
	it->end_ns = sp->end_ns;
	memcpy(it->tok, sp->tok, sizeof(it->tok));
	it->tok_mask = sp->tok_mask;
	it->num_mask = sp->num_mask;
	it->eval_score = sp->eval_score;
	it->pcost = sp->pcost_total;
	it->s[S_NAME] = keep(b, sp->name.p, sp->name.n);
	for (int k = 1; k < S_RESOURCE; k++) {
		ac_str v = sp->str[S_FIELD[k]];
		it->s[k] = keep(b, v.p, v.n);
	}
	ac_str res = sp->str[AC_F_RESOURCE];
	if (!(res.n && !b->oom && b->last_res.len == res.n &&
	      memcmp(b->text.data + b->last_res.off, res.p, res.n) == 0))
		b->last_res = keep(b, res.p, res.n);
	it->s[S_RESOURCE] = res.n ? b->last_res : (sref){ 0, 0 };
	if (!p->no_raw) {
		it->raw_off = (uint32_t)b->raw.len;
		it->raw_len = (uint32_t)sp->raw.n;
		ac_buf_add(&b->raw, sp->raw.p, sp->raw.n);
		if (b->raw.oom)
			b->oom = 1;
	}
	return 0;
}

/* Compress the batch's originals into one frame (the writer keeps it when
 * any of the batch's spans is new) with *cctx, made on first use. */
static void compress_raw(ZSTD_CCtx **cctx, batch *b)
{
	b->zn = 0;
	b->zdone = 1;
	if (b->raw.len == 0 || b->oom)
		return;
	if (!*cctx && !(*cctx = ZSTD_createCCtx())) {
		b->oom = 1;
		return;
	}
	size_t bound = ZSTD_compressBound(b->raw.len);
	if (bound > b->zcap) {
		void *nz = realloc(b->z, bound);
		if (!nz) {
			b->oom = 1;
			return;
		}
		b->z = nz;
		b->zcap = bound;
	}
	size_t zn = ZSTD_compressCCtx(*cctx, b->z, b->zcap, b->raw.data, b->raw.len, RAW_ZSTD_LEVEL);
	if (ZSTD_isError(zn))
		b->oom = 1; /* only on a wrong bound or no memory */
	else
		b->zn = zn;
}

/* ---- trace assembly ------------------------------------------------------ */

/* A trace of the batch being routed: gen says which routing it belongs to. */
typedef struct tstate {
	uint8_t tid[16];
	uint32_t gen;
	uint8_t root, out; /* a root span of it is in the batch; it goes out */
} tstate;

static tstate *trace_state(handoff *p, const uint8_t tid[16])
{
	size_t i = (size_t)ac_hash64(tid, 16, 0) & (p->tscap - 1);
	while (p->ts[i].gen == p->tsgen && memcmp(p->ts[i].tid, tid, 16) != 0)
		i = (i + 1) & (p->tscap - 1);
	if (p->ts[i].gen != p->tsgen) {
		memcpy(p->ts[i].tid, tid, 16);
		p->ts[i].gen = p->tsgen;
		p->ts[i].root = p->ts[i].out = 0;
	}
	return &p->ts[i];
}

/* A held span is its item, its strings and its original text in one blob;
 * the item's string offsets and raw_off are offsets into the blob. */
static int hold_span(handoff *p, const batch *b, const item *it)
{
	ac_buf *s = &p->ser;
	ac_buf_reset(s);
	item h = *it;
	size_t off = sizeof(h);
	for (int k = 0; k < S_COUNT; k++) {
		h.s[k].off = (uint32_t)off;
		off += it->s[k].len;
	}
	h.raw_off = (uint32_t)off;
	ac_buf_add(s, &h, sizeof(h));
	for (int k = 0; k < S_COUNT; k++)
		ac_buf_add(s, b->text.data + it->s[k].off, it->s[k].len);
	if (it->raw_len)
		ac_buf_add(s, b->raw.data + it->raw_off, it->raw_len);
	if (s->oom)
		return -1;
	return ac_hold_add(p->hold, it->trace_id, it->end_ns, s->data, s->len);
}

/* ac_hold_fn: a held span back into the current batch. */
static int release_span(const void *blob, size_t n, void *payload)
{
	handoff *p = payload;
	batch *b = p->cur;
	const char *base = blob;
	(void)n;
	item *it = new_item(b, IT_SPAN);
	if (!it)
		return 0;
	memcpy(it, base, sizeof(*it));
	for (int k = 0; k < S_COUNT; k++)
		it->s[k] = keep(b, base + it->s[k].off, it->s[k].len);
	if (it->raw_len) {
		size_t at = b->raw.len;
		ac_buf_add(&b->raw, base + it->raw_off, it->raw_len);
		it->raw_off = (uint32_t)at;
		if (b->raw.oom)
			b->oom = 1;
	}
	return 0;
}

static int batch_full(const batch *b)
{
	return b->n >= BATCH_ITEMS || b->raw.len >= BATCH_TEXT || b->text.len >= BATCH_TEXT;
}

static void push_cur(handoff *p, int end);

/*
 * Before the batch goes to the writer (hold.h): a trace whose root span is
 * in it, or that went out lately, goes out now, with what was held of it;
 * the spans of the others are held. Then the traces that are due (over the
 * budget, quiet, or all of them at the end) go out too. A span that cannot
 * be held (no memory) simply goes out.
 */
static void route_batch(handoff *p, int end)
{
	batch *b = p->cur;
	size_t nspan = 0;
	for (size_t i = 0; i < b->n; i++)
		nspan += b->items[i].kind == IT_SPAN;
	if (nspan * 2 > p->tscap) {
		size_t nc = p->tscap ? p->tscap : 4096;
		while (nc < nspan * 2)
			nc *= 2;
		tstate *nt = calloc(nc, sizeof(*nt));
		if (!nt) {
			b->oom = 1;
			return;
		}
		free(p->ts);
		p->ts = nt;
		p->tscap = nc;
		p->tsgen = 0;
	}
	if (++p->tsgen == 0) { /* wrapped: stale stamps could match */
		memset(p->ts, 0, p->tscap * sizeof(*p->ts));
		p->tsgen = 1;
	}
	/* which traces have their root here */
	for (size_t i = 0; i < b->n; i++) {
		const item *it = &b->items[i];
		if (it->kind != IT_SPAN)
			continue;
		if (it->end_ns > p->stream_ns)
			p->stream_ns = it->end_ns;
		tstate *t = trace_state(p, it->trace_id);
		t->root |= !it->has_parent;
	}
	/* hold the spans of the others, keeping the rest in order */
	size_t w = 0, wraw = 0;
	for (size_t i = 0; i < b->n; i++) {
		item *it = &b->items[i];
		if (it->kind == IT_SPAN) {
			tstate *t = trace_state(p, it->trace_id);
			if (!t->out)
				t->out = t->root || ac_hold_is_done(p->hold, it->trace_id) ? 1 : 2;
			if (t->out == 2 && hold_span(p, b, it) == 0)
				continue;
			/* (nothing held before it: the original stays where it is;
			 * whole traces, the usual case, copy nothing) */
			if (it->raw_len && it->raw_off != wraw) {
				memmove(b->raw.data + wraw, b->raw.data + it->raw_off, it->raw_len);
				it->raw_off = (uint32_t)wraw;
			}
			wraw += it->raw_len;
		}
		if (w != i)
			b->items[w] = *it;
		w++;
	}
	size_t nkept = w;
	b->n = w;
	b->raw.len = wraw;
	/* what was held of the traces going out */
	for (size_t i = 0; i < nkept; i++) {
		const item *it = &b->items[i];
		if (it->kind == IT_SPAN && trace_state(p, it->trace_id)->out == 1) {
			uint8_t tid[16];
			memcpy(tid, it->trace_id, 16);
			trace_state(p, tid)->out = 3; /* once */
			ac_hold_take(p->hold, tid, release_span, p);
		}
	}
	/* the traces that are due */
	uint8_t tid[16];
	while (!atomic_load(&p->stop) && ac_hold_due(p->hold, p->stream_ns, end, tid)) {
		if (batch_full(p->cur))
			push_cur(p, 0);
		ac_hold_take(p->hold, tid, release_span, p);
	}
}

/* Hand the current batch to the writer; take a fresh one unless at the end. */
static void push_cur(handoff *p, int end)
{
	batch *b = p->cur;
	/* the originals are compressed by whichever thread has time: here when
	 * the writer has batches of this input waiting (it is the slower), else
	 * by the writer (this parser is the slower) */
	pthread_mutex_lock(&p->sy->mu);
	int behind = p->full_head != NULL;
	pthread_mutex_unlock(&p->sy->mu);
	if (!p->no_raw && behind)
		compress_raw(&p->cctx, b);
	b->bytes_in = ac_reader_bytes_in(p->reader);
	b->end = end;
	push_full(p, b);
	p->cur = end ? NULL : take_free(p);
}

static void hand_over(handoff *p, int end)
{
	if (p->hold)
		route_batch(p, end);
	push_cur(p, end);
}

static char first_byte(const ac_record *rec)
{
	for (size_t i = 0; i < rec->len; i++)
		if (rec->data[i] != ' ' && rec->data[i] != '\t' && rec->data[i] != '\r')
			return rec->data[i];
	return ' ';
}

static void *parser_main(void *arg)
{
	handoff *p = arg;
	p->cur = take_free(p);
	for (;;) {
		if (atomic_load(&p->stop))
			break;
		ac_record rec;
		ac_err rerr = AC_ERR_INIT;
		batch *b = p->cur;
		int rc = ac_reader_next(p->reader, &rec, &rerr);
		if (rc == 0)
			break;
		if (rc == AC_ELIMIT) {
			add_diag(b, IT_ERROR, AC_ELIMIT, rerr.line, 0, rerr.msg);
			b->records++;
			p->records++;
			continue;
		}
		if (rc == AC_EPARSE) { /* damage between records (a NUL run): no record lost */
			add_diag(b, IT_ERROR, AC_EPARSE, rerr.line, 0, rerr.msg);
			continue;
		}
		if (rc < 0) {
			/* damaged compression, protobuf payloads, read errors: what came
			 * before stays; refused when nothing came before */
			char msg[600];
			if (rerr.offset >= 0 && !strstr(rerr.msg, "byte"))
				snprintf(msg, sizeof(msg), "byte %lld: %s", rerr.offset, rerr.msg);
			else
				snprintf(msg, sizeof(msg), "%s", rerr.msg);
			add_diag(b, rc == AC_EFORMAT && p->records == 0 ? IT_REFUSE : IT_FATAL, rc, 0, 0, msg);
			break;
		}
		b->records++;
		p->records++;
		int kind = 0;
		ac_err perr = AC_ERR_INIT;
		long long before = p->spans_ok;
		if (rec.proto)
			rc = ac_pb_parse_record((const uint8_t *)rec.data, rec.len, rec.line, rec.data_off,
			                        &kind, parsed_span, p, &perr);
		else if (ac_reader_csv(p->reader))
			rc = ac_parse_csv_record(&p->csv, &p->json, rec.data, rec.len, rec.line, &kind,
			                         parsed_span, p, &perr);
		else
			rc = ac_parse_record(&p->json, rec.data, rec.len, rec.line, &kind, parsed_span, p,
			                     &perr);
		if (rc == 0) {
			b->saw |= 1u << kind;
		} else if (rec.proto && rc == AC_EPARSE && p->records == 1 && before == 0) {
			/* the first message sniffed as protobuf does not hold together:
			 * other binary data, or damaged from its start; named once,
			 * refused at the end unless trace records follow */
			p->refusing = 1;
			snprintf(p->refusal, sizeof(p->refusal), "not OTLP protobuf traces, or damaged: %.400s",
			         perr.msg);
			add_diag(b, IT_ERROR, AC_EFORMAT, perr.line, 0, p->refusal);
		} else if (rc == AC_EFORMAT && p->records == 1 && before == 0) {
			/* the first record says this is not a trace file (logs, metrics, a
			 * span dump...): report it once; the file is refused at the end
			 * unless trace records follow */
			p->refusing = 1;
			snprintf(p->refusal, sizeof(p->refusal), "%s", perr.msg);
			add_diag(b, IT_ERROR, rc, perr.line, perr.col, perr.msg);
		} else if (!rec.proto && p->records == 1 && before == 0 && rec.len > 0 &&
		           first_byte(&rec) != '{' &&
		           first_byte(&rec) != '[') {
			/* text that is not JSON at all: named once; refused at the end
			 * unless trace records follow (a header line before JSON lines) */
			char c = first_byte(&rec);
			p->refusing = 1;
			if (c > 0x20 && c < 0x7f)
				snprintf(p->refusal, sizeof(p->refusal), "not JSON: first byte '%c'", c);
			else
				snprintf(p->refusal, sizeof(p->refusal), "not JSON: first byte 0x%02x",
				         (unsigned char)c);
			add_diag(b, IT_ERROR, AC_EFORMAT, perr.line, perr.col, p->refusal);
		} else if (rc == AC_EFORMAT && p->refusing && !strcmp(perr.msg, p->refusal)) {
			add_diag(b, IT_ERROR, rc, perr.line, perr.col, perr.msg);
			b->items[b->n - 1].quiet = 1;
		} else if (rec.open_end && rc == AC_EPARSE && strstr(perr.msg, "truncated")) {
			char msg[sizeof(perr.msg) + 120];
			snprintf(msg, sizeof(msg), "%s (the last line, without a newline: a file still being "
			         "written? the next ingest reads it again)", perr.msg);
			add_diag(b, IT_ERROR, rc, perr.line, perr.col, msg);
		} else {
			add_diag(b, IT_ERROR, rc, perr.line, perr.col, perr.msg);
		}
		if (b->n >= BATCH_ITEMS || b->raw.len >= BATCH_TEXT || b->text.len >= BATCH_TEXT)
			hand_over(p, 0);
	}
	if (p->refusing && p->spans_ok == 0 && !atomic_load(&p->stop)) {
		add_diag(p->cur, IT_REFUSE, AC_EFORMAT, 0, 0, p->refusal);
		p->cur->items[p->cur->n - 1].quiet = 1;
	}
	hand_over(p, 1);
	return NULL;
}

/* ---- writer -------------------------------------------------------------- */

/* The writer's transaction and caches, shared by the inputs in flight: their
 * batches go into the same transactions, derived and committed together. */
typedef struct wtx {
	ac_store *s;
	ac_err *err;
	int open;           /* a transaction is open */
	long in_tx;         /* spans in the open transaction */
	int64_t raw_id;     /* id the next original block gets */
	ac_map dirty;       /* traces given new spans in this transaction */
	ac_deriver *deriver;
	/* last value per dictionary column: consecutive spans mostly repeat them */
	int64_t last_id[S_COUNT];
	ac_buf last_text[S_COUNT];
	struct order *ord; /* a batch's spans in key order */
	size_t capord;
	ac_span_row *rows;      /* ... their rows */
	size_t caprows;
	ZSTD_CCtx *cctx;        /* compresses the originals the parsers left */
	int no_early;           /* AGENTCOST_NO_EARLY: no trace derived before its insert */
	long long tasks_done;  /* tasks derived in committed transactions */
	long long tasks_mark;  /* the deriver's count at the last commit */
	long long early_done, early_mark; /* the same, derived before their insert */
	/* promoted attributes (agentcost dims add): read once, filled per new span */
	int promo_loaded;
	size_t npromo;
	int64_t *promo_id;
	char **promo_key;
	ac_rows *promo_put;
	int inserted;       /* the last insert_row stored a new span */
} wtx;

/* One input being read. */
typedef struct run {
	wtx *w;
	ac_store *s;
	ac_pricebook *pb;
	const ac_ingest_opts *o;
	ac_ingest_stats *st;
	ac_err *err;        /* the store's failures, for the caller */
	ac_err last;        /* this input's last problem */
	const char *path;
	int64_t file_id;
	long long records, spans, spans_new, errors;
	unsigned saw; /* bit k: a record of kind k (AC_REC_*) */
	int aborted, refused, damaged;
	int64_t size;
	int64_t dev, ino;   /* of a regular file (have_ino) */
	int have_ino;
	int64_t read_from;  /* > 0: reading what was appended since the last read */
	long long from_line;
	double t0, last_progress;
	uint64_t bytes_in;
	handoff *p;
	pthread_t th;
	int started;        /* the parser thread runs */
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

static int begin_tx(wtx *w)
{
	int rc = ac_store_begin(w->s, w->err);
	if (rc)
		return rc;
	w->open = 1;
	w->in_tx = 0;
	return ac_store_next_raw_id(w->s, &w->raw_id, w->err);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Derive the tasks of the traces this transaction touched, inside it: spans
 * and their tasks commit together, and the span pages the derivation updates
 * are still in the page cache, so they reach the disk once.
 */
static int derive_dirty(wtx *w)
{
	/* (traces derived before their insert left rollup sums to write) */
	if (w->dirty.used == 0 && !w->deriver)
		return 0;
	int rc;
	if (!w->deriver && (rc = ac_deriver_new(&w->deriver, w->s, w->err)))
		return rc;
	int64_t *t = malloc((w->dirty.used ? w->dirty.used : 1) * sizeof(*t));
	if (!t)
		return ac_err_set(w->err, AC_ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < w->dirty.cap; i++)
		if (w->dirty.slots[i].hash)
			t[n++] = w->dirty.slots[i].val;
	qsort(t, n, sizeof(*t), cmp_i64);
	rc = ac_deriver_run(w->deriver, t, n, w->err);
	free(t);
	ac_map_clear(&w->dirty);
	return rc;
}

/* Forget the promoted keys: the next batch reads them again, inside its
 * transaction, so a `dims add` or `dims drop` that committed meanwhile
 * counts from the next transaction on. */
static void promo_forget(wtx *w)
{
	for (size_t k = 0; k < w->npromo; k++)
		free(w->promo_key[k]);
	free(w->promo_key);
	free(w->promo_id);
	ac_rows_free(w->promo_put);
	w->promo_key = NULL;
	w->promo_id = NULL;
	w->promo_put = NULL;
	w->npromo = 0;
	w->promo_loaded = 0;
}

static int commit_tx(wtx *w)
{
	int rc = derive_dirty(w);
	if (rc)
		return rc;
	w->open = 0;
	if ((rc = ac_store_commit(w->s, w->err)))
		return rc;
	promo_forget(w);
	long long t = w->deriver ? ac_deriver_stats(w->deriver)->tasks : 0;
	w->tasks_done += t - w->tasks_mark;
	w->tasks_mark = t;
	t = w->deriver ? ac_deriver_stats(w->deriver)->early : 0;
	w->early_done += t - w->early_mark;
	w->early_mark = t;
	return 0;
}

/* Undo the open transaction: its spans, tasks and ledger rows. The deriver
 * and the dictionary memo may hold rows that no longer exist: dropped. */
static void rollback_tx(wtx *w)
{
	if (!w->open)
		return;
	ac_store_rollback(w->s);
	w->open = 0;
	promo_forget(w);
	ac_map_clear(&w->dirty);
	ac_deriver_free(w->deriver);
	w->deriver = NULL;
	w->tasks_mark = 0;
	w->early_mark = 0;
	for (int k = 0; k < S_COUNT; k++)
		w->last_id[k] = 0;
}

static void progress(run *r, int final)
{
	if (!r->o->progress)
		return;
	double t = now_s();
	if (!final && t - r->last_progress < 0.5)
		return;
	r->last_progress = t;
	ac_ingest_progress pr = { t - r->t0, r->bytes_in, r->size, r->read_from, r->spans };
	r->o->progress(r->path, &pr, final, r->o->payload);
}

/* Keep the batch's compressed originals as one raw_block: some of its
 * spans were new (a span already stored keeps its first original). */
static int flush_raw(run *r, batch *b)
{
	if (!b->zdone) {
		compress_raw(&r->w->cctx, b);
		if (b->oom)
			return ac_err_set(r->err, AC_ENOMEM, "out of memory compressing originals");
	}
	if (b->zn == 0)
		return 0;
	int rc = ac_store_insert_raw(r->s, r->w->raw_id, r->file_id, b->z, b->zn, r->err);
	if (rc)
		return rc;
	r->st->raw_bytes += (long long)b->raw.len;
	r->st->raw_zbytes += (long long)b->zn;
	r->w->raw_id++;
	return 0;
}

/* Dictionary id of string field k of an item, with a one-entry memo. */
static int dict_id(run *r, const batch *b, const item *it, int k, int64_t *out)
{
	sref sr = it->s[k];
	if (sr.len == 0) {
		*out = 0;
		return 0;
	}
	const char *p = b->text.data + sr.off;
	ac_buf *last = &r->w->last_text[k];
	if (r->w->last_id[k] && last->len == sr.len && memcmp(last->data, p, sr.len) == 0) {
		*out = r->w->last_id[k];
		return 0;
	}
	int rc = ac_store_dict(r->s, S_DICT[k], p, sr.len, out, r->err);
	if (rc)
		return rc;
	ac_buf_reset(last);
	ac_buf_add(last, p, sr.len);
	r->w->last_id[k] = last->oom ? 0 : *out;
	return 0;
}

static const char *cstr(const batch *b, sref sr, char *buf, size_t cap)
{
	if (!sr.len)
		return NULL;
	size_t n = sr.len < cap - 1 ? sr.len : cap - 1;
	memcpy(buf, b->text.data + sr.off, n);
	buf[n] = '\0';
	return buf;
}

/* The row of span item it of trace `trace` (key: its home key): dictionary
 * ids and price. */
static int build_row(run *r, const batch *b, const item *it, int64_t trace, int64_t key,
                     ac_span_row *row)
{
	int rc;
	memset(row, 0, sizeof(*row));
	row->trace = trace;
	row->key = key;
	row->span_id = it->span_id;
	row->parent_id = it->has_parent ? it->parent_id : NULL;
	row->file = r->file_id;
	row->start_ns = it->start_ns;
	row->end_ns = it->end_ns;
	row->step = it->step;
	row->status = it->status;
	int64_t ids[S_COUNT];
	for (int k = 0; k < S_COUNT; k++)
		if ((rc = dict_id(r, b, it, k, &ids[k])))
			return rc;
	row->name = ids[S_NAME];
	row->service = ids[S_SERVICE];
	row->env = ids[S_ENV];
	row->model = ids[S_MODEL];
	row->provider = ids[S_PROVIDER];
	row->tool = ids[S_TOOL];
	row->error_type = ids[S_ERROR_TYPE];
	row->complexity = ids[S_COMPLEXITY];
	row->purpose = ids[S_PURPOSE];
	row->task_ref = ids[S_TASK_ID];
	row->task_type = ids[S_TASK_TYPE];
	row->agent_name = ids[S_AGENT];
	row->scope = ids[S_SCOPE];
	row->service_tier = ids[S_SERVICE_TIER];
	row->user_v = ids[S_USER];
	row->session_v = ids[S_SESSION];
	row->resource = ids[S_RESOURCE];
	memcpy(row->tok, it->tok, sizeof(row->tok));
	row->tok_mask = it->tok_mask;
	row->has_producer_cost = (it->num_mask & 2) != 0;
	row->producer_cost = it->pcost;
	row->has_eval_score = (it->num_mask & 1) != 0;
	row->eval_score = it->eval_score;

	char model[256], tool[256], provider[256], scope[256], service[256], tier[64];
	ac_cost_input ci = {
		.step = it->step,
		.model = cstr(b, it->s[S_MODEL], model, sizeof(model)),
		.tool = cstr(b, it->s[S_TOOL], tool, sizeof(tool)),
		.provider = cstr(b, it->s[S_PROVIDER], provider, sizeof(provider)),
		.start_ns = it->start_ns,
		.tok = { it->tok[AC_TOK_IN], it->tok[AC_TOK_OUT], it->tok[AC_TOK_CACHE_READ],
		         it->tok[AC_TOK_CACHE_WRITE], it->tok[AC_TOK_REASONING],
		         it->tok[AC_TOK_CACHE_WRITE_1H], it->tok[AC_TOK_AUDIO_IN],
		         it->tok[AC_TOK_AUDIO_OUT], AC_CONV_AUTO },
		.has_producer_cost = row->has_producer_cost,
		.producer_cost = it->pcost,
		.scope = cstr(b, it->s[S_SCOPE], scope, sizeof(scope)),
		.service = cstr(b, it->s[S_SERVICE], service, sizeof(service)),
		.tier = ac_service_tier(cstr(b, it->s[S_SERVICE_TIER], tier, sizeof(tier))),
	};
	ac_pricebook_cost_note(r->pb, &ci, &row->cost, &row->cost_src, &row->price_note);
	row->tier = ci.tier;
	if (!r->o->no_raw) {
		row->raw_block = r->w->raw_id;
		row->raw_off = (int64_t)it->raw_off;
		row->raw_len = it->raw_len;
	}
	return 0;
}

/* Store one row (a row derived before the insert must get its key). */
static int insert_row(run *r, const item *it, const ac_span_row *row, int *used_raw)
{
	int rc, inserted;
	char idhex[17], msg[700];
	if ((rc = ac_store_insert_span(r->s, row, &inserted, r->err))) {
		if (rc != AC_ELIMIT || row->derived)
			return rc; /* (a row derived before the insert must be stored) */
		ac_hex(it->span_id, 8, idhex);
		snprintf(msg, sizeof(msg), "span %s: %s", idhex, r->err->msg);
		diag(r, it->line, 0, msg);
		r->errors++;
		if (r->o->strict)
			r->aborted = 1;
		return 0;
	}
	if (row->derived && (!inserted || ac_store_last_span_key(r->s) != row->key)) {
		/* cannot happen: the trace was new and its keys distinct */
		ac_hex(it->span_id, 8, idhex);
		return ac_err_set(r->err, AC_ESQL,
		                  "internal error: span %s of a new trace was not stored at its key",
		                  idhex);
	}
	r->spans++;
	r->w->inserted = inserted;
	if (inserted) {
		r->spans_new++;
		if (!r->o->no_raw) {
			/* the batch's originals are kept when any of its spans is new:
			 * re-ingesting the same data adds nothing */
			*used_raw = 1;
		}
		if (!row->derived &&
		    ac_map_put(&r->w->dirty, &row->trace, sizeof(row->trace), row->trace))
			return ac_err_set(r->err, AC_ENOMEM, "out of memory");
	}
	return 0;
}

/* Apply one batch: its diagnostics and trace ids in input order, its spans
 * in key order. Returns <0 on a database failure; sets
 * r->aborted / r->refused / r->damaged for the input's own problems. */
/* A span of the batch and its row key: inserted in key order, the span
 * table's pages fill up instead of splitting in the middle. */
struct order {
	int64_t key, trace;
	size_t i;
};

static int by_key(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Derive before the insert every trace of the batch that is new in the store
 * (above fresh_after) and whose spans have distinct keys (so each gets its
 * own: the trace's key range is empty): its spans are then written once,
 * with their task, purpose, complexity and rollup key, instead of inserted
 * with placeholders and updated by the derivation at commit. A trace that is
 * not new, or has colliding keys, or spans grouped by agentcost.task.id,
 * takes that usual path. A later batch bringing more spans of a derived trace
 * lists it for the usual derivation, which reads these values as stored.
 */
static int derive_fresh(run *r, const batch *b, size_t nord, int64_t fresh_after)
{
	wtx *w = r->w;
	int rc, refreshed = 0;
	if (w->no_early)
		return 0;
	for (size_t k0 = 0, k1; k0 < nord; k0 = k1) {
		int64_t t = w->ord[k0].trace;
		int distinct = 1;
		for (k1 = k0 + 1; k1 < nord && w->ord[k1].trace == t; k1++)
			distinct &= w->ord[k1].key != w->ord[k1 - 1].key;
		if (t <= fresh_after || !distinct)
			continue;
		if (!w->deriver && (rc = ac_deriver_new(&w->deriver, w->s, w->err)))
			return rc;
		if (!refreshed && (rc = ac_deriver_refresh(w->deriver, w->err)))
			return rc;
		refreshed = 1;
		int done; /* 0: the rows keep their placeholders */
		if ((rc = ac_deriver_fresh(w->deriver, t, b->items[w->ord[k0].i].trace_id, w->rows + k0,
		                           k1 - k0, &done, w->err)))
			return rc;
	}
	return 0;
}

/* The promoted attributes' keys, once per transaction (promo_forget). */
static int promo_load(wtx *w)
{
	ac_rows *q;
	int rc = ac_store_rows(w->s, "dims_keys.sql", 0, 0, NULL, AC_ROWS_PLAIN, &q, w->err);
	if (rc)
		return rc;
	size_t cap = 0;
	while ((rc = ac_rows_next(q, w->err)) > 0) {
		rc = 0;
		if (w->npromo == cap) {
			cap = cap ? 2 * cap : 4;
			int64_t *ni = realloc(w->promo_id, cap * sizeof(*ni));
			if (ni)
				w->promo_id = ni;
			char **nk = realloc(w->promo_key, cap * sizeof(*nk));
			if (nk)
				w->promo_key = nk;
			if (!ni || !nk) {
				rc = ac_err_set(w->err, AC_ENOMEM, "out of memory");
				break;
			}
		}
		const char *k = ac_rows_text(q, 1);
		if (!(w->promo_key[w->npromo] = strdup(k ? k : ""))) {
			rc = ac_err_set(w->err, AC_ENOMEM, "out of memory");
			break;
		}
		w->promo_id[w->npromo++] = ac_rows_int(q, 0);
	}
	ac_rows_free(q);
	if (!rc && w->npromo)
		rc = ac_store_rows(w->s, "dims_span_put.sql", 0, 0, NULL, AC_ROWS_PLAIN, &w->promo_put,
		                   w->err);
	w->promo_loaded = 1;
	return rc;
}

/* The promoted attributes' values of a span just stored (its key: the
 * store's last), from its original and its resource: ac_json_attr_span,
 * the rule `dims add` and attr:KEY read the stored originals with. */
static int promo_span(run *r, const batch *b, const item *it)
{
	wtx *w = r->w;
	const char *raw = it->raw_len ? b->raw.data + it->raw_off : NULL;
	const char *res = it->s[S_RESOURCE].len ? b->text.data + it->s[S_RESOURCE].off : NULL;
	char val[1024];
	int rc;
	for (size_t k = 0; k < w->npromo; k++) {
		if (!ac_json_attr_span(raw, it->raw_len, res, it->s[S_RESOURCE].len, w->promo_key[k],
		                       val, sizeof(val)))
			continue;
		int64_t vid;
		if ((rc = ac_store_dict(w->s, AC_DICT_DIM_VALUE, val, strlen(val), &vid, w->err)))
			return rc;
		ac_rows_reset(w->promo_put);
		ac_rows_bind_int(w->promo_put, 1, w->promo_id[k]);
		ac_rows_bind_int(w->promo_put, 2, ac_store_last_span_key(w->s));
		ac_rows_bind_int(w->promo_put, 3, vid);
		while ((rc = ac_rows_next(w->promo_put, w->err)) > 0)
			;
		if (rc)
			return rc;
	}
	return 0;
}

static int write_batch(run *r, batch *b)
{
	int rc, used_raw = 0;
	size_t nord = 0;
	if (b->oom)
		return ac_err_set(r->err, AC_ENOMEM, "out of memory");
	/* another input's end may have committed the transaction */
	if (!r->w->open && (rc = begin_tx(r->w)))
		return rc;
	r->records += b->records;
	r->saw |= b->saw;
	r->bytes_in = b->bytes_in;
	if (b->n > r->w->capord) {
		struct order *no = realloc(r->w->ord, b->n * sizeof(*no));
		if (!no)
			return ac_err_set(r->err, AC_ENOMEM, "out of memory");
		r->w->ord = no;
		r->w->capord = b->n;
	}
	if (b->n > r->w->caprows) {
		ac_span_row *nr = realloc(r->w->rows, b->n * sizeof(*nr));
		if (!nr)
			return ac_err_set(r->err, AC_ENOMEM, "out of memory");
		r->w->rows = nr;
		r->w->caprows = b->n;
	}
	/* traces above this one are new: created by this batch */
	int64_t fresh_after;
	if ((rc = ac_store_trace_max(r->s, &fresh_after, r->err)))
		return rc;
	/* in input order: diagnostics, and trace ids (new traces numbered as
	 * they first appear); then the spans in key order */
	for (size_t i = 0; i < b->n && !r->aborted && !r->refused; i++) {
		const item *it = &b->items[i];
		const char *msg = b->text.data ? b->text.data + it->msg.off : "";
		char text[700];
		if (it->kind != IT_SPAN) {
			snprintf(text, sizeof(text), "%.*s", (int)it->msg.len, msg);
			if (!it->quiet)
				diag(r, it->line, it->col, text);
			if (!(it->kind == IT_REFUSE && it->quiet))
				r->errors++;
			ac_err_setpos(&r->last, it->code, it->line, it->col, "%s", text);
		}
		switch (it->kind) {
		case IT_SPAN: {
			struct order *o = &r->w->ord[nord++];
			if ((rc = ac_store_trace(r->s, it->trace_id, &o->trace, r->err)))
				return rc;
			o->key = ac_span_key(o->trace, it->span_id);
			o->i = i;
			break;
		}
		case IT_ERROR:
			if (r->o->strict)
				r->aborted = 1;
			break;
		case IT_REFUSE:
			r->refused = 1;
			break;
		case IT_FATAL:
			if (r->o->strict)
				r->aborted = 1;
			else
				r->damaged = it->code;
			break;
		}
	}
	if (nord > 1)
		qsort(r->w->ord, nord, sizeof(*r->w->ord), by_key);
	if (!r->aborted && !r->refused) {
		for (size_t k = 0; k < nord; k++)
			if ((rc = build_row(r, b, &b->items[r->w->ord[k].i], r->w->ord[k].trace,
			                    r->w->ord[k].key, &r->w->rows[k])))
				return rc;
		if ((rc = derive_fresh(r, b, nord, fresh_after)))
			return rc;
	}
	if (!r->w->promo_loaded && (rc = promo_load(r->w)))
		return rc;
	for (size_t k = 0; k < nord && !r->aborted && !r->refused; k++) {
		const item *it = &b->items[r->w->ord[k].i];
		r->w->inserted = 0;
		if ((rc = insert_row(r, it, &r->w->rows[k], &used_raw)))
			return rc;
		if (r->w->npromo && r->w->inserted && (rc = promo_span(r, b, it)))
			return rc;
	}
	if (used_raw && !r->aborted && !r->refused && (rc = flush_raw(r, b)))
		return rc;
	r->w->in_tx += (long)b->n;
	if (!r->o->strict && !r->aborted && !r->refused && r->w->in_tx >= r->o->batch_spans) {
		if ((rc = commit_tx(r->w)) || (rc = begin_tx(r->w)))
			return rc;
	}
	progress(r, 0);
	return 0;
}

/* Content hash of a whole regular file: the value the reader computes as it
 * reads (ac_fhash), and in old[] the one agentcost wrote to its ledger
 * before schema 5 (ac_hash), so files ingested then are still recognised.
 * -1 when unreadable. */
int ac_ingest_content_hash(const char *path, char hash[17], char old[17])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ac_fhash_state fs;
	ac_hash_state hs;
	ac_fhash_init(&fs);
	ac_hash_init(&hs, 0);
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -1;
	}
	ssize_t n;
	while ((n = read(fd, buf, cap)) > 0) {
		ac_fhash_update(&fs, buf, (size_t)n);
		ac_hash_update(&hs, buf, (size_t)n);
	}
	free(buf);
	close(fd);
	if (n < 0)
		return -1;
	snprintf(hash, 17, "%016llx", (unsigned long long)ac_fhash_final(&fs));
	snprintf(old, 17, "%016llx", (unsigned long long)ac_hash_final(&hs));
	return 0;
}

/* Cheap fingerprint of a regular file: size, first and last 64 KiB. */
#define QUICK_SPAN 65536
static int quick_hash(const char *path, char hash[17], int64_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat stt;
	char *buf = malloc(2 * QUICK_SPAN);
	if (!buf || fstat(fd, &stt) || !S_ISREG(stt.st_mode)) {
		free(buf);
		close(fd);
		return -1;
	}
	int64_t sz = (int64_t)stt.st_size;
	ssize_t a = pread(fd, buf, QUICK_SPAN, 0);
	ssize_t b = sz > QUICK_SPAN ? pread(fd, buf + QUICK_SPAN, QUICK_SPAN, sz - QUICK_SPAN) : 0;
	close(fd);
	if (a < 0 || b < 0) {
		free(buf);
		return -1;
	}
	ac_hash_state hs;
	ac_hash_init(&hs, 0x71756963ULL);
	ac_hash_update(&hs, &sz, sizeof(sz));
	ac_hash_update(&hs, buf, (size_t)a);
	ac_hash_update(&hs, buf + QUICK_SPAN, (size_t)b);
	free(buf);
	snprintf(hash, 17, "%016llx", (unsigned long long)ac_hash_final(&hs));
	*size = sz;
	return 0;
}

/* Hash of bytes [from, to) of path into hex (16 digits): 0, or -1. */
static int range_hash(const char *path, int64_t from, int64_t to, char hex[17])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char *buf = malloc(QUICK_SPAN);
	ac_hash_state hs;
	ac_hash_init(&hs, 0x726573756d65ULL);
	int rc = buf ? 0 : -1;
	for (int64_t at = from; rc == 0 && at < to;) {
		size_t want = to - at < QUICK_SPAN ? (size_t)(to - at) : QUICK_SPAN;
		ssize_t n = pread(fd, buf, want, (off_t)at);
		if (n <= 0)
			rc = -1;
		else {
			ac_hash_update(&hs, buf, (size_t)n);
			at += n;
		}
	}
	free(buf);
	close(fd);
	if (rc == 0)
		snprintf(hex, 17, "%016llx", (unsigned long long)ac_hash_final(&hs));
	return rc;
}

#define RESUME_HEAD 65536
#define RESUME_TAIL 4096

/* The head and tail hashes of a resume point at off (schema 010). */
static int resume_hashes(const char *path, int64_t off, char head[17], char tail[17])
{
	return range_hash(path, 0, off < RESUME_HEAD ? off : RESUME_HEAD, head) ||
	       range_hash(path, off > RESUME_TAIL ? off - RESUME_TAIL : 0, off, tail) ? -1 : 0;
}

/*
 * A regular file read before that grew since: read from where that read
 * stopped (r->read_from) when its first 64 KiB and the 4 KiB before the
 * resume point are unchanged. A file of the same size whose last read was
 * whole takes the ledger's other check (the whole content, hashed), as a
 * file never read does; one whose last read was of an appended part (no
 * whole-content hash exists) is skipped on those two hashes. Returns 1
 * (skip it), 0, or a database error.
 */
static int resume_point(run *r, int64_t size)
{
	ac_file_resume fr;
	char head[17], tail[17];
	int rc = ac_store_file_resume_of(r->s, r->dev, r->ino, &fr, r->err);
	if (rc <= 0)
		return rc;
	if (fr.resume_off > size || (fr.resume_off == size && fr.read_from == 0) ||
	    resume_hashes(r->path, fr.resume_off, head, tail) || strcmp(head, fr.head_hash) != 0 ||
	    strcmp(tail, fr.tail_hash) != 0)
		return 0; /* replaced, truncated or rewritten; or the content check applies */
	char msg[200];
	if (fr.resume_off == size) {
		diag(r, -1, 0, "already ingested (nothing appended since the last read); skipped "
		     "(--force re-reads it)");
		r->st->files_seen++;
		return 1;
	}
	r->read_from = fr.resume_off;
	r->from_line = fr.resume_line;
	snprintf(msg, sizeof(msg), "read from byte %lld (line %lld): appended since the last read",
	         (long long)fr.resume_off, fr.resume_line);
	diag(r, -1, 0, msg);
	return 0;
}

/* The next full batch of p (its parser runs or has just ended). */
static batch *take_from(handoff *p)
{
	size_t which;
	return take_any(&p, 1, p->sy, &which);
}

static void handoff_free(handoff *p)
{
	if (!p)
		return;
	ac_reader_free(p->reader);
	ac_json_release(&p->json);
	ac_csv_rows_free(p->csv);
	ZSTD_freeCCtx(p->cctx);
	ac_hold_free(p->hold);
	free(p->ts);
	ac_buf_release(&p->ser);
	for (int i = 0; i < NBATCH; i++) {
		free(p->pool[i].z);
		free(p->pool[i].items);
		ac_buf_release(&p->pool[i].text);
		ac_buf_release(&p->pool[i].raw);
	}
	free(p);
}

/* Stop r's parser early and wait for it: its batches are returned unread. */
static void run_stop(run *r)
{
	if (!r->started)
		return;
	atomic_store(&r->p->stop, 1);
	for (;;) { /* keep returning batches until the parser has ended */
		batch *b = take_from(r->p);
		int end = b->end;
		give_free(r->p, b);
		if (end)
			break;
	}
	pthread_join(r->th, NULL);
	r->started = 0;
}

/* Statistics of an input that is done, whatever became of it. */
static void run_account(run *r, int rc)
{
	ac_ingest_stats *st = r->st;
	if (rc == 0 || rc == AC_EZSTD || rc == AC_EFORMAT || rc == AC_EIO) {
		if (r->file_id && !r->refused && !r->aborted) {
			st->files++;
			st->spans += r->spans;
			st->spans_new += r->spans_new;
			if (r->damaged)
				st->files_partial++;
		}
	}
	progress(r, 1);
	st->records += r->records;
	st->errors += r->errors;
	st->bytes += (long long)r->bytes_in;
	handoff_free(r->p);
	r->p = NULL;
}

/*
 * Start reading input r->path: skipped when already ingested (returns 1,
 * *file_rc 0), failed to open (returns 1, *file_rc the error), else the
 * ledger row is written in the open transaction and the parser thread
 * started (returns 0). A negative return (an AC_E* code) is a database
 * failure.
 */
static int run_start(run *r, hsync *sy, int *file_rc)
{
	char hash[17], quick[17];
	const char *quickp = NULL;
	int64_t size = -1;
	int rc;
	ac_store *s = r->s;
	r->t0 = now_s();
	*file_rc = 0;
	struct stat sb;
	if (strcmp(r->path, "-") != 0 && stat(r->path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		r->dev = (int64_t)sb.st_dev;
		r->ino = (int64_t)sb.st_ino;
		r->have_ino = 1;
		if (!r->o->force && (rc = resume_point(r, (int64_t)sb.st_size)) != 0)
			return rc;
	}
	if (strcmp(r->path, "-") != 0 && quick_hash(r->path, quick, &size) == 0) {
		quickp = quick;
		char seen[17];
		if (!r->o->force && size > 0 && r->read_from == 0) {
			rc = ac_store_file_seen(s, quick, size, seen, r->err);
			if (rc < 0)
				return rc;
			/* the same fingerprint: read it all to be sure it is the same content */
			char old[17];
			if (rc == 1 && ac_ingest_content_hash(r->path, hash, old) == 0 &&
			    (strcmp(hash, seen) == 0 || strcmp(old, seen) == 0)) {
				diag(r, -1, 0, "already ingested (same content); skipped (--force re-reads it)");
				r->st->files_seen++;
				return 1;
			}
		}
	}
	r->size = size;
	handoff *p = r->p = calloc(1, sizeof(*p));
	if (!p)
		return ac_err_set(r->err, AC_ENOMEM, "out of memory");
	p->sy = sy;
	for (int i = 0; i < NBATCH; i++) {
		p->pool[i].next = p->free_list;
		p->free_list = &p->pool[i];
	}
	p->no_raw = r->o->no_raw;
	if (r->o->hold_bytes != AC_INGEST_NO_HOLD &&
	    !(p->hold = ac_hold_new(r->o->hold_bytes ? r->o->hold_bytes : AC_INGEST_HOLD_DEFAULT))) {
		return ac_err_set(r->err, AC_ENOMEM, "out of memory"); /* r->p freed with r */
	}
	p->json.max_tok = r->o->max_json_values ? r->o->max_json_values
	                                         : ac_json_values_limit(r->o->max_record);
	ac_reader_opts ro = AC_READER_OPTS_INIT;
	ro.max_record = r->o->max_record;
	ro.start_off = r->read_from;
	ro.start_line = r->read_from ? r->from_line : 1;
	if ((rc = ac_reader_open(&p->reader, r->path, &ro, r->err))) {
		diag(r, 0, 0, r->err->msg);
		r->st->files_failed++;
		*file_rc = rc;
		return 1;
	}
	if ((!r->w->open && (rc = begin_tx(r->w))) ||
	    (rc = ac_store_file_begin(s, r->path, size, quickp,
	                              ac_container_name(ac_reader_container(p->reader)), &r->file_id,
	                              r->err)))
		return rc;
	if (pthread_create(&r->th, NULL, parser_main, p) != 0)
		return ac_err_set(r->err, AC_ENOMEM, "cannot start the parser thread");
	pthread_setname_np(r->th, "ac-parse"); /* apart from the writer in top and perf */
	r->started = 1;
	return 0;
}

/* The ledger's format: the one kind of record the file held, "mixed" when it
 * held several, "unknown" when none. */
static const char *format_name(unsigned saw)
{
	if (saw == 0)
		return "unknown";
	if (saw & (saw - 1))
		return "mixed";
	int k = 0;
	while (!(saw & (1u << k)))
		k++;
	return ac_rec_kind_name(k);
}

/*
 * r's last batch has been written: close the input. A clean or damaged
 * input gets its ledger row finished and the transaction committed (with
 * whatever the other inputs in flight wrote into it); a refused one loses
 * its ledger row (nothing else of it was written); a --strict abort rolls
 * the transaction back (--strict reads one input at a time). Returns the
 * input's result in *file_rc; a negative return is a database failure.
 */
static int run_finish(run *r, int *file_rc)
{
	char content[17];
	int rc;
	if (r->aborted) {
		rollback_tx(r->w);
		r->st->files_failed++;
		*file_rc = AC_EPARSE;
		return 0;
	}
	if (r->refused) {
		if ((!r->w->open && (rc = begin_tx(r->w))) ||
		    (rc = ac_store_file_forget(r->s, r->file_id, r->err)))
			return rc;
		r->st->files_failed++;
		*file_rc = AC_EFORMAT;
		return 0;
	}
	ac_file_counts fc = {
		r->records, r->spans, r->spans_new, r->errors, r->damaged ? 0 : 1,
		format_name(r->saw),
		r->damaged ? r->last.msg : NULL,
		NULL,
	};
	if (!r->damaged && r->read_from == 0) { /* (an appended part is not the content) */
		snprintf(content, sizeof(content), "%016llx",
		         (unsigned long long)ac_reader_hash(r->p->reader));
		fc.content_hash = content;
	}
	ac_file_resume fr = { r->dev, r->ino, r->read_from, 0, 0, "", "" };
	int resumable = !r->damaged && r->have_ino &&
	                ac_reader_resume(r->p->reader, &fr.resume_off, &fr.resume_line) == 0 &&
	                resume_hashes(r->path, fr.resume_off, fr.head_hash, fr.tail_hash) == 0;
	if ((rc = derive_dirty(r->w)) || (rc = ac_store_file_finish(r->s, r->file_id, &fc, r->err)) ||
	    (resumable && (rc = ac_store_file_set_resume(r->s, r->file_id, &fr, r->err))) ||
	    (rc = commit_tx(r->w)))
		return rc;
	if (r->records == 0 && !r->damaged)
		diag(r, -1, 0, "no records (empty file)");
	*file_rc = r->damaged;
	return 0;
}

int ac_ingest_files(ac_store *s, ac_pricebook *pb, const char *const *paths, size_t n,
                    const ac_ingest_opts *o, ac_ingest_stats *st, int *rcs, ac_err *err)
{
	enum { MAXPAR = 2 };
	wtx w;
	hsync sy;
	run slot[MAXPAR];
	handoff *ps[MAXPAR] = { NULL, NULL };
	size_t next = 0, par = o->strict ? 1 : MAXPAR;
	int rc = 0, active = 0;

	memset(&w, 0, sizeof(w));
	memset(slot, 0, sizeof(slot));
	w.no_early = o->no_early;
	w.s = s;
	w.err = err;
	pthread_mutex_init(&sy.mu, NULL);
	pthread_cond_init(&sy.cv, NULL);
	for (size_t i = 0; i < n; i++)
		rcs[i] = 0;
	size_t idx[MAXPAR];

	while (!rc && (next < n || active)) {
		/* fill the free slots with the next inputs */
		for (size_t k = 0; k < par && next < n && !rc; k++) {
			if (ps[k])
				continue;
			run *r = &slot[k];
			memset(r, 0, sizeof(*r));
			*r = (run){ .w = &w, .s = s, .pb = pb, .o = o, .st = st, .err = err,
				    .last = AC_ERR_INIT, .path = paths[next] };
			idx[k] = next++;
			int frc, sr = run_start(r, &sy, &frc);
			if (sr < 0) {
				rc = sr;
				run_account(r, rc);
				break;
			}
			if (sr == 1) {
				rcs[idx[k]] = frc;
				run_account(r, frc);
				k--; /* the slot is free again */
				continue;
			}
			ps[k] = r->p;
			active++;
		}
		if (rc || !active)
			continue;
		size_t k;
		batch *b = take_any(ps, par, &sy, &k);
		run *r = &slot[k];
		int end = b->end;
		if (!r->aborted && !r->refused) {
			int wr = write_batch(r, b);
			if (wr)
				rc = wr;
		}
		if (!rc && (r->aborted || r->refused))
			atomic_store(&r->p->stop, 1); /* drain: the parser ends soon */
		give_free(r->p, b);
		if (end) { /* the parser has handed over its last batch */
			pthread_join(r->th, NULL);
			r->started = 0;
		}
		if (rc || !end)
			continue;
		int frc = 0, fr = run_finish(r, &frc);
		if (fr < 0)
			rc = fr;
		rcs[idx[k]] = fr < 0 ? rc : frc;
		run_account(r, rcs[idx[k]]);
		ps[k] = NULL;
		active--;
	}
	if (rc) {
		/* the store failed: stop every input, undo the open transaction */
		for (size_t k = 0; k < par; k++)
			if (ps[k]) {
				run_stop(&slot[k]); /* nothing when its parser has ended */
				rcs[idx[k]] = rc;
				slot[k].st->files_failed++;
				run_account(&slot[k], rc);
			}
		rollback_tx(&w);
	} else if (w.open) {
		rc = commit_tx(&w); /* only a ledger-less remainder: nothing pending */
	}
	st->tasks += w.tasks_done;
	st->tasks_early += w.early_done;
	ac_map_release(&w.dirty);
	ac_deriver_free(w.deriver);
	for (int k = 0; k < S_COUNT; k++)
		ac_buf_release(&w.last_text[k]);
	free(w.ord);
	promo_forget(&w);
	ZSTD_freeCCtx(w.cctx);
	free(w.rows);
	pthread_mutex_destroy(&sy.mu);
	pthread_cond_destroy(&sy.cv);
	return rc;
}

int ac_ingest_file(ac_store *s, ac_pricebook *pb, const char *path, const ac_ingest_opts *o,
                   ac_ingest_stats *st, ac_err *err)
{
	int frc = 0;
	int rc = ac_ingest_files(s, pb, &path, 1, o, st, &frc, err);
	return rc ? rc : frc;
}
