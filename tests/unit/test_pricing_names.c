/*
 * Unit tests of model name resolution (src/pricing/names.c and the order of
 * pricing.h): one case per rule with the candidate list written out by hand,
 * resolution against the built-in table and against imported rows (dated
 * imported rows first, imported before built-in), the provider-prefixed
 * keys, model aliases (alias,model import), the hints of `summary`, and the
 * Bedrock ids of LiteLLM's table against the built-in prices. Negatives
 * (names that must not resolve, or not to a near name) sit beside each rule.
 * Expected prices are the built-in list prices (builtin_prices.c) or the
 * rows imported here; costs are worked out in comments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "pricing/names.h"
#include "pricing/pricing.h"

#ifndef AC_SOURCE_DIR
#define AC_SOURCE_DIR "/work/main"
#endif
#ifndef AC_SHARED_DIR
#define AC_SHARED_DIR AC_SOURCE_DIR "/../shared"
#endif
#define LITELLM_JSON AC_SHARED_DIR "/fixtures/third_party/litellm_model_prices.json"

/* Long names: Bedrock ARNs and a Vertex resource path, without the model. */
#define ARN_FM "arn:aws:bedrock:us-east-1::foundation-model/"
#define ARN_IP "arn:aws:bedrock:us-west-2:123456789012:inference-profile/"
#define ARN_AIP "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/"
#define VTX "projects/p1/locations/us-east5/publishers/anthropic/models/"

/* Helpers ---------------------------------------------------------------- */

static char tmpdir[256];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ac_names_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void apply(sqlite3 *db, const char *file)
{
	char *sql = slurp(file);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
}

/* A fresh in-memory store with the price tables and the alias table. */
static sqlite3 *new_db(void)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	apply(db, AC_SOURCE_DIR "/schema/001_init.sql");
	apply(db, AC_SOURCE_DIR "/schema/006_model_alias.sql");
	return db;
}

typedef struct warns {
	int n;
	long long line[16];
	char msg[16][512];
} warns;

static void collect(const ac_err *e, void *payload)
{
	warns *w = payload;
	if (w->n < 16) {
		w->line[w->n] = e->line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", e->msg);
	}
	w->n++;
}

static int import_text(sqlite3 *db, const char *name, const char *text, ac_import_stats *st,
                       warns *w, ac_err *err)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return ac_prices_import(db, path, st, w ? collect : NULL, w, err);
}

static ac_pricebook *load(sqlite3 *db)
{
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);
	assert_non_null(pb);
	return pb;
}

/* The candidates of name (for provider) are exactly want[], NULL-ended;
 * the first ndated of them keep their dates. */
#define expect_cands(name, prov, ndated, ...) \
	expect_cands_at(name, prov, ndated, (const char *[]){ __VA_ARGS__, NULL }, __LINE__)

static void expect_cands_at(const char *name, const char *prov, int ndated, const char **want,
                            int line)
{
	ac_name_cands c;
	int n = 0;
	ac_name_candidates(&c, name, prov);
	while (want[n])
		n++;
	int same = c.n == n && c.ndated == ndated;
	for (int i = 0; same && i < n; i++)
		same = strcmp(c.c[i], want[i]) == 0;
	if (!same) {
		print_error("line %d: candidates of %s (provider %s), %d dated:\n", line, name,
		            prov ? prov : "-", c.ndated);
		for (int i = 0; i < c.n; i++)
			print_error("  have %s (%s)\n", c.c[i], c.rule[i]);
		for (int i = 0; i < n; i++)
			print_error("  want %s\n", want[i]);
		fail();
	}
}

/* model (for provider) resolves to the group `matched` (NULL: unpriced),
 * imported or not, whose last row's input price is input. */
#define expect_model(pb, model, prov, matched, imported, input) \
	expect_model_at(pb, model, prov, matched, imported, input, __LINE__)

static void expect_model_at(ac_pricebook *pb, const char *model, const char *prov,
                            const char *want, int want_imported, double want_input, int line)
{
	const ac_price *rows;
	const char *matched;
	int imported;
	int n = ac_pricebook_resolve(pb, model, prov, &rows, &matched, &imported);
	if (!want) {
		if (n != 0) {
			print_error("line %d: %s (provider %s) resolved to %s, expected unpriced\n", line,
			            model, prov ? prov : "-", matched);
			fail();
		}
		return;
	}
	if (n == 0 || strcmp(matched, want) != 0 || imported != want_imported ||
	    rows[n - 1].input != want_input) {
		print_error("line %d: %s (provider %s) resolved to %s (imported %d, input %g), "
		            "expected %s (imported %d, input %g)\n",
		            line, model, prov ? prov : "-", n ? matched : "nothing", n ? imported : 0,
		            n ? rows[n - 1].input : NAN, want, want_imported, want_input);
		fail();
	}
}

