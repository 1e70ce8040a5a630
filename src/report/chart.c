/*
 * Charts: gnuplot as an external program, and what comes back from it.
 *
 * gnuplot runs as `gnuplot -c SCRIPT DATA SVG [ARGS...]` from an argv vector
 * with posix_spawn (no shell), stdin and stdout on /dev/null, stderr into a
 * file we read for the error message, HOME set to our private temporary
 * directory (so no ~/.gnuplot is read) and LC_ALL=C (so numbers print the same
 * everywhere). The scripts are the embedded reports/NAME.gp; they take their file
 * names as ARG1/ARG2 and use them as strings only. Trace text reaches gnuplot
 * only inside the data file, as quoted labels reduced to a safe character set
 * (ac_plot_label), which gnuplot reads as data (columnheader, xtic(), labels),
 * never as commands.
 *
 * What gnuplot writes is then re-emitted through a whitelist (ac_svg_sanitize):
 * drawing elements and presentation attributes only; script, style, foreign
 * content, event handlers, external references and namespace declarations are
 * dropped; ids are prefixed per chart so several charts share one page.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

/* The embedded reports/NAME.gp (cmake/embed.cmake, NAME ac_report_scripts). */
typedef struct {
	const char *name;
	const char *text;
	size_t len;
} ac_embedded;
extern const ac_embedded ac_report_scripts[];

#define GNUPLOT_TIMEOUT_MS 60000

struct ac_plotter {
	char *program; /* absolute or relative path, NULL when not found */
	char *dir;     /* private temporary directory */
	char note[256];
	int seq;
};

/* ---- finding gnuplot ---------------------------------------------------- */

static int executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The program named `name` (a path when it holds '/', else searched in the
 * directories of path), malloc'ed, or NULL. */
static char *find_program(const char *name, const char *path)
{
	if (strchr(name, '/'))
		return executable(name) ? strdup(name) : NULL;
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		char *cand = NULL;
		if (n && asprintf(&cand, "%.*s/%s", (int)n, path, name) >= 0) {
			if (executable(cand))
				return cand;
		}
		free(cand);
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

int ac_plotter_new(ac_plotter **out, const ac_report_opts *o, ac_err *err)
{
	ac_plotter *p = calloc(1, sizeof(*p));
	if (!p)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	const char *program = o->gnuplot && *o->gnuplot ? o->gnuplot : NULL;
	const char *want = program ? program : "gnuplot";
	p->program = find_program(want, o->search_path);
	if (!p->program) {
		if (program)
			snprintf(p->note, sizeof(p->note), "gnuplot program '%.200s' not found", want);
		else
			snprintf(p->note, sizeof(p->note),
			         "gnuplot is not on PATH (install gnuplot-nox to draw charts)");
		*out = p;
		return 0;
	}
	const char *tmp = o->tmpdir;
	if (asprintf(&p->dir, "%s/agentcost-report.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) {
		p->dir = NULL;
		ac_plotter_free(p);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	if (!mkdtemp(p->dir)) {
		int e = errno;
		ac_err_set(err, AC_EIO, "%s: %s", p->dir, strerror(e));
		free(p->dir);
		p->dir = NULL;
		ac_plotter_free(p);
		return AC_EIO;
	}
	*out = p;
	return 0;
}

void ac_plotter_free(ac_plotter *p)
{
	if (!p)
		return;
	if (p->dir) {
		/* our private directory: everything in it is ours */
		DIR *dh = opendir(p->dir);
		if (dh) {
			struct dirent *e;
			while ((e = readdir(dh))) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				char *f = NULL;
				if (asprintf(&f, "%s/%s", p->dir, e->d_name) >= 0)
					unlink(f);
				free(f);
			}
			closedir(dh);
		}
		rmdir(p->dir);
	}
	free(p->dir);
	free(p->program);
	free(p);
}

const char *ac_plotter_note(const ac_plotter *p)
{
	return p->program ? "" : p->note;
}

/* ---- running it --------------------------------------------------------- */

static int write_all(const char *path, const char *data, size_t n)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return -1;
	size_t w = fwrite(data, 1, n, fp);
	int bad = ferror(fp);
	if (fclose(fp) || bad || w != n)
		return -1;
	return 0;
}

/* Whole file, malloc'ed and NUL-terminated; NULL when unreadable. */
static char *read_all(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (len + 1 >= cap) {
			char *nb = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + len, 1, cap - len - 1, fp);
		len += r;
		if (r == 0)
			break;
	}
	fclose(fp);
	if (buf) {
		buf[len] = '\0';
		*n = len;
	}
	return buf;
}

