/*
 * ClickHouse over HTTP (ch.h), with libcurl: one easy handle per connection,
 * kept alive between statements.
 */
#include "ch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

struct ac_ch {
	CURL *curl;
	char *host, *db, *cluster, *userpwd;
	int port;
	char *url_db, *url_nodb; /* http://host:port/?...&database=db, and without */
	void *names;             /* ac_ch_names_slot */
	void (*names_free)(void *);
};

/* What this process sent and received (ac_ch_totals). */
static long long total_queries;
static double total_sent, total_received;

static FILE *log_fp;

void ac_ch_log(FILE *fp)
{
	log_fp = fp;
}

void ac_ch_totals(long long *queries, double *sent, double *received)
{
	*queries = total_queries;
	*sent = total_sent;
	*received = total_received;
}

int ac_ch_is_url(const char *path)
{
	return path && strncmp(path, "clickhouse://", 13) == 0;
}

/* Database and cluster names go into DDL unquoted: letters, digits, _ only. */
static int plain_name(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static int build_urls(ac_ch *c)
{
	size_t n = strlen(c->host) + strlen(c->db) + 96;
	if (!(c->url_db = malloc(n)) || !(c->url_nodb = malloc(n)))
		return -1;
	/* answers compressed (curl asks for the encodings it can decode and
	 * decodes them): TabSeparated rows of ids, numbers and hex shrink to a
	 * third or less on the wire */
	const char *fmt = strchr(c->host, ':') ? "http://[%s]:%d/?enable_http_compression=1"
	                                       : "http://%s:%d/?enable_http_compression=1";
	snprintf(c->url_nodb, n, fmt, c->host, c->port);
	snprintf(c->url_db, n, "%s&database=%s", c->url_nodb, c->db);
	return 0;
}

static int init_curl(ac_ch *c, ac_err *err)
{
	static int global_done;
	if (!global_done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		global_done = 1;
	}
	if (!(c->curl = curl_easy_init()))
		return ac_err_set(err, AC_ENOMEM, "out of memory (curl)");
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c->curl, CURLOPT_NOPROXY, "*"); /* never through a proxy */
	curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING, ""); /* build_urls */
	if (c->userpwd)
		curl_easy_setopt(c->curl, CURLOPT_USERPWD, c->userpwd);
	return 0;
}

int ac_ch_open(ac_ch **out, const char *url, ac_err *err)
{
	*out = NULL;
	if (!ac_ch_is_url(url))
		return ac_err_set(err, AC_EINVAL, "%s: not a clickhouse:// address", url);
	const char *p = url + 13;
	ac_ch *c = calloc(1, sizeof(*c));
	if (!c)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	int rc = AC_EINVAL;
	const char *slash = strchr(p, '/');
	const char *at = strchr(p, '@');
	if (at && slash && at < slash) { /* user[:password]@ */
		c->userpwd = strndup(p, (size_t)(at - p));
		p = at + 1;
	}
	if (!slash || slash == p) {
		ac_err_set(err, rc, "%s: expected clickhouse://HOST:PORT/DATABASE[?cluster=NAME]", url);
		goto fail;
	}
	const char *hend = slash, *colon = NULL;
	if (*p == '[') { /* [v6]:port */
		const char *rb = memchr(p, ']', (size_t)(slash - p));
		if (!rb) {
			ac_err_set(err, rc, "%s: unclosed [ in the host", url);
			goto fail;
		}
		c->host = strndup(p + 1, (size_t)(rb - p - 1));
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(slash - p));
		c->host = strndup(p, (size_t)((colon ? colon : hend) - p));
	}
	c->port = 8123;
	if (colon) {
		char *e;
		long port = strtol(colon + 1, &e, 10);
		if (e != hend || port <= 0 || port > 65535) {
			ac_err_set(err, rc, "%s: bad port", url);
			goto fail;
		}
		c->port = (int)port;
	}
	const char *db = slash + 1, *q = strchr(db, '?');
	size_t dbn = q ? (size_t)(q - db) : strlen(db);
	if (!plain_name(db, dbn)) {
		ac_err_set(err, rc, "%s: the database name must be letters, digits and _", url);
		goto fail;
	}
	c->db = strndup(db, dbn);
	if (q) {
		if (strncmp(q, "?cluster=", 9) != 0 || !plain_name(q + 9, strlen(q + 9))) {
			ac_err_set(err, rc, "%s: the only option is ?cluster=NAME (letters, digits, _)",
			           url);
			goto fail;
		}
		c->cluster = strdup(q + 9);
	}
	if (!c->host || !c->host[0] || !c->db || (q && !c->cluster)) {
		ac_err_set(err, rc, "%s: no host", url);
		goto fail;
	}
	if (build_urls(c)) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = init_curl(c, err)))
		goto fail;
	*out = c;
	return 0;
fail:
	ac_ch_close(c);
	return rc;
}

