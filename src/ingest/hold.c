/*
 * Trace assembly: see hold.h.
 *
 * Two hash tables of 16-byte trace ids, open addressing with linear probing
 * and backward-shift deletion (no tombstones, so a long run of inserts and
 * deletes keeps its probe lengths): one of the held traces (entries in an
 * array with a free list, in a least-recently-fed list), one of the done
 * traces (a ring: the oldest is forgotten when a new one comes).
 */
#include "hold.h"

#include <stdlib.h>
#include <string.h>

#include "../util/hash.h"

#define NONE UINT32_MAX

typedef struct entry {
	uint8_t tid[16];
	int64_t last_end;
	unsigned char *data; /* [u32 n][n bytes], ... */
	size_t len, cap;
	uint32_t prev, next; /* least recently fed first; NONE ends */
} entry;

/* slot value: index + 1; 0 = empty */
typedef struct tab {
	uint32_t *slot;
	size_t mask;
	size_t used;
} tab;

struct ac_hold {
	tab held;
	entry *ent;
	size_t nent, capent;
	uint32_t free_ent; /* chain through .next */
	uint32_t head, tail;
	size_t bytes, budget, traces;

	tab done;
	uint8_t (*ring)[16];
	size_t ring_pos, ring_n;
};

static uint64_t hash_tid(const uint8_t tid[16])
{
	return ac_hash64(tid, 16, 0x686f6c64);
}

typedef const uint8_t *(*key_fn)(const ac_hold *h, uint32_t idx);

static const uint8_t *ent_key(const ac_hold *h, uint32_t idx)
{
	return h->ent[idx].tid;
}

static const uint8_t *ring_key(const ac_hold *h, uint32_t idx)
{
	return h->ring[idx];
}

/* Slot of tid, or of the empty slot where it would go. */
static size_t tab_find(const ac_hold *h, const tab *t, key_fn key, const uint8_t tid[16])
{
	size_t i = (size_t)hash_tid(tid) & t->mask;
	while (t->slot[i] && memcmp(key(h, t->slot[i] - 1), tid, 16) != 0)
		i = (i + 1) & t->mask;
	return i;
}

/* Empty slot i and shift the run after it back (Knuth 6.4, algorithm R). */
static void tab_delete(const ac_hold *h, tab *t, key_fn key, size_t i)
{
	size_t j = i;
	t->slot[i] = 0;
	t->used--;
	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slot[j])
			return;
		size_t home = (size_t)hash_tid(key(h, t->slot[j] - 1)) & t->mask;
		/* move j to i unless its home lies cyclically in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			t->slot[i] = t->slot[j];
			t->slot[j] = 0;
			i = j;
		}
	}
}

static int tab_init(tab *t, size_t cap)
{
	t->slot = calloc(cap, sizeof(*t->slot));
	t->mask = cap - 1;
	t->used = 0;
	return t->slot ? 0 : -1;
}

static int held_grow(ac_hold *h)
{
	tab nt;
	if (tab_init(&nt, (h->held.mask + 1) * 2))
		return -1;
	for (size_t i = 0; i <= h->held.mask; i++) {
		uint32_t v = h->held.slot[i];
		if (!v)
			continue;
		size_t k = (size_t)hash_tid(h->ent[v - 1].tid) & nt.mask;
		while (nt.slot[k])
			k = (k + 1) & nt.mask;
		nt.slot[k] = v;
		nt.used++;
	}
	free(h->held.slot);
	h->held = nt;
	return 0;
}

ac_hold *ac_hold_new(size_t budget)
{
	ac_hold *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->budget = budget;
	h->free_ent = h->head = h->tail = NONE;
	h->ring = malloc(AC_HOLD_DONE * sizeof(*h->ring));
	if (!h->ring || tab_init(&h->held, 1024) || tab_init(&h->done, AC_HOLD_DONE * 4)) {
		ac_hold_free(h);
		return NULL;
	}
	return h;
}

void ac_hold_free(ac_hold *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nent; i++)
		free(h->ent[i].data);
	free(h->ent);
	free(h->held.slot);
	free(h->done.slot);
	free(h->ring);
	free(h);
}

static void lru_unlink(ac_hold *h, uint32_t e)
{
	entry *x = &h->ent[e];
	if (x->prev != NONE)
		h->ent[x->prev].next = x->next;
	else
		h->head = x->next;
	if (x->next != NONE)
		h->ent[x->next].prev = x->prev;
	else
		h->tail = x->prev;
}

static void lru_append(ac_hold *h, uint32_t e)
{
	entry *x = &h->ent[e];
	x->prev = h->tail;
	x->next = NONE;
	if (h->tail != NONE)
		h->ent[h->tail].next = e;
	else
		h->head = e;
	h->tail = e;
}

/* A fresh entry for tid, in the table and at the tail; NONE when out of memory. */
static uint32_t ent_new(ac_hold *h, const uint8_t tid[16], size_t slot)
{
	uint32_t e;
	if (h->free_ent != NONE) {
		e = h->free_ent;
		h->free_ent = h->ent[e].next;
	} else {
		if (h->nent == h->capent) {
			size_t nc = h->capent ? h->capent * 2 : 256;
			entry *ne = realloc(h->ent, nc * sizeof(*ne));
			if (!ne)
				return NONE;
			h->ent = ne;
			h->capent = nc;
		}
		e = (uint32_t)h->nent++;
		h->ent[e].data = NULL;
		h->ent[e].cap = 0;
	}
	entry *x = &h->ent[e];
	memcpy(x->tid, tid, 16);
	x->len = 0;
	x->last_end = INT64_MIN;
	h->held.slot[slot] = e + 1;
	h->held.used++;
	h->traces++;
	lru_append(h, e);
	return e;
}

