/*
 * Byte-string -> int64 hash map (open addressing, linear probing). Keys are
 * copied into the map. Used as the ingest path's dictionary and trace-id
 * caches, so it has a size cap: ac_map_put() on a full map clears it first
 * (a cache miss only costs a database lookup).
 */
#ifndef AC_MAP_H
#define AC_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ac_map_slot {
	uint64_t hash;  /* 0 = empty */
	char *key;
	size_t n;
	int64_t val;
} ac_map_slot;

typedef struct ac_map {
	ac_map_slot *slots;
	size_t cap;   /* power of two */
	size_t used;
	size_t limit; /* most entries before a clear */
} ac_map;

#define AC_MAP_INIT { NULL, 0, 0, 0 }

/* limit 0 = unbounded. */
void ac_map_init(ac_map *m, size_t limit);
void ac_map_release(ac_map *m);
void ac_map_clear(ac_map *m);

/* 1 and *val when found, else 0. */
int ac_map_get(const ac_map *m, const void *key, size_t n, int64_t *val);

/* Insert or overwrite. 0, or -1 on allocation failure. */
int ac_map_put(ac_map *m, const void *key, size_t n, int64_t val);

/* Iterate: for (size_t i = 0; i < m->cap; i++) if (m->slots[i].hash) ... */

#endif