int ac_ch_open_peer(ac_ch **out, const ac_ch *c, const char *host, int port, ac_err *err)
{
	*out = NULL;
	ac_ch *p = calloc(1, sizeof(*p));
	if (!p)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	p->host = strdup(host);
	p->db = strdup(c->db);
	p->cluster = c->cluster ? strdup(c->cluster) : NULL;
	p->userpwd = c->userpwd ? strdup(c->userpwd) : NULL;
	p->port = port;
	int rc;
	if (!p->host || !p->db || build_urls(p)) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	} else if (!(rc = init_curl(p, err))) {
		*out = p;
		return 0;
	}
	ac_ch_close(p);
	return rc;
}

void ac_ch_close(ac_ch *c)
{
	if (!c)
		return;
	if (c->names && c->names_free)
		c->names_free(c->names);
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->host);
	free(c->db);
	free(c->cluster);
	free(c->userpwd);
	free(c->url_db);
	free(c->url_nodb);
	free(c);
}

const char *ac_ch_database(const ac_ch *c)
{
	return c->db;
}

const char *ac_ch_cluster(const ac_ch *c)
{
	return c->cluster;
}

const char *ac_ch_host(const ac_ch *c)
{
	return c->host;
}

int ac_ch_port(const ac_ch *c)
{
	return c->port;
}

void **ac_ch_names_slot(ac_ch *c, void (*release)(void *))
{
	c->names_free = release;
	return &c->names;
}

static size_t on_body(char *p, size_t size, size_t n, void *payload)
{
	ac_buf *b = payload;
	ac_buf_add(b, p, size * n);
	return b->oom ? 0 : size * n;
}

/* POST body to url; the answer into *answer. */
static int post(ac_ch *c, const char *url, const char *body, size_t n, ac_buf *answer,
                ac_err *err)
{
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, answer);
	CURLcode cc = curl_easy_perform(h);
	curl_off_t got = 0;
	curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
	total_queries++;
	total_sent += (double)n;
	total_received += (double)got;
	if (answer->oom)
		return ac_err_set(err, AC_ENOMEM, "out of memory reading ClickHouse's answer");
	if (cc != CURLE_OK)
		return ac_err_set(err, AC_EIO, "clickhouse://%s:%d: %s", c->host, c->port,
		                  curl_easy_strerror(cc));
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200) {
		/* the server's message: its first line, without the stack trace */
		const char *m = ac_buf_cstr(answer);
		size_t ml = strcspn(m, "\n");
		if (ml > 400)
			ml = 400;
		/* a column of the call groups missing: a table of the previous build */
		const char *old = strstr(m, "identifier: g_") || strstr(m, "columns: 'g_")
		                          ? " (the span table was created by an older agentcost, "
		                            "without the call-group columns: drop the database and "
		                            "ingest again)"
		                          : "";
		return ac_err_set(err, AC_ESQL, "clickhouse://%s:%d/%s: HTTP %ld: %.*s%s", c->host,
		                  c->port, c->db, code, (int)ml, m, old);
	}
	return 0;
}

int ac_ch_query(ac_ch *c, const char *sql, int use_db, char **body, size_t *n, ac_err *err)
{
	ac_buf answer = AC_BUF_INIT;
	size_t len = strlen(sql);
	if (log_fp)
		fprintf(log_fp, "%s;\n\n", sql);
	const char *url = use_db ? c->url_db : c->url_nodb;
	char *long_url = NULL;
	if (len > AC_CH_QUERY_SIZE) {
		/* a statement longer than the server parses by default (the
		 * router's lists): its size as the limit (needs readonly 0 or 2) */
		size_t un = strlen(url) + 48;
		if (!(long_url = malloc(un)))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		snprintf(long_url, un, "%s&max_query_size=%zu", url, len + 1024);
		url = long_url;
	}
	int rc = post(c, url, sql, len, &answer, err);
	free(long_url);
	if (!rc && body) {
		ac_buf_add(&answer, "", 0);
		if (answer.oom) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		} else {
			if (!answer.data) { /* an empty answer */
				answer.data = calloc(1, 1);
				if (!answer.data)
					return ac_err_set(err, AC_ENOMEM, "out of memory");
			}
			*body = answer.data;
			if (n)
				*n = answer.len;
			return 0;
		}
	}
	ac_buf_release(&answer);
	return rc;
}

int ac_ch_insert(ac_ch *c, const char *table, const char *format, const char *data, size_t n,
                 ac_err *err)
{
	char url[1024];
	/* the statement in the URL, the rows in the body (the HTTP interface's
	 * rule); on a cluster the Distributed table passes the rows to their
	 * shards before answering: an answered INSERT is stored, as on one server */
	snprintf(url, sizeof(url), "%s&query=INSERT%%20INTO%%20%s%%20FORMAT%%20%s%s", c->url_db, table,
	         format, c->cluster ? "&insert_distributed_sync=1" : "");
	ac_buf answer = AC_BUF_INIT;
	int rc = post(c, url, data, n, &answer, err);
	ac_buf_release(&answer);
	return rc;
}

void ac_ch_quote(ac_buf *b, const char *text)
{
	ac_buf_addc(b, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'' || *p == '\\')
			ac_buf_addc(b, '\\');
		ac_buf_addc(b, *p);
	}
	ac_buf_addc(b, '\'');
}