/* The candidates, one rule at a time ------------------------------------ */

static void test_rule_exact_only(void **state)
{
	(void)state;
	expect_cands("gpt-4o-mini", NULL, 1, "gpt-4o-mini");
	/* negatives: no rule touches these */
	expect_cands("gpt-4o-mini-v2", NULL, 1, "gpt-4o-mini-v2");   /* -v2 without a vendor */
	expect_cands("llama3.1", NULL, 1, "llama3.1");               /* not a Bedrock vendor */
	expect_cands("us.gpt-4o", NULL, 1, "us.gpt-4o");             /* region, no vendor */
	expect_cands("mistral-large-v1:0x", NULL, 1, "mistral-large-v1:0x");
	expect_cands("gpt-4-0613", NULL, 1, "gpt-4-0613");           /* not a date */
	expect_cands("gpt-4o-mini-20241345", NULL, 1, "gpt-4o-mini-20241345"); /* month 13 */
}

static void test_rule_date(void **state)
{
	(void)state;
	expect_cands("gpt-4o-mini-2024-07-18", NULL, 1, "gpt-4o-mini-2024-07-18", "gpt-4o-mini");
	expect_cands("claude-3-5-haiku-20241022", NULL, 1, "claude-3-5-haiku-20241022",
	             "claude-3-5-haiku");
}

static void test_rule_provider_prefix(void **state)
{
	(void)state;
	char b[64];
	/* the span's provider attribute gives LiteLLM's prefix */
	expect_cands("grok-3-mini", "xai", 2, "grok-3-mini", "xai/grok-3-mini");
	expect_cands("grok-3-mini", "x_ai", 2, "grok-3-mini", "xai/grok-3-mini");
	expect_cands("gpt-4o", "azure.ai.openai", 2, "gpt-4o", "azure/gpt-4o");
	expect_cands("llama-3.1-8b-instant", "groq", 2, "llama-3.1-8b-instant",
	             "groq/llama-3.1-8b-instant");
	/* not twice: the name has the prefix already */
	expect_cands("xai/grok-3-mini", "xai", 2, "xai/grok-3-mini", "grok-3-mini");
	/* an empty or odd provider adds nothing */
	expect_cands("gpt-4o", "", 1, "gpt-4o");
	expect_cands("gpt-4o", "my provider!", 1, "gpt-4o");

	assert_string_equal(ac_name_provider_prefix("aws.bedrock", b, sizeof(b)), "bedrock");
	assert_string_equal(ac_name_provider_prefix("gcp.vertex_ai", b, sizeof(b)), "vertex_ai");
	assert_string_equal(ac_name_provider_prefix("gcp.gemini", b, sizeof(b)), "gemini");
	assert_string_equal(ac_name_provider_prefix("azure.ai.inference", b, sizeof(b)), "azure_ai");
	assert_string_equal(ac_name_provider_prefix("mistral_ai", b, sizeof(b)), "mistral");
	assert_string_equal(ac_name_provider_prefix("ibm.watsonx.ai", b, sizeof(b)), "watsonx");
	/* Vercel AI SDK ai.model.provider values */
	assert_string_equal(ac_name_provider_prefix("openai.responses", b, sizeof(b)), "openai");
	assert_string_equal(ac_name_provider_prefix("google.vertex.chat", b, sizeof(b)), "vertex_ai");
	assert_string_equal(ac_name_provider_prefix("amazon-bedrock", b, sizeof(b)), "bedrock");
	assert_string_equal(ac_name_provider_prefix("aws", b, sizeof(b)), "bedrock");
	assert_string_equal(ac_name_provider_prefix("openrouter", b, sizeof(b)), "openrouter");
	assert_null(ac_name_provider_prefix("", b, sizeof(b)));
	assert_null(ac_name_provider_prefix(NULL, b, sizeof(b)));
	assert_null(ac_name_provider_prefix("a b", b, sizeof(b)));
}

