/*
 * ClickHouse over its HTTP interface (issue #16): the connection behind a
 * store opened at clickhouse://HOST:PORT/DATABASE[?cluster=NAME].
 *
 * Only src/store calls this. Every statement is sent as a POST body; rows come
 * back as TabSeparated text, read whole (what crosses the wire is a query's
 * result: the analyses' GROUP BYs run in the server). A server that is down
 * gives AC_EIO naming the address; a statement the server refuses gives
 * AC_ESQL with the server's own message.
 */
#ifndef AC_CH_H
#define AC_CH_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/err.h"

typedef struct ac_ch ac_ch;

/* Statements this process sent, the bytes of their bodies, and the bytes
 * the answers took on the wire (compressed as they came). */
void ac_ch_totals(long long *queries, double *sent, double *received);
/* Write every statement sent from now on (not INSERT rows) to fp, each
 * followed by ";" and a blank line; NULL stops. */
void ac_ch_log(FILE *fp);

/* 1 when path names a ClickHouse store (starts with clickhouse://). */
int ac_ch_is_url(const char *path);

/* Parse the URL and connect lazily (the first statement connects).
 * AC_EINVAL for a malformed URL. */
int ac_ch_open(ac_ch **out, const char *url, ac_err *err);
void ac_ch_close(ac_ch *c);

const char *ac_ch_database(const ac_ch *c);
const char *ac_ch_cluster(const ac_ch *c); /* NULL: one server */
const char *ac_ch_host(const ac_ch *c);
int ac_ch_port(const ac_ch *c);

/* Where the store layer keeps its name cache (freed by release at close). */
void **ac_ch_names_slot(ac_ch *c, void (*release)(void *));

/* A second connection to another server of the cluster (its HTTP port). */
int ac_ch_open_peer(ac_ch **out, const ac_ch *c, const char *host, int port, ac_err *err);

/* The statement length the server parses by default (max_query_size 262144,
 * with room): a longer statement sends its own limit. */
#define AC_CH_QUERY_SIZE 250000

/* Run a statement; the body of the answer (NUL-terminated, malloc'd) in
 * *body when body is not NULL. use_db 0: no
 * database selected (to create it). */
int ac_ch_query(ac_ch *c, const char *sql, int use_db, char **body, size_t *n, ac_err *err);

/* INSERT INTO table FORMAT format (RowBinary, TabSeparated) with the rows in
 * data[0..n). */
int ac_ch_insert(ac_ch *c, const char *table, const char *format, const char *data, size_t n,
                 ac_err *err);

/* The literal of a text for a query ('text', backslash and quote escaped),
 * appended to b. */
void ac_ch_quote(ac_buf *b, const char *text);

#endif
