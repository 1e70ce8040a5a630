/* Byte-string -> int64 hash map: see map.h. */
#include "map.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

static uint64_t hkey(const void *key, size_t n)
{
	uint64_t h = ac_hash64(key, n, 0x9e3779b97f4a7c15ULL);
	return h ? h : 1;
}

void ac_map_init(ac_map *m, size_t limit)
{
	m->slots = NULL;
	m->cap = m->used = 0;
	m->limit = limit;
}

void ac_map_clear(ac_map *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].hash) {
			free(m->slots[i].key);
			m->slots[i].hash = 0;
		}
	}
	m->used = 0;
}

void ac_map_release(ac_map *m)
{
	ac_map_clear(m);
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
}

static ac_map_slot *find(const ac_map *m, uint64_t h, const void *key, size_t n)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		ac_map_slot *s = &m->slots[i];
		if (!s->hash)
			return s;
		if (s->hash == h && s->n == n && memcmp(s->key, key, n) == 0)
			return s;
	}
}

int ac_map_get(const ac_map *m, const void *key, size_t n, int64_t *val)
{
	if (!m->cap)
		return 0;
	ac_map_slot *s = find(m, hkey(key, n), key, n);
	if (!s->hash)
		return 0;
	*val = s->val;
	return 1;
}

static int grow(ac_map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	ac_map_slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		ac_map_slot *s = &m->slots[i];
		if (!s->hash)
			continue;
		size_t mask = ncap - 1, k = s->hash & mask;
		while (ns[k].hash)
			k = (k + 1) & mask;
		ns[k] = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int ac_map_put(ac_map *m, const void *key, size_t n, int64_t val)
{
	if (m->limit && m->used >= m->limit)
		ac_map_clear(m);
	if ((m->used + 1) * 4 >= m->cap * 3 && grow(m))
		return -1;
	uint64_t h = hkey(key, n);
	ac_map_slot *s = find(m, h, key, n);
	if (s->hash) {
		s->val = val;
		return 0;
	}
	char *copy = malloc(n ? n : 1);
	if (!copy)
		return -1;
	memcpy(copy, key, n);
	s->hash = h;
	s->key = copy;
	s->n = n;
	s->val = val;
	m->used++;
	return 0;
}