static void test_rule_bedrock(void **state)
{
	(void)state;
	/* model id: vendor and version go */
	expect_cands("anthropic.claude-3-5-sonnet-20241022-v2:0", NULL, 2,
	             "anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet-20241022",
	             "claude-3-5-sonnet");
	/* inference profiles: the region prefix goes first */
	expect_cands("us.anthropic.claude-3-5-haiku-20241022-v1:0", NULL, 3,
	             "us.anthropic.claude-3-5-haiku-20241022-v1:0",
	             "anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku-20241022",
	             "claude-3-5-haiku");
	expect_cands("eu.anthropic.claude-3-7-sonnet-20250219-v1:0", NULL, 3,
	             "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
	             "anthropic.claude-3-7-sonnet-20250219-v1:0", "claude-3-7-sonnet-20250219",
	             "claude-3-7-sonnet");
	expect_cands("apac.anthropic.claude-sonnet-4-20250514-v1:0", NULL, 3,
	             "apac.anthropic.claude-sonnet-4-20250514-v1:0",
	             "anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-20250514",
	             "claude-sonnet-4");
	expect_cands("global.anthropic.claude-sonnet-4-20250514-v1:0", NULL, 3,
	             "global.anthropic.claude-sonnet-4-20250514-v1:0",
	             "anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-20250514",
	             "claude-sonnet-4");
	/* other vendors: LiteLLM keys them by the model id, which stays a candidate */
	expect_cands("us.meta.llama3-1-70b-instruct-v1:0", NULL, 3,
	             "us.meta.llama3-1-70b-instruct-v1:0", "meta.llama3-1-70b-instruct-v1:0",
	             "llama3-1-70b-instruct");
	expect_cands("amazon.nova-pro-v1:0", NULL, 2, "amazon.nova-pro-v1:0", "nova-pro");
	/* "-v1" without a colon only after a vendor; a context-window variant */
	expect_cands("amazon.titan-text-express-v1", NULL, 2, "amazon.titan-text-express-v1",
	             "titan-text-express");
	expect_cands("anthropic.claude-3-sonnet-20240229-v1:0:200k", NULL, 2,
	             "anthropic.claude-3-sonnet-20240229-v1:0:200k", "claude-3-sonnet-20240229",
	             "claude-3-sonnet");
	expect_cands("openai.gpt-oss-120b-1:0", NULL, 2, "openai.gpt-oss-120b-1:0", "gpt-oss-120b");
	/* a bare "-v2:0" (a tool that dropped the vendor) */
	expect_cands("claude-3-5-sonnet-20241022-v2:0", NULL, 2, "claude-3-5-sonnet-20241022-v2:0",
	             "claude-3-5-sonnet-20241022", "claude-3-5-sonnet");
}

static void test_rule_arn(void **state)
{
	(void)state;
	expect_cands(ARN_FM "anthropic.claude-3-5-haiku-20241022-v1:0",
	             NULL, 3,
	             ARN_FM "anthropic.claude-3-5-haiku-20241022-v1:0",
	             "anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku-20241022",
	             "claude-3-5-haiku");
	expect_cands(ARN_IP "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
	             NULL, 4,
	             ARN_IP "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
	             "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
	             "anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet-20241022",
	             "claude-3-5-sonnet");
	/* an application inference profile has an opaque id: nothing to guess */
	expect_cands(ARN_AIP "a1b2c3d4e5f6",
	             NULL, 2,
	             ARN_AIP "a1b2c3d4e5f6",
	             "a1b2c3d4e5f6");
}

static void test_rule_vertex(void **state)
{
	(void)state;
	/* @date is Anthropic's -date */
	expect_cands("claude-3-5-haiku@20241022", NULL, 2, "claude-3-5-haiku@20241022",
	             "claude-3-5-haiku-20241022", "claude-3-5-haiku");
	/* -v2@date is the dated name without v2 (and "-v2" alone is kept) */
	expect_cands("claude-3-5-sonnet-v2@20241022", NULL, 2, "claude-3-5-sonnet-v2@20241022",
	             "claude-3-5-sonnet-20241022", "claude-3-5-sonnet-v2", "claude-3-5-sonnet");
	/* a resource path: its last segment */
	expect_cands(VTX "claude-3-5-haiku@20241022",
	             NULL, 3,
	             VTX "claude-3-5-haiku@20241022",
	             "claude-3-5-haiku@20241022", "claude-3-5-haiku-20241022",
	             VTX "claude-3-5-haiku",
	             "claude-3-5-haiku");
	expect_cands("publishers/google/models/gemini-2.5-pro", NULL, 2,
	             "publishers/google/models/gemini-2.5-pro", "gemini-2.5-pro");
	/* the provider's prefix comes before the path */
	expect_cands("claude-3-5-haiku@20241022", "gcp.vertex_ai", 3, "claude-3-5-haiku@20241022",
	             "vertex_ai/claude-3-5-haiku@20241022", "claude-3-5-haiku-20241022",
	             "claude-3-5-haiku", "vertex_ai/claude-3-5-haiku");
}

