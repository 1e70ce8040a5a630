/*
 * Cascades (router.h): the --cascade specs, and a class served by a cascade:
 * its steps, and the accuracy of the cascade as a whole.
 */
#include "router_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/csvrec.h"

void rt_cascade_release(ac_router_cascade *c)
{
	free(c->task_type);
	free(c->complexity);
	for (int i = 0; i < c->n; i++)
		free(c->models[i]);
	free(c->models);
}

int ac_router_opts_cascade(ac_router_opts *o, const char *spec, ac_err *err)
{
	ac_router_cascade c;
	const char *eq = strchr(spec, '=');
	memset(&c, 0, sizeof(c));
	if (!eq || eq == spec || !eq[1])
		return ac_err_set(err, AC_EINVAL,
		                  "--cascade takes [TYPE/]CLASS=M1>M2[>M3...], not '%.100s'", spec);
	const char *slash = NULL;
	for (const char *p = spec; p < eq; p++)
		if (*p == '/')
			slash = p;
	if (slash) {
		c.task_type = ac_strdup_trim(spec, (size_t)(slash - spec));
		c.complexity = ac_strdup_trim(slash + 1, (size_t)(eq - slash - 1));
	} else {
		c.complexity = ac_strdup_trim(spec, (size_t)(eq - spec));
	}
	if ((slash && !c.task_type) || !c.complexity)
		goto oom;
	if (!c.complexity[0] || (c.task_type && !c.task_type[0])) {
		rt_cascade_release(&c);
		return ac_err_set(err, AC_EINVAL, "--cascade %.100s: empty task type or class", spec);
	}
	for (const char *p = eq + 1;;) {
		const char *gt = strchr(p, '>');
		size_t n = gt ? (size_t)(gt - p) : strlen(p);
		char *name = ac_strdup_trim(p, n);
		if (!name)
			goto oom;
		if (!*name || c.n == MAX_STEPS) {
			free(name);
			rt_cascade_release(&c);
			return ac_err_set(err, AC_EINVAL, "--cascade %.100s: %s", spec,
			                  c.n == MAX_STEPS ? "at most 8 models" : "empty model name");
		}
		for (int i = 0; i < c.n; i++) {
			if (!strcasecmp(c.models[i], name)) {
				free(name);
				rt_cascade_release(&c);
				return ac_err_set(err, AC_EINVAL, "--cascade %.100s: a model appears twice",
				                  spec);
			}
		}
		char **nm = realloc(c.models, (size_t)(c.n + 1) * sizeof(*nm));
		if (!nm) {
			free(name);
			goto oom;
		}
		c.models = nm;
		c.models[c.n++] = name;
		if (!gt)
			break;
		p = gt + 1;
	}
	if (c.n < 2) {
		rt_cascade_release(&c);
		return ac_err_set(err, AC_EINVAL, "--cascade %.100s: a cascade needs two models or more",
		                  spec);
	}
	for (size_t i = 0; i < o->ncascades; i++) {
		if (rt_same_opt(o->cascades[i].task_type, c.task_type) &&
		    !strcmp(o->cascades[i].complexity, c.complexity)) {
			rt_cascade_release(&c);
			return ac_err_set(err, AC_EINVAL, "--cascade %.100s: a second cascade for that class",
			                  spec);
		}
	}
	ac_router_cascade *nc = realloc(o->cascades, (o->ncascades + 1) * sizeof(*nc));
	if (!nc)
		goto oom;
	o->cascades = nc;
	o->cascades[o->ncascades++] = c;
	return 0;
oom:
	rt_cascade_release(&c);
	return ac_err_set(err, AC_ENOMEM, "out of memory");
}

static const ac_router_cascade *cascade_for(const ac_router_opts *o, const char *tt,
                                            const char *cx)
{
	const ac_router_cascade *dflt = NULL;
	for (size_t i = 0; o && i < o->ncascades; i++) {
		const ac_router_cascade *c = &o->cascades[i];
		if (strcmp(c->complexity, cx))
			continue;
		if (!c->task_type)
			dflt = c;
		else if (tt && !strcmp(c->task_type, tt))
			return c;
	}
	return dflt;
}

/*
 * The steps serving class k: a cascade, else the map's model; *n = 0 when
 * neither names the class. *label receives the to_model text (malloc'd).
 */
int rt_class_steps(step *steps, int *n, char **label, const sim_ctx *x, const rclass *k,
                       const ac_router_map *m, ac_err *err)
{
	ac_router_data *d = x->d;
	const char *tt = rt_st_str(&d->str, k->tt), *cx = d->str.s[k->cx];
	const ac_router_cascade *cas = cascade_for(x->o, tt, cx);
	int rc;
	*n = 0;
	*label = NULL;
	if (!cas) {
		const char *model = m ? ac_router_map_lookup(m, tt, cx) : NULL;
		if (!model)
			return 0;
		if ((rc = rt_step_init(&steps[0], d, model, err)))
			return rc;
		const ecell *e = rt_cell_find(d, k->tt, k->cx, steps[0].key);
		steps[0].acc = e ? e->acc : rt_no_accuracy;
		*n = 1;
		*label = strdup(model);
		return *label ? 0 : ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	size_t len = 0;
	for (int i = 0; i < cas->n; i++) {
		if ((rc = rt_step_init(&steps[i], d, cas->models[i], err))) {
			char why[sizeof(err->msg)];
			memcpy(why, err->msg, sizeof(why)); /* the message is rewritten in place */
			return ac_err_set(err, rc, "cascade %s%s%s: %.400s",
			                  cas->task_type ? cas->task_type : "", cas->task_type ? "/" : "",
			                  cas->complexity, why);
		}
		const ecell *e = rt_cell_find(d, k->tt, k->cx, steps[i].key);
		if (!e || !e->acc.n)
			return ac_err_set(err, AC_EINVAL,
			                  "cascade %s%s%s: no eval data for %.100s on task type %s, "
			                  "complexity %s: its failure rate is unknown",
			                  cas->task_type ? cas->task_type : "", cas->task_type ? "/" : "",
			                  cas->complexity, cas->models[i], tt ? tt : "(none)", cx);
		steps[i].acc = e->acc;
		steps[i].fail = 1 - e->acc.mean;
		len += strlen(cas->models[i]) + 1;
	}
	*n = cas->n;
	*label = malloc(len);
	if (!*label)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	(*label)[0] = '\0';
	for (int i = 0; i < cas->n; i++) {
		if (i)
			strcat(*label, ">");
		strcat(*label, cas->models[i]);
	}
	return 0;
}

/* Expected accuracy of a cascade, 1 - prod(1 - a_i), with bounds from the
 * steps' bounds (the expression is increasing in every a_i). */
void rt_cascade_accuracy(ac_accuracy *out, const step *steps, int n)
{
	double fm = 1, flo = 1, fhi = 1;
	size_t nmin = SIZE_MAX;
	for (int i = 0; i < n; i++) {
		fm *= 1 - steps[i].acc.mean;
		flo *= 1 - steps[i].acc.lo;
		fhi *= 1 - steps[i].acc.hi;
		if (steps[i].acc.n < nmin)
			nmin = steps[i].acc.n;
	}
	out->mean = 1 - fm;
	out->lo = 1 - flo;
	out->hi = 1 - fhi;
	out->n = nmin;
	out->binary = 0;
}