/* The first line of gnuplot's stderr, printable ASCII only, into note. */
static void error_note(char *note, size_t nnote, const char *what, const char *errpath)
{
	size_t n = 0;
	char *e = read_all(errpath, &n);
	char line[160];
	size_t k = 0;
	for (size_t i = 0; e && i < n && k + 1 < sizeof(line); i++) {
		unsigned char c = (unsigned char)e[i];
		if (c == '\n' && k > 0)
			break;
		if (c >= 0x20 && c < 0x7f)
			line[k++] = (char)c;
	}
	line[k] = '\0';
	free(e);
	snprintf(note, nnote, "%s%s%s", what, k ? ": " : "", line);
}

static const char *script_text(const char *name, size_t *len)
{
	for (const ac_embedded *e = ac_report_scripts; e->name; e++)
		if (!strcmp(e->name, name)) {
			*len = e->len;
			return e->text;
		}
	return NULL;
}

/* Spawn and wait (with a timeout); the exit status, or -1. */
static int run(const ac_plotter *p, char *const *argv, const char *errpath)
{
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa))
		return -1;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char *home = NULL;
	if (asprintf(&home, "HOME=%s", p->dir) < 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	char *envp[] = { home, "LC_ALL=C", "LANG=C", "PATH=/usr/local/bin:/usr/bin:/bin", NULL };
	pid_t pid;
	int rc = posix_spawn(&pid, p->program, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	free(home);
	if (rc)
		return -1;
	int status = 0;
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	for (int waited = 0;; waited += 5) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (waited >= GNUPLOT_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char *ac_plot(ac_plotter *p, const char *script, const char *data, size_t n,
              const char *const *args, const char *id_prefix, char *note, size_t nnote)
{
	if (!p->program) {
		snprintf(note, nnote, "%s", p->note);
		return NULL;
	}
	size_t slen;
	const char *text = script_text(script, &slen);
	if (!text) {
		snprintf(note, nnote, "no embedded script %s", script);
		return NULL;
	}
	int k = ++p->seq;
	char *gp = NULL, *dat = NULL, *svg = NULL, *errf = NULL, *out = NULL;
	if (asprintf(&gp, "%s/%d.gp", p->dir, k) < 0)
		gp = NULL;
	if (asprintf(&dat, "%s/%d.dat", p->dir, k) < 0)
		dat = NULL;
	if (asprintf(&svg, "%s/%d.svg", p->dir, k) < 0)
		svg = NULL;
	if (asprintf(&errf, "%s/%d.err", p->dir, k) < 0)
		errf = NULL;
	if (!gp || !dat || !svg || !errf) {
		snprintf(note, nnote, "out of memory");
		goto done;
	}
	if (write_all(gp, text, slen) || write_all(dat, data, n)) {
		snprintf(note, nnote, "cannot write to %s", p->dir);
		goto done;
	}
	char *argv[16];
	int a = 0;
	argv[a++] = p->program;
	argv[a++] = "-c";
	argv[a++] = gp;
	argv[a++] = dat;
	argv[a++] = svg;
	for (int i = 0; args && args[i] && a < 15; i++)
		argv[a++] = (char *)args[i];
	argv[a] = NULL;
	int st = run(p, argv, errf);
	size_t len = 0;
	char *raw = st == 0 ? read_all(svg, &len) : NULL;
	if (st != 0 || !raw || !len) {
		error_note(note, nnote, st < 0 ? "gnuplot did not run to the end" : "gnuplot failed",
		           errf);
	} else if (!(out = ac_svg_sanitize(raw, len, id_prefix))) {
		snprintf(note, nnote, "gnuplot wrote no usable SVG");
	}
	free(raw);
done:
	if (gp)
		unlink(gp);
	if (dat)
		unlink(dat);
	if (svg)
		unlink(svg);
	if (errf)
		unlink(errf);
	free(gp);
	free(dat);
	free(svg);
	free(errf);
	return out;
}

void ac_plot_label(char *out, size_t n, const char *s)
{
	static const char ok[] = "._-/:()+= "; /* no #: a comment in gnuplot data */
	size_t k = 0;
	if (!n)
		return;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && k + 1 < n && k < 40;
	     p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c && strchr(ok, c)))
			out[k++] = (char)c;
		else if (c < 0x80 || (c & 0xC0) == 0xC0)
			out[k++] = '_'; /* one '_' per character, not per UTF-8 byte */
	}
	out[k] = '\0';
	if (!k)
		snprintf(out, n, "(none)");
}