static void test_rule_openrouter(void **state)
{
	(void)state;
	/* provider/model, and Anthropic's dotted versions as dashes */
	expect_cands("anthropic/claude-3.5-sonnet", NULL, 3, "anthropic/claude-3.5-sonnet",
	             "claude-3.5-sonnet", "claude-3-5-sonnet");
	expect_cands("anthropic/claude-sonnet-4.5", NULL, 3, "anthropic/claude-sonnet-4.5",
	             "claude-sonnet-4.5", "claude-sonnet-4-5");
	/* OpenRouter's x-ai is LiteLLM's xai */
	expect_cands("x-ai/grok-3-mini", NULL, 3, "x-ai/grok-3-mini", "grok-3-mini",
	             "xai/grok-3-mini");
	expect_cands("google/gemini-2.5-pro", NULL, 3, "google/gemini-2.5-pro", "gemini-2.5-pro",
	             "gemini/gemini-2.5-pro");
	/* dots stay in other names (gemini-2.5, gpt-4.1) */
	expect_cands("openai/gpt-4.1-mini", NULL, 2, "openai/gpt-4.1-mini", "gpt-4.1-mini");
	/* the provider attribute "openrouter": LiteLLM's openrouter/ key first */
	expect_cands("anthropic/claude-3.5-sonnet", "openrouter", 4, "anthropic/claude-3.5-sonnet",
	             "openrouter/anthropic/claude-3.5-sonnet", "claude-3.5-sonnet",
	             "claude-3-5-sonnet");
}

static void test_rule_long_name(void **state)
{
	(void)state;
	char name[AC_NAME_MAX + 10];
	ac_name_cands c;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ac_name_candidates(&c, name, NULL);
	assert_int_equal(c.n, 0);
	ac_name_candidates(&c, "", NULL);
	assert_int_equal(c.n, 0);
	ac_name_candidates(&c, NULL, NULL);
	assert_int_equal(c.n, 0);
}

/* Resolution against the built-in table ---------------------------------- */