int ac_hold_add(ac_hold *h, const uint8_t tid[16], int64_t end_ns, const void *blob, size_t n)
{
	if ((h->held.used + 1) * 2 > h->held.mask + 1 && held_grow(h))
		return -1;
	size_t i = tab_find(h, &h->held, ent_key, tid);
	uint32_t e;
	if (h->held.slot[i]) {
		e = h->held.slot[i] - 1;
		lru_unlink(h, e);
		lru_append(h, e);
	} else if ((e = ent_new(h, tid, i)) == NONE) {
		return -1;
	}
	entry *x = &h->ent[e];
	size_t need = x->len + 4 + n;
	if (need > x->cap) {
		size_t nc = x->cap ? x->cap : 1024;
		while (nc < need)
			nc *= 2;
		unsigned char *nd = realloc(x->data, nc);
		if (!nd)
			return -1;
		h->bytes += nc - x->cap;
		x->data = nd;
		x->cap = nc;
	}
	uint32_t n32 = (uint32_t)n;
	memcpy(x->data + x->len, &n32, 4);
	memcpy(x->data + x->len + 4, blob, n);
	x->len = need;
	if (end_ns > x->last_end)
		x->last_end = end_ns;
	return 0;
}

int ac_hold_has(const ac_hold *h, const uint8_t tid[16])
{
	return h->held.slot[tab_find(h, &h->held, ent_key, tid)] != 0;
}

int ac_hold_take(ac_hold *h, const uint8_t tid[16], ac_hold_fn fn, void *payload)
{
	size_t i = tab_find(h, &h->held, ent_key, tid);
	int rc = 0;
	if (h->held.slot[i]) {
		uint32_t e = h->held.slot[i] - 1;
		entry *x = &h->ent[e];
		for (size_t off = 0; off < x->len && rc == 0;) {
			uint32_t n;
			memcpy(&n, x->data + off, 4);
			rc = fn(x->data + off + 4, n, payload);
			off += 4 + (size_t)n;
		}
		tab_delete(h, &h->held, ent_key, i);
		lru_unlink(h, e);
		/* the buffer goes: a held trace is the exception, its memory too */
		h->bytes -= x->cap;
		free(x->data);
		x->data = NULL;
		x->cap = x->len = 0;
		x->next = h->free_ent;
		h->free_ent = e;
		h->traces--;
	}
	ac_hold_mark_done(h, tid);
	return rc;
}

int ac_hold_due(const ac_hold *h, int64_t now_ns, int all, uint8_t tid[16])
{
	if (h->head == NONE)
		return 0;
	const entry *x = &h->ent[h->head];
	if (all || h->bytes > h->budget ||
	    (now_ns > INT64_MIN + AC_HOLD_QUIET_NS && x->last_end < now_ns - AC_HOLD_QUIET_NS)) {
		memcpy(tid, x->tid, 16);
		return 1;
	}
	return 0;
}

void ac_hold_mark_done(ac_hold *h, const uint8_t tid[16])
{
	size_t i = tab_find(h, &h->done, ring_key, tid);
	if (h->done.slot[i])
		return;
	if (h->ring_n == AC_HOLD_DONE) {
		/* forget the oldest: its slot, then reuse its ring place */
		size_t k = tab_find(h, &h->done, ring_key, h->ring[h->ring_pos]);
		tab_delete(h, &h->done, ring_key, k);
		h->ring_n--;
		i = tab_find(h, &h->done, ring_key, tid);
	}
	memcpy(h->ring[h->ring_pos], tid, 16);
	h->done.slot[i] = (uint32_t)h->ring_pos + 1;
	h->done.used++;
	h->ring_pos = (h->ring_pos + 1) % AC_HOLD_DONE;
	h->ring_n++;
}

int ac_hold_is_done(const ac_hold *h, const uint8_t tid[16])
{
	return h->done.slot[tab_find(h, &h->done, ring_key, tid)] != 0;
}

size_t ac_hold_bytes(const ac_hold *h)
{
	return h->bytes;
}

size_t ac_hold_traces(const ac_hold *h)
{
	return h->traces;
}