/* ---- SVG whitelist ------------------------------------------------------ */

static const char *const ELEMENTS[] = {
	"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
	"tspan", "defs", "use", "clipPath", "filter", "feFlood", "feComposite", "linearGradient",
	"radialGradient", "stop", "pattern", "marker", NULL
};

static const char *const ATTRS[] = {
	"width", "height", "viewBox", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
	"d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
	"stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
	"stroke-opacity", "stroke-miterlimit", "opacity", "color", "font-family", "font-size",
	"font-weight", "font-style", "text-anchor", "dominant-baseline", "alignment-baseline",
	"baseline-shift", "id", "href", "xlink:href", "clip-path", "clipPathUnits", "filter",
	"filterUnits", "flood-color", "flood-opacity", "in", "in2", "operator", "result", "style",
	"offset", "stop-color", "stop-opacity", "gradientUnits", "patternUnits",
	"patternContentUnits", "preserveAspectRatio", "visibility", "shape-rendering",
	"text-rendering", "textLength", "lengthAdjust", "xml:space", "dx", "dy", "rotate",
	"markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits", "marker-start",
	"marker-mid", "marker-end", "vector-effect", "display", "class", NULL
};

static int listed(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !memcmp(list[i], s, n))
			return 1;
	return 0;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == ':' || c == '_' || c == '-' || c == '.';
}