static void test_resolve_builtin(void **state)
{
	(void)state;
	ac_pricebook *pb = load(NULL);

	/* Bedrock (list prices: claude-3-5-sonnet 3.00, claude-3-5-haiku 0.80) */
	expect_model(pb, "anthropic.claude-3-5-sonnet-20241022-v2:0", NULL,
	             "claude-3-5-sonnet", 0, 3.00);
	expect_model(pb, "us.anthropic.claude-3-5-haiku-20241022-v1:0", NULL,
	             "claude-3-5-haiku", 0, 0.80);
	expect_model(pb, "eu.anthropic.claude-3-7-sonnet-20250219-v1:0", NULL,
	             "claude-3-7-sonnet", 0, 3.00);
	expect_model(pb, "apac.anthropic.claude-sonnet-4-20250514-v1:0", NULL,
	             "claude-sonnet-4", 0, 3.00);
	expect_model(pb, "global.anthropic.claude-sonnet-4-20250514-v1:0", NULL,
	             "claude-sonnet-4", 0, 3.00);
	expect_model(pb, ARN_FM "anthropic.claude-3-5-haiku-20241022-v1:0",
	             NULL, "claude-3-5-haiku", 0, 0.80);
	expect_model(pb, ARN_IP "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
	             NULL, "claude-3-5-sonnet", 0, 3.00);
	/* Vertex */
	expect_model(pb, "claude-3-5-haiku@20241022", NULL, "claude-3-5-haiku", 0, 0.80);
	expect_model(pb, "claude-3-5-sonnet-v2@20241022", NULL, "claude-3-5-sonnet", 0, 3.00);
	expect_model(pb, VTX "claude-3-5-haiku@20241022",
	             NULL, "claude-3-5-haiku", 0, 0.80);
	expect_model(pb, "publishers/google/models/gemini-2.5-pro", NULL, "gemini-2.5-pro", 0, 1.25);
	/* OpenRouter */
	expect_model(pb, "anthropic/claude-3.5-sonnet", NULL, "claude-3-5-sonnet", 0, 3.00);
	expect_model(pb, "anthropic/claude-sonnet-4.5", NULL, "claude-sonnet-4-5", 0, 3.00);
	expect_model(pb, "openai/gpt-4o", NULL, "gpt-4o", 0, 2.50);
	expect_model(pb, "google/gemini-2.5-flash", NULL, "gemini-2.5-flash", 0, 0.30);
	/* a provider attribute does not stop the plain name from resolving */
	expect_model(pb, "gpt-4o-mini", "azure.ai.openai", "gpt-4o-mini", 0, 0.15);

	/* negatives: never the near name */
	expect_model(pb, "gpt-4o", NULL, "gpt-4o", 0, 2.50);           /* not gpt-4o-mini */
	expect_model(pb, "gpt-4o-min", NULL, NULL, 0, 0);
	expect_model(pb, "gpt-4o-mini-v2", NULL, NULL, 0, 0);
	expect_model(pb, "x-ai/grok-3-mini", NULL, NULL, 0, 0);         /* no built-in grok */
	expect_model(pb, "grok-3-mini", "xai", NULL, 0, 0);
	expect_model(pb, "us.meta.llama3-1-70b-instruct-v1:0", NULL, NULL, 0, 0);
	expect_model(pb, ARN_AIP "a1b2c3d4e5f6",
	             NULL, NULL, 0, 0);
	expect_model(pb, "anthropic/claude-3.5", NULL, NULL, 0, 0);

	/* Claude from Sonnet 4.5 on: Bedrock and Vertex bill regional endpoints
	 * 10% above list, so their cloud names get no built-in price... */
	expect_model(pb, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", NULL, NULL, 0, 0);
	expect_model(pb, "anthropic.claude-haiku-4-5-20251001-v1:0", NULL, NULL, 0, 0);
	expect_model(pb, "claude-sonnet-4-5@20250929", NULL, NULL, 0, 0);
	/* ...but Anthropic's own names do, and older models' cloud names too */
	expect_model(pb, "claude-sonnet-4-5-20250929", NULL, "claude-sonnet-4-5", 0, 3.00);
	expect_model(pb, "us.anthropic.claude-sonnet-4-20250514-v1:0", NULL,
	             "claude-sonnet-4", 0, 3.00);
	ac_pricebook_free(pb);
}

/* Imported rows: dated first, imported before built-in -------------------- */

static void test_resolve_imported_dated_first(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb;

	assert_int_equal(import_text(db, "dated.csv",
	                             "model,input_per_mtok,output_per_mtok\n"
	                             "claude-3-5-sonnet-20241022,9,9\n"
	                             "claude-3-5-sonnet-20240620,7,7\n"
	                             "us.anthropic.claude-sonnet-4-5-20250929-v1:0,3.3,16.5\n",
	                             NULL, NULL, &err),
	                 0);
	pb = load(db);
	/* a dated name reaches the imported dated row before the built-in undated one */
	expect_model(pb, "anthropic.claude-3-5-sonnet-20241022-v2:0", NULL,
	             "claude-3-5-sonnet-20241022", 1, 9);
	expect_model(pb, "claude-3-5-sonnet-v2@20241022", NULL, "claude-3-5-sonnet-20241022", 1, 9);
	expect_model(pb, "claude-3-5-sonnet@20240620", NULL, "claude-3-5-sonnet-20240620", 1, 7);
	expect_model(pb, "us.anthropic.claude-3-5-sonnet-20240620-v1:0", NULL,
	             "claude-3-5-sonnet-20240620", 1, 7);
	/* negatives: no nearest date; an unknown date falls to the undated row */
	expect_model(pb, "claude-3-5-sonnet-v2@20250101", NULL, "claude-3-5-sonnet", 0, 3.00);
	expect_model(pb, "claude-3-5-sonnet", NULL, "claude-3-5-sonnet", 0, 3.00);
	/* the Bedrock premium model: its exact imported row; not another region's */
	expect_model(pb, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", NULL,
	             "us.anthropic.claude-sonnet-4-5-20250929-v1:0", 1, 3.3);
	expect_model(pb, "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", NULL, NULL, 0, 0);
	ac_pricebook_free(pb);

	/* an imported undated row beats the built-in, dated rows still first */
	assert_int_equal(import_text(db, "undated.csv",
	                             "model,input_per_mtok,output_per_mtok\nclaude-3-5-sonnet,5,5\n",
	                             NULL, NULL, &err),
	                 0);
	pb = load(db);
	expect_model(pb, "claude-3-5-sonnet-v2@20250101", NULL, "claude-3-5-sonnet", 1, 5);
	expect_model(pb, "claude-3-5-sonnet-v2@20241022", NULL, "claude-3-5-sonnet-20241022", 1, 9);
	expect_model(pb, "anthropic/claude-3.5-sonnet", NULL, "claude-3-5-sonnet", 1, 5);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

static void test_resolve_provider(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb;

	assert_int_equal(import_text(db, "xai.csv",
	                             "model,input_per_mtok,output_per_mtok\n"
	                             "xai/grok-3-mini,0.30,0.50\n"
	                             "azure/gpt-4o,2.75,11\n"
	                             "vertex_ai/claude-3-5-sonnet-v2@20241022,3.5,17\n",
	                             NULL, NULL, &err),
	                 0);
	pb = load(db);
	expect_model(pb, "grok-3-mini", "xai", "xai/grok-3-mini", 1, 0.30);
	expect_model(pb, "grok-3-mini", "x_ai", "xai/grok-3-mini", 1, 0.30);
	expect_model(pb, "x-ai/grok-3-mini", NULL, "xai/grok-3-mini", 1, 0.30);
	/* the same name without the provider: unpriced (cached apart) */
	expect_model(pb, "grok-3-mini", NULL, NULL, 0, 0);
	expect_model(pb, "grok-3-mini", "XAI", "xai/grok-3-mini", 1, 0.30);
	/* the provider's key beats the built-in list price */
	expect_model(pb, "gpt-4o", "azure.ai.openai", "azure/gpt-4o", 1, 2.75);
	expect_model(pb, "gpt-4o", "openai", "gpt-4o", 0, 2.50);
	expect_model(pb, "claude-3-5-sonnet-v2@20241022", "gcp.vertex_ai",
	             "vertex_ai/claude-3-5-sonnet-v2@20241022", 1, 3.5);
	expect_model(pb, "claude-3-5-sonnet-v2@20241022", NULL, "claude-3-5-sonnet", 0, 3.00);

	/* the cost decision takes the provider: 1000 in x 0.30 + 500 out x 0.50
	 * = 300 + 250 = 550 per million -> 0.00055 */
	ac_cost_input in = { 0 };
	double cost;
	int src;
	in.step = AC_STEP_LLM;
	in.model = "grok-3-mini";
	in.provider = "xai";
	in.tok.in = 1000;
	in.tok.out = 500;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_TABLE);
	assert_true(fabs(cost - 0.00055) < 1e-15);
	in.provider = NULL;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_UNPRICED);
	ac_pricebook_free(pb);

	/* the name itself (step 2a) comes before the provider's key (2b) */
	assert_int_equal(import_text(db, "plain.csv",
	                             "model,input_per_mtok,output_per_mtok\ngpt-4o,2.6,10\n",
	                             NULL, NULL, &err),
	                 0);
	pb = load(db);
	expect_model(pb, "gpt-4o", "azure.ai.openai", "gpt-4o", 1, 2.6);
	expect_model(pb, "gpt-4o-2024-08-06", "azure.ai.openai", "gpt-4o", 1, 2.6);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

/* Aliases ---------------------------------------------------------------- */

static void test_alias(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	warns w = { 0 };
	ac_pricebook *pb;

	pb = load(db);
	expect_model(pb, "prod-gpt4o-east", NULL, NULL, 0, 0);
	ac_pricebook_free(pb);

	assert_int_equal(import_text(db, "aliases.csv",
	                             "alias,model\n"
	                             "prod-gpt4o-east,gpt-4o-2024-08-06\n" /* line 2 */
	                             "gpt-4,gpt-4o\n"                      /* line 3 */
	                             "chain-a,chain-b\n"                   /* line 4 */
	                             "chain-b,gpt-4o\n"                    /* line 5 */
	                             "lost,no-such-model\n",               /* line 6 */
	                             &st, &w, &err),
	                 0);
	assert_string_equal(st.kind, "alias-csv");
	assert_int_equal(st.rows, 5);
	assert_int_equal(st.skipped, 0);
	pb = load(db);
	/* the deployment name is gpt-4o (the target's date is stripped) */
	expect_model(pb, "prod-gpt4o-east", NULL, "gpt-4o", 0, 2.50);
	expect_model(pb, "PROD-GPT4O-EAST", NULL, "gpt-4o", 0, 2.50);
	expect_model(pb, "azure/prod-gpt4o-east", NULL, "gpt-4o", 0, 2.50); /* last segment */
	/* an alias beats the built-in row of the very name (gpt-4 is 30.00) */
	expect_model(pb, "gpt-4", NULL, "gpt-4o", 0, 2.50);
	/* never through a second alias; an alias to an unpriced model is unpriced */
	expect_model(pb, "chain-a", NULL, NULL, 0, 0);
	expect_model(pb, "chain-b", NULL, "gpt-4o", 0, 2.50);
	expect_model(pb, "lost", NULL, NULL, 0, 0);
	ac_pricebook_free(pb);

	/* the alias's model takes the span's provider: gpt-4o-2024-08-06 has no
	 * imported row, azure/gpt-4o (its undated provider key) has */
	assert_int_equal(import_text(db, "azure.csv",
	                             "model,input_per_mtok,output_per_mtok\nazure/gpt-4o,2.75,11\n",
	                             NULL, NULL, &err),
	                 0);
	pb = load(db);
	expect_model(pb, "prod-gpt4o-east", "azure.ai.openai", "azure/gpt-4o", 1, 2.75);
	expect_model(pb, "prod-gpt4o-east", NULL, "gpt-4o", 0, 2.50);
	ac_pricebook_free(pb);

	/* re-import replaces the aliases named, keeps the others */
	assert_int_equal(import_text(db, "again.csv", "alias,model\nPROD-gpt4o-east,gpt-4o-mini\n",
	                             &st, NULL, &err),
	                 0);
	pb = load(db);
	expect_model(pb, "prod-gpt4o-east", NULL, "gpt-4o-mini", 0, 0.15);
	expect_model(pb, "gpt-4", NULL, "gpt-4o", 0, 2.50);
	ac_pricebook_free(pb);

	/* bad rows are skipped with their line; the good one is kept */
	memset(&w, 0, sizeof(w));
	assert_int_equal(import_text(db, "bad.csv",
	                             "alias,model\n"
	                             ",gpt-4o\n"              /* 2: empty alias */
	                             "x1,\n"                  /* 3: empty model */
	                             "=cmd|' /C calc'!A0,gpt-4o\n" /* 4: formula */
	                             "same,SAME\n"            /* 5: names itself */
	                             "ok1,gpt-4o-mini\n"      /* 6: kept */
	                             "ok1,gpt-4o\n"           /* 7: duplicate */
                                     "x2,gpt-4o,extra\n",     /* 8: extra cell */
	                             &st, &w, &err),
	                 0);
	assert_int_equal(st.rows, 1);
	assert_int_equal(st.skipped, 6);
	assert_int_equal(w.n, 6);
	long long lines[6] = { 2, 3, 4, 5, 7, 8 };
	for (int i = 0; i < 6; i++)
		assert_int_equal(w.line[i], lines[i]);
	assert_non_null(strstr(w.msg[2], "formula"));
	assert_non_null(strstr(w.msg[4], "first at line 6"));
	pb = load(db);
	expect_model(pb, "ok1", NULL, "gpt-4o-mini", 0, 0.15);
	ac_pricebook_free(pb);

	/* fatal: a header other than alias,model; no valid row -- nothing changes */
	assert_int_equal(import_text(db, "h1.csv", "alias,model,note\na,gpt-4o,x\n", NULL, NULL, &err),
	                 AC_EFORMAT);
	assert_non_null(strstr(err.msg, "h1.csv:1: an alias file's header is exactly alias,model"));
	assert_int_equal(import_text(db, "h2.csv", "alias,name\na,gpt-4o\n", NULL, NULL, &err),
	                 AC_EFORMAT);
	assert_int_equal(import_text(db, "h3.csv", "alias,model\n,\n", NULL, NULL, &err), AC_EFORMAT);
	assert_non_null(strstr(err.msg, "no valid alias row"));
	pb = load(db);
	expect_model(pb, "a", NULL, NULL, 0, 0);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

/* A store made before schema 006 has no alias table: no aliases, no error. */
static void test_alias_old_store(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	apply(db, AC_SOURCE_DIR "/schema/001_init.sql");
	ac_pricebook *pb = load(db);
	expect_model(pb, "anthropic.claude-3-5-sonnet-20241022-v2:0", NULL,
	             "claude-3-5-sonnet", 0, 3.00);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

/* Hints ------------------------------------------------------------------ */

static void expect_hint(ac_pricebook *pb, const char *model, const char *want)
{
	const char *h = ac_pricebook_hint(pb, model);
	if (want == NULL ? h != NULL : (h == NULL || strcmp(h, want) != 0)) {
		print_error("hint for %s is %s, expected %s\n", model ? model : "NULL", h ? h : "NULL",
		            want ? want : "NULL");
		fail();
	}
}

static void test_hint(void **state)
{
	(void)state;
	ac_pricebook *pb = load(NULL);
	/* distance 1 to gpt-4o-mini, 4 to gpt-4o (a part of it) */
	expect_hint(pb, "gpt-4o-min", "gpt-4o-mini");
	/* gpt-4o is a whole part of the deployment name (distance 12); nothing
	 * else is within a quarter of the length */
	expect_hint(pb, "prod-gpt-4o-eastus", "gpt-4o");
	/* a typo in a dated name: its undated form is 1 from claude-3-5-sonnet */
	expect_hint(pb, "claude-3-5-sonet-20241022", "claude-3-5-sonnet");
	/* a premium Bedrock name: the model it is, unpriced on purpose */
	expect_hint(pb, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5");
	/* nothing near */
	expect_hint(pb, "llama-3.1-70b-instruct", NULL);
	expect_hint(pb, "my-deployment", NULL);
	expect_hint(pb, "", NULL);
	expect_hint(pb, NULL, NULL);

	assert_int_equal(ac_name_nearness("gpt-4o-min", "gpt-4o-mini"), 1);
	assert_int_equal(ac_name_nearness("prod-gpt-4o-eastus", "gpt-4o"), 12);
	/* "gpt-4" is not a whole part of "gpt-4o" (an 'o' follows), but the
	 * distance 1 is within 6 / 4 */
	assert_int_equal(ac_name_nearness("gpt-4o", "gpt-4"), 1);
	/* not a part, and the lengths differ by 4 > 11 / 4: too far */
	assert_int_equal(ac_name_nearness("gpt-4o-mini", "o3-mini"), -1);
	assert_int_equal(ac_name_nearness("o3", "o1"), -1); /* 1 * 4 > 2 */
	/* the unpriced name a part of the known one: 15 - 11 */
	assert_int_equal(ac_name_nearness("grok-3-mini", "xai/grok-3-mini"), 4);
	ac_pricebook_free(pb);
}

/* LiteLLM's Bedrock ids against the built-in prices ----------------------- */

/*
 * Every Bedrock id of LiteLLM's table (a name with a ":" version) that the
 * built-in table prices must have LiteLLM's input and output price. Cache
 * prices are not compared: LiteLLM leaves them out for Bedrock models that
 * had no prompt caching there (Claude 3 Haiku, 3 Opus, 3.5 Sonnet), which
 * then bill no cache tokens. Two LiteLLM entries are known wrong and
 * skipped: anthropic.claude-3-7-sonnet-20240620-v1:0 (no such model; it
 * carries the us-gov price 3.60/18.00) and eu.anthropic.claude-3-5-haiku-
 * 20241022-v1:0 (0.25/1.25, Claude 3 Haiku's price). And no id of a Claude
 * model dated 2025-09-29 or later may reach the built-in table.
 */
static void test_bedrock_agrees_with_litellm(void **state)
{
	(void)state;
	if (access(LITELLM_JSON, R_OK) != 0) {
		print_message("skipped: %s is absent (no ../shared beside the repository)\n",
		              LITELLM_JSON);
		skip();
	}
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	sqlite3_stmt *q;
	ac_pricebook *pb = load(NULL);
	int compared = 0, premium = 0;

	assert_int_equal(ac_prices_import(db, LITELLM_JSON, &st, NULL, NULL, &err), 0);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT model, input_per_mtok, output_per_mtok FROM price"
	                                    " WHERE model LIKE '%:%' AND model NOT LIKE '%/%'"
	                                    " ORDER BY model",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		const ac_price *rows;
		const char *matched;
		if (strstr(name, "claude-sonnet-4-5-2025") || strstr(name, "claude-haiku-4-5-2025")) {
			assert_int_equal(ac_pricebook_model(pb, name, &rows, &matched, NULL), 0);
			premium++;
			continue;
		}
		if (strcmp(name, "anthropic.claude-3-7-sonnet-20240620-v1:0") == 0 ||
		    strcmp(name, "eu.anthropic.claude-3-5-haiku-20241022-v1:0") == 0)
			continue;
		if (ac_pricebook_model(pb, name, &rows, &matched, NULL) == 0)
			continue;
		double in = sqlite3_column_double(q, 1), out = sqlite3_column_double(q, 2);
		if (fabs(rows[0].input - in) > 1e-12 * in || fabs(rows[0].output - out) > 1e-12 * out) {
			print_error("%s (built-in %s): %g / %g, LiteLLM has %g / %g\n", name, matched,
			            rows[0].input, rows[0].output, in, out);
			fail();
		}
		compared++;
	}
	sqlite3_finalize(q);
	/* the 2025-11 table: 30-odd Anthropic Bedrock ids of older models, and
	 * the Sonnet 4.5 / Haiku 4.5 ids of seven regions */
	print_message("compared %d Bedrock ids, %d premium ids unpriced\n", compared, premium);
	assert_true(compared >= 20);
	assert_true(premium >= 10);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_exact_only),
		cmocka_unit_test(test_rule_date),
		cmocka_unit_test(test_rule_provider_prefix),
		cmocka_unit_test(test_rule_bedrock),
		cmocka_unit_test(test_rule_arn),
		cmocka_unit_test(test_rule_vertex),
		cmocka_unit_test(test_rule_openrouter),
		cmocka_unit_test(test_rule_long_name),
		cmocka_unit_test(test_resolve_builtin),
		cmocka_unit_test(test_resolve_imported_dated_first),
		cmocka_unit_test(test_resolve_provider),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_alias_old_store),
		cmocka_unit_test(test_hint),
		cmocka_unit_test(test_bedrock_agrees_with_litellm),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
