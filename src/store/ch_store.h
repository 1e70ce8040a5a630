/*
 * The ClickHouse backend of the store (issue #16), internal to src/store:
 * store.c hands a clickhouse:// store's reads here. The write side is
 * ac_store_ship (store.h): an ingest runs into a SQLite staging store, then
 * its spans and tasks are sent here.
 */
#ifndef AC_CH_STORE_H
#define AC_CH_STORE_H

#include <stdint.h>

#include "ch.h"
#include "store.h"

/* The connection of a clickhouse:// store (NULL for SQLite). */
ac_ch *ac_store_ch(ac_store *s);

/* Connect and check the server answers; with create, create the database
 * and the tables when missing (on every shard with ?cluster=), else
 * AC_EIO when they are not there. */
int ac_chs_open(ac_ch **out, const char *url, int create, ac_err *err);

typedef struct ac_ch_rows ac_ch_rows;
/* The ClickHouse twin of query `name` (queries/clickhouse/NAME), ?1 ?2 ?3
 * bound; run at the first ac_ch_rows_next. AC_EINVAL when the backend has no
 * twin of that query. */
int ac_ch_rows_open(ac_ch *c, const char *name, int64_t since_ns, int64_t until_ns,
                    const char *system, int plain, ac_ch_rows **out, ac_err *err);
void ac_ch_rows_bind_int(ac_ch_rows *r, int param, int64_t v);
void ac_ch_rows_bind_text(ac_ch_rows *r, int param, const char *text);
/* ?param as an array literal of n uint64_t (doubles 0) or double values;
 * v is borrowed until the rows are read. */
void ac_ch_rows_bind_list(ac_ch_rows *r, int param, int doubles, const void *v, size_t n);
/* 1 when queries/clickhouse/NAME exists. */
int ac_ch_answers(const char *name);
void ac_ch_rows_reset(ac_ch_rows *r);
/* The texts that replace {traces} and {tasks} in the query (ch_pull.sql). */
void ac_ch_rows_set_lists(ac_ch_rows *r, const char *traces, const char *tasks);
/* The text of the tasks of a question with dimensions (src/store/qtask.c)
 * that replaces {q_task} (the twins of queries/\*_by.sql), in parentheses. */
void ac_ch_rows_set_qtask(ac_ch_rows *r, const char *qtask);
/* The text that replaces the placeholder "{name}" (name must outlive r; up
 * to 4 names). */
void ac_ch_rows_set_text(ac_ch_rows *r, const char *name, const char *text);
/* The query's text as it would be sent, without the answer's format (a
 * subquery for another): ?N and the placeholders replaced, comments dropped;
 * appended to b. */
int ac_ch_rows_sql(ac_ch_rows *r, ac_buf *b, ac_err *err);
int ac_ch_rows_next(ac_ch_rows *r, ac_err *err);
const char *ac_ch_rows_text(ac_ch_rows *r, int col); /* NULL: SQL NULL */
void ac_ch_rows_free(ac_ch_rows *r);

/* A clickhouse:// store's q_task (src/store/qtask.c), kept in the store and
 * freed at its close; its text replaces {q_task} in every query it runs. */
typedef struct ac_qtask_ch ac_qtask_ch;
ac_qtask_ch **ac_store_qtask_ch(ac_store *s);
void ac_qtask_ch_free(ac_qtask_ch *q);
const char *ac_qtask_ch_text(const ac_qtask_ch *q); /* NULL: none prepared */

/* The name of an id a twin gave for it (task_costs.sql: the system and the
 * task type, hashed in the server). */
int ac_ch_name(ac_ch *c, int dict, int64_t id, char **out, ac_err *err);

#endif