/* Length of a character reference at s ("&amp;", "&#60;", "&#x3c;"), 0 if none. */
static size_t entity_len(const char *s, const char *end)
{
	static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", NULL };
	for (size_t i = 0; named[i]; i++) {
		size_t k = strlen(named[i]);
		if ((size_t)(end - s) >= k && !memcmp(s, named[i], k))
			return k;
	}
	const char *p = s + 1;
	if (p < end && *p == '#') {
		p++;
		int hex = p < end && (*p == 'x' || *p == 'X');
		if (hex)
			p++;
		const char *q = p;
		while (q < end && q - p < 8 &&
		       ((*q >= '0' && *q <= '9') ||
		        (hex && ((*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F')))))
			q++;
		if (q > p && q < end && *q == ';')
			return (size_t)(q - s + 1);
	}
	return 0;
}

/* Text or an attribute value, re-escaped: an existing character reference is
 * kept, any other & < > " ' escaped, control characters dropped. */
static void put_escaped(ac_buf *b, const char *s, const char *end)
{
	while (s < end) {
		unsigned char c = (unsigned char)*s;
		size_t k;
		if (c == '&' && (k = entity_len(s, end))) {
			ac_buf_add(b, s, k);
			s += k;
			continue;
		}
		s++;
		switch (c) {
		case '&': ac_buf_adds(b, "&amp;"); break;
		case '<': ac_buf_adds(b, "&lt;"); break;
		case '>': ac_buf_adds(b, "&gt;"); break;
		case '"': ac_buf_adds(b, "&quot;"); break;
		case '\'': ac_buf_adds(b, "&#39;"); break;
		default:
			if (c >= 0x20 || c == '\n' || c == '\t')
				ac_buf_addc(b, (char)c);
		}
	}
}

/* An attribute value is acceptable when it cannot reach outside the chart:
 * url() only to a fragment, no script or data URLs, no CSS escapes or
 * imports. Lower-cased copy checked. */
static int value_safe(const char *v, size_t n)
{
	char *low = malloc(n + 1);
	if (!low)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue; /* "java script:" tricks */
		low[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	low[k] = '\0';
	int ok = !strstr(low, "javascript:") && !strstr(low, "data:") && !strstr(low, "expression(") &&
	         !strstr(low, "@import") && !strchr(low, '\\') && !strstr(low, "http:") &&
	         !strstr(low, "https:") && !strstr(low, "//") && !strstr(low, "&#") &&
	         !strstr(low, "behavior") && !strstr(low, "binding");
	for (const char *u = low; ok && (u = strstr(u, "url(")); u += 4) {
		const char *q = u + 4;
		if (*q == '\'' || *q == '"')
			q++;
		if (*q != '#')
			ok = 0;
	}
	free(low);
	return ok;
}

/* Emit value with every url(#x) turned into url(#PREFIX-x). */
static void put_value_prefixed(ac_buf *b, const char *v, const char *end, const char *prefix)
{
	const char *p = v;
	while (p < end) {
		const char *u = NULL;
		for (const char *q = p; q + 4 <= end; q++)
			if (!memcmp(q, "url(", 4)) {
				u = q;
				break;
			}
		if (!u) {
			put_escaped(b, p, end);
			return;
		}
		const char *h = u + 4;
		if (h < end && (*h == '\'' || *h == '"'))
			h++;
		put_escaped(b, p, h + 1); /* through '#' */
		ac_buf_adds(b, prefix);
		ac_buf_addc(b, '-');
		p = h + 1;
	}
}

typedef struct sanitizer {
	ac_buf out;
	const char *prefix;
	char stack[64][24]; /* open elements we emitted */
	int depth;
	int skip;           /* > 0: inside an element we drop, with its content */
	int root_done;
} sanitizer;

/* The listed attributes with safe values of a tag's attribute text
 * [attrs, lim) into b: ids and in-chart references prefixed with z->prefix. */
static void put_attrs(sanitizer *z, ac_buf *b, const char *attrs, const char *lim)
{
	const char *p = attrs;
	while (p < lim) {
		while (p < lim && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		const char *an = p;
		while (p < lim && name_char(*p))
			p++;
		size_t alen = (size_t)(p - an);
		if (!alen) {
			p++;
			continue;
		}
		while (p < lim && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		const char *v = p, *vend = p;
		if (p < lim && *p == '=') {
			p++;
			while (p < lim && (*p == ' ' || *p == '\t' || *p == '\n'))
				p++;
			if (p < lim && (*p == '"' || *p == '\'')) {
				char qc = *p++;
				v = p;
				while (p < lim && *p != qc)
					p++;
				vend = p;
				if (p < lim)
					p++;
			} else {
				v = p;
				while (p < lim && *p != ' ' && *p != '\t' && *p != '\n')
					p++;
				vend = p;
			}
		}
		if (!listed(ATTRS, an, alen) || !value_safe(v, (size_t)(vend - v)))
			continue;
		int is_href = (alen == 4 && !memcmp(an, "href", 4)) ||
		              (alen == 10 && !memcmp(an, "xlink:href", 10));
		int is_id = alen == 2 && !memcmp(an, "id", 2);
		if (is_href) {
			if (vend - v < 2 || *v != '#')
				continue; /* only references inside the chart */
			ac_buf_printf(b, " href=\"#%s-", z->prefix);
			put_escaped(b, v + 1, vend);
			ac_buf_addc(b, '"');
		} else if (is_id) {
			ac_buf_printf(b, " id=\"%s-", z->prefix);
			put_escaped(b, v, vend);
			ac_buf_addc(b, '"');
		} else {
			ac_buf_addc(b, ' ');
			ac_buf_add(b, an, alen);
			ac_buf_adds(b, "=\"");
			put_value_prefixed(b, v, vend, z->prefix);
			ac_buf_addc(b, '"');
		}
	}
}

/* Parse and emit one start tag at s (after '<'); returns the position after
 * '>' or NULL when malformed. */
static const char *start_tag(sanitizer *z, const char *s, const char *end)
{
	const char *name = s;
	while (s < end && name_char(*s))
		s++;
	size_t nlen = (size_t)(s - name);
	/* find the end of the tag, honouring quotes */
	const char *attrs = s, *q = s;
	char quote = 0;
	while (q < end && (quote || *q != '>')) {
		if (quote && *q == quote)
			quote = 0;
		else if (!quote && (*q == '"' || *q == '\''))
			quote = *q;
		q++;
	}
	if (q >= end)
		return NULL;
	const char *tag_end = q; /* at '>' */
	int self_close = tag_end > attrs && tag_end[-1] == '/';
	if (z->skip) {
		if (!self_close)
			z->skip++;
		return tag_end + 1;
	}
	if (!nlen || nlen >= sizeof(z->stack[0]) || !listed(ELEMENTS, name, nlen) ||
	    (!self_close && z->depth >= 64) ||
	    (!z->root_done && !(nlen == 3 && !memcmp(name, "svg", 3)))) {
		if (!self_close)
			z->skip = 1;
		return tag_end + 1;
	}
	ac_buf *b = &z->out;
	ac_buf_addc(b, '<');
	ac_buf_add(b, name, nlen);
	if (!z->root_done) {
		ac_buf_adds(b, " role=\"img\"");
		z->root_done = 1;
	}
	put_attrs(z, b, attrs, self_close ? tag_end - 1 : tag_end);
	if (self_close) {
		ac_buf_adds(b, "/>");
	} else {
		ac_buf_addc(b, '>');
		memcpy(z->stack[z->depth], name, nlen);
		z->stack[z->depth][nlen] = '\0';
		z->depth++;
	}
	return tag_end + 1;
}

static const char *end_tag(sanitizer *z, const char *s, const char *end)
{
	const char *name = s;
	while (s < end && name_char(*s))
		s++;
	size_t nlen = (size_t)(s - name);
	const char *gt = memchr(s, '>', (size_t)(end - s));
	if (!gt)
		return NULL;
	if (z->skip) {
		z->skip--;
		return gt + 1;
	}
	/* close back to the matching open element, if there is one */
	int m = -1;
	for (int i = z->depth - 1; i >= 0; i--)
		if (strlen(z->stack[i]) == nlen && !memcmp(z->stack[i], name, nlen)) {
			m = i;
			break;
		}
	while (m >= 0 && z->depth > m) {
		z->depth--;
		ac_buf_printf(&z->out, "</%s>", z->stack[z->depth]);
	}
	return gt + 1;
}

char *ac_svg_sanitize(const char *svg, size_t n, const char *id_prefix)
{
	sanitizer z;
	memset(&z, 0, sizeof(z));
	z.prefix = id_prefix ? id_prefix : "c";
	const char *s = svg, *end = svg + n;
	/* everything before the root element (XML declaration, doctype) goes */
	while (s < end) {
		const char *lt = memchr(s, '<', (size_t)(end - s));
		if (!lt || end - lt < 4)
			return NULL;
		if (!memcmp(lt, "<svg", 4) && (lt + 4 == end || !name_char(lt[4]))) {
			s = lt;
			break;
		}
		s = lt + 1;
	}
	while (s < end && !(z.root_done && z.depth == 0)) {
		if (*s != '<') {
			const char *lt = memchr(s, '<', (size_t)(end - s));
			const char *stop = lt ? lt : end;
			if (!z.skip && z.depth > 0)
				put_escaped(&z.out, s, stop);
			s = stop;
			continue;
		}
		const char *r = NULL;
		if (end - s >= 4 && !memcmp(s, "<!--", 4)) {
			const char *c = memmem(s + 4, (size_t)(end - s - 4), "-->", 3);
			r = c ? c + 3 : NULL;
		} else if (end - s >= 9 && !memcmp(s, "<![CDATA[", 9)) {
			const char *c = memmem(s + 9, (size_t)(end - s - 9), "]]>", 3);
			r = c ? c + 3 : NULL;
		} else if (end - s >= 2 && (s[1] == '?' || s[1] == '!')) {
			const char *c = memchr(s, '>', (size_t)(end - s));
			r = c ? c + 1 : NULL;
		} else if (end - s >= 2 && s[1] == '/') {
			r = end_tag(&z, s + 2, end);
		} else {
			r = start_tag(&z, s + 1, end);
		}
		if (!r)
			break; /* truncated markup: close what is open */
		s = r;
	}
	while (z.depth > 0) {
		z.depth--;
		ac_buf_printf(&z.out, "</%s>", z.stack[z.depth]);
	}
	if (!z.root_done || z.out.oom) {
		ac_buf_release(&z.out);
		return NULL;
	}
	return z.out.data; /* taken over: an ac_buf's data is malloc'ed */
}
