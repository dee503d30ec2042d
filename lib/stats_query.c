/*
 * stats_query.c: a question compiled against the rules of the commit
 * it reads: the kind, its group and sum fields (with their transforms
 * and the sequences they iterate), the date and consent fields, the
 * where-expressions each reader evaluates, and the signature that names
 * the question's cache.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "stats_int.h"

static const char *const tnames[] = {
	"", "day", "week", "month", "quarter", "year", "band", NULL
};

/* --- compiling a question --- */

void
stats_cq_free(struct cq *c)
{
	size_t i;

	for (i = 0; i < c->ng; i++)
		free(c->g[i].path);
	free(c->g);
	for (i = 0; i < c->ns; i++)
		free(c->s[i].path);
	free(c->s);
	for (i = 0; i < c->nit; i++)
		free(c->iter[i]);
	free(c->witer);
	free(c->wskip);
	enas_rules_free(c->rules);
	enas_buf_free(&c->sig);
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/*
 * The rules of the kind named q->kind (its name or its directory) in
 * the commit's records/rules.  A kind's own file that is broken is
 * reported through fn; others are not this question's business.
 */
static int
load_rules(struct run *s, const git_oid *commit)
{
	const struct enas_stats_query *q = s->c.q;
	struct enas_buf name = ENAS_BUF_INIT, kinds = ENAS_BUF_INIT;
	const git_tree_entry *e;
	struct enas_rules *r;
	git_tree *tree = NULL;
	git_blob *blob;
	size_t i, n, len;
	const char *file;
	int rc, own, broken = 0;

	if ((rc = enas_tree_at(&s->c.rules_tree, s->git, commit,
	    ENAS_RULES_DIR)) <= 0) {
		if (rc == 0)
			rc = enas_error_set(ENAS_EGIT, _("no %s in the "
			    "commit: this is not a records repository"),
			    ENAS_RULES_DIR);
		return rc;
	}
	if (git_tree_lookup(&tree, s->git, &s->c.rules_tree) < 0)
		return enas_repo_error(ENAS_RULES_DIR);
	n = git_tree_entrycount(tree);
	for (i = 0; i < n && !s->c.rules; i++) {
		e = git_tree_entry_byindex(tree, i);
		file = git_tree_entry_name(e);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    !ends_with(file, ".yaml"))
			continue;
		len = strlen(file) - 5;
		own = strlen(q->kind) == len &&
		    strncmp(file, q->kind, len) == 0;
		name.len = 0;
		if ((rc = enas_buf_printf(&name, "%s%s/%s", s->prefix,
		    ENAS_RULES_DIR, file)) < 0)
			goto out;
		if (git_blob_lookup(&blob, s->git, git_tree_entry_id(e)) < 0) {
			rc = enas_repo_error(name.data);
			goto out;
		}
		rc = enas_rules_load(&r, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob), name.data,
		    own ? s->fn : NULL, s->ctx);
		git_blob_free(blob);
		if (rc == ENAS_ENOMEM || (rc < 0 && own))
			goto out;
		if (rc < 0) {
			broken = 1;
			continue;
		}
		if (strcmp(r->kind, q->kind) == 0 ||
		    strcmp(r->dir, q->kind) == 0)
			s->c.rules = r;
		else {
			if ((rc = enas_buf_printf(&kinds, "%s%s",
			    kinds.len ? ", " : "", r->kind)) < 0) {
				enas_rules_free(r);
				goto out;
			}
			enas_rules_free(r);
		}
	}
	rc = 0;
	if (!s->c.rules && broken)
		rc = enas_error_set(ENAS_EUSAGE, _("no kind '%s' in %s%s "
		    "(kinds: %s); some rules files are broken: run "
		    "enas-check"), q->kind, s->prefix, ENAS_RULES_DIR,
		    kinds.len ? kinds.data : _("none"));
	else if (!s->c.rules)
		rc = enas_error_set(ENAS_EUSAGE, _("no kind '%s' in %s%s "
		    "(kinds: %s)"), q->kind, s->prefix, ENAS_RULES_DIR,
		    kinds.len ? kinds.data : _("none"));
out:
	git_tree_free(tree);
	enas_buf_free(&name);
	enas_buf_free(&kinds);
	return rc;
}

/* The sequence a path iterates ("referrals" of "referrals[].to"). */
static int
iteration(struct cq *c, const char *path, const struct enas_field *f,
    int *iter, const char **rest, int add)
{
	const char *br = strstr(path, "[]");
	size_t n, i;

	*iter = -1;
	*rest = NULL;
	if (br) {
		n = (size_t)(br - path);
		if (br[2] == '.')
			*rest = br + 3;
		else if (br[2])
			return enas_error_set(ENAS_EUSAGE, _("'%s' is not a "
			    "field path"), path);
		if (*rest && strstr(*rest, "[]"))
			return enas_error_set(ENAS_EUSAGE, _("'%s': sequences "
			    "inside sequences are not counted"), path);
	} else if (f->type == ENAS_LIST)
		n = strlen(path);
	else
		return 0;
	for (i = 0; i < c->nit; i++)
		if (strlen(c->iter[i]) == n && strncmp(c->iter[i], path,
		    n) == 0) {
			*iter = (int)i;
			return 0;
		}
	if (!add)
		return 0;
	if (c->nit == MAXITER)
		return enas_error_set(ENAS_EUSAGE, _("at most %d lists can be "
		    "counted at once"), MAXITER);
	if (!(c->iter[c->nit] = enas_strndup(path, n)))
		return ENAS_ENOMEM;
	*iter = (int)c->nit++;
	return 0;
}

static int
compile_group(struct cq *c, struct gcol *g, const char *spec)
{
	const char *colon = strchr(spec, ':');
	const struct enas_field *f;
	size_t i;

	if (*spec == '?') {
		/* A tag: whether a where-expression holds (the audit's). */
		g->t = T_TAG;
		g->iter = -1;
		return (g->path = enas_strdup(spec + 1)) ? 0 : ENAS_ENOMEM;
	}
	if (!(g->path = colon ? enas_strndup(spec, (size_t)(colon - spec)) :
	    enas_strdup(spec)))
		return ENAS_ENOMEM;
	g->t = T_NONE;
	if (colon) {
		for (i = 1; tnames[i]; i++)
			if (strcmp(colon + 1, tnames[i]) == 0)
				g->t = (enum transform)i;
		if (g->t == T_NONE)
			return enas_error_set(ENAS_EUSAGE, _("-g %s: no "
			    "transform '%s' (year, quarter, month, week, "
			    "day for dates; band for ints with bands)"), spec,
			    colon + 1);
	}
	if (!(f = g->f = enas_rules_field(c->rules, g->path)))
		return enas_error_set(ENAS_EUSAGE, _("-g %s: '%s' is not a "
		    "field of %s (%s)"), spec, g->path, c->rules->kind,
		    c->rules->file);
	if (f->type == ENAS_MAPPING || f->type == ENAS_ITEMS)
		return enas_error_set(ENAS_EUSAGE, _("-g %s: '%s' holds other "
		    "fields; group by one of them"), spec, g->path);
	if (g->t == T_BAND && (f->type != ENAS_INT || !f->nbands))
		return enas_error_set(ENAS_EUSAGE, _("-g %s: '%s' has no bands "
		    "in %s"), spec, g->path, c->rules->file);
	if (g->t != T_NONE && g->t != T_BAND && f->type != ENAS_DATE)
		return enas_error_set(ENAS_EUSAGE, _("-g %s: '%s' is not a "
		    "date"), spec, g->path);
	return iteration(c, g->path, f, &g->iter, &g->rest, 1);
}

static int
compile_sum(struct cq *c, struct scol *s, const char *spec)
{
	const struct enas_field *f;
	size_t i, n = strlen(spec), ints = 0;
	int other = 0;

	if (!(s->path = enas_strdup(spec)))
		return ENAS_ENOMEM;
	if (!(f = s->f = enas_rules_field(c->rules, spec)))
		return enas_error_set(ENAS_EUSAGE, _("-s %s: not a field of %s "
		    "(%s)"), spec, c->rules->kind, c->rules->file);
	if (f->type == ENAS_MAPPING) {
		for (i = 0; i < c->rules->nfields; i++) {
			const char *p = c->rules->fields[i].path;

			if (strncmp(p, spec, n) != 0 || p[n] != '.' ||
			    strchr(p + n + 1, '.') || strchr(p + n + 1, '['))
				continue;
			if (c->rules->fields[i].type == ENAS_INT)
				ints++;
			else
				other = 1;
		}
	}
	if (f->type != ENAS_INT && (f->type != ENAS_MAPPING || other ||
	    !ints))
		return enas_error_set(ENAS_EUSAGE, _("-s %s: not a whole "
		    "number field, nor a mapping of them"), spec);
	return iteration(c, s->path, f, &s->iter, &s->rest, 0);
}

/*
 * The length of the sequence that path runs through ("referrals" of
 * "referrals[].to", or a list field itself), or 0 when it runs through
 * none.
 */
static size_t
seq_len(const struct cq *c, const char *path)
{
	const struct enas_field *f;
	const char *br;

	if ((br = strstr(path, "[]")))
		return (size_t)(br - path);
	if ((f = enas_rules_field(c->rules, path)) && f->type == ENAS_LIST)
		return strlen(path);
	return 0;
}

/*
 * Which of the sequences counted item by item a where-expression on
 * field tests the items of: field is a path below "SEQ[]", or the list
 * field SEQ itself.  *skip is where its path inside an item begins, for
 * enas_expr_eval_item().  -1 when the expression is on the record.
 */
static int
item_of(const struct cq *c, const char *field, size_t *skip)
{
	size_t i, n = seq_len(c, field);

	*skip = 0;
	if (n == 0)
		return -1;
	for (i = 0; i < c->nit; i++)
		if (strlen(c->iter[i]) == n &&
		    strncmp(c->iter[i], field, n) == 0) {
			*skip = field[n] == '[' ? n + 2 : n;
			return (int)i;
		}
	return -1;
}

/*
 * What each -w and each -g ?EXPR selects: the items of a sequence that
 * a group counts item by item, or records.  A sum over every item of a
 * sequence that no group counts item by item, with a -w on the same
 * sequence, would add up items that the -w does not select: refused.
 */
static int
classify(struct cq *c)
{
	const struct enas_stats_query *q = c->q;
	struct enas_expr *e;
	const char *field;
	size_t i, k, n;
	int rc;

	if (q->nwhere && (!(c->witer = enas_calloc(q->nwhere,
	    sizeof(*c->witer))) || !(c->wskip = enas_calloc(q->nwhere,
	    sizeof(*c->wskip)))))
		return ENAS_ENOMEM;
	for (i = 0; i < q->nwhere; i++) {
		if ((rc = enas_expr_compile(&e, q->where[i], c->rules)) < 0)
			return rc == ENAS_ENOMEM ? rc : enas_error_prefix(rc,
			    "-w ");
		field = enas_expr_field(e);
		c->witer[i] = item_of(c, field, &c->wskip[i]);
		n = c->witer[i] < 0 ? seq_len(c, field) : 0;
		for (k = 0; n && k < c->ns; k++) {
			if (c->s[k].iter >= 0 || seq_len(c, c->s[k].path) !=
			    n || strncmp(c->s[k].path, field, n) != 0)
				continue;
			rc = enas_error_set(ENAS_EUSAGE, _("-s %s with -w %s: "
			    "the sum would add up every item of %.*s of the "
			    "records selected, not only the items that match; "
			    "group by a field of %.*s too (-g), to count and "
			    "add up the matching items"), c->s[k].path,
			    q->where[i], (int)n, field, (int)n, field);
			enas_expr_free(e);
			return rc;
		}
		enas_expr_free(e);
	}
	for (i = 0; i < c->ng; i++) {
		if (c->g[i].t != T_TAG)
			continue;
		if ((rc = enas_expr_compile(&e, c->g[i].path, c->rules)) < 0)
			return rc == ENAS_ENOMEM ? rc : enas_error_prefix(rc,
			    "-g ");
		c->g[i].iter = item_of(c, enas_expr_field(e), &c->g[i].skip);
		enas_expr_free(e);
	}
	return 0;
}

static int
sig_add(struct cq *c, const char *tag, const char *v)
{
	return enas_buf_printf(&c->sig, "%s %s\n", tag, v);
}

int
stats_compile(struct run *s, const git_oid *commit)
{
	struct cq *c = &s->c;
	const struct enas_stats_query *q = c->q;
	const struct enas_field *f;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc, dated;

	if ((rc = load_rules(s, commit)) < 0)
		return rc;
	if (q->ngroups && !(c->g = enas_calloc(q->ngroups, sizeof(*c->g))))
		return ENAS_ENOMEM;
	for (i = 0; i < q->ngroups; i++) {
		c->ng = i + 1;
		if ((rc = compile_group(c, &c->g[i], q->groups[i])) < 0)
			return rc;
	}
	if (q->nsums && !(c->s = enas_calloc(q->nsums, sizeof(*c->s))))
		return ENAS_ENOMEM;
	for (i = 0; i < q->nsums; i++) {
		c->ns = i + 1;
		if ((rc = compile_sum(c, &c->s[i], q->sums[i])) < 0)
			return rc;
	}
	if ((rc = classify(c)) < 0)
		return rc;
	dated = !q->history && (q->interval || q->begin >= 0 || q->end >= 0);
	if (dated && !(c->date = c->rules->date))
		return enas_error_set(ENAS_EUSAGE, _("%s records have no date "
		    "field (date: in %s), so they cannot be put in periods"),
		    c->rules->kind, c->rules->file);
	if (q->consent && (f = enas_rules_field(c->rules,
	    "consent.reporting")) && f->type == ENAS_BOOL)
		c->consent = f->path;
	git_oid_tostr(hex, sizeof(hex), &c->rules_tree);
	if ((rc = sig_add(c, "enas-stats-yield", "2")) < 0 ||
	    (rc = sig_add(c, "rules", hex)) < 0 ||
	    (rc = sig_add(c, "kind", c->rules->kind)) < 0 ||
	    (rc = sig_add(c, "date", c->date ? c->date : "-")) < 0 ||
	    (rc = sig_add(c, "consent", c->consent ? c->consent : "-")) < 0)
		return rc;
	for (i = 0; i < q->ngroups; i++)
		if ((rc = sig_add(c, "group", q->groups[i])) < 0)
			return rc;
	for (i = 0; i < q->nsums; i++)
		if ((rc = sig_add(c, "sum", q->sums[i])) < 0)
			return rc;
	for (i = 0; i < q->nwhere; i++)
		if ((rc = sig_add(c, "where", q->where[i])) < 0)
			return rc;
	return 0;
}

/* Parse the where-expressions for one reader. */
int
stats_ex_init(struct ex *x, const struct cq *c)
{
	const struct enas_stats_query *q = c->q;
	size_t i;
	int rc;

	memset(x, 0, sizeof(*x));
	if ((rc = enas_fastrec_new(&x->fast)) < 0)
		return rc;
	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (q->nwhere && !(x->w = enas_calloc(q->nwhere, sizeof(*x->w))))
		return ENAS_ENOMEM;
	for (i = 0; i < q->nwhere; i++) {
		x->nw = i + 1;
		if ((rc = enas_expr_compile(&x->w[i], q->where[i],
		    c->rules)) < 0)
			return rc == ENAS_ENOMEM ? rc : enas_error_prefix(rc,
			    "-w ");
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (c->ng && !(x->tg = enas_calloc(c->ng, sizeof(*x->tg))))
		return ENAS_ENOMEM;
	x->ntg = c->ng;
	for (i = 0; i < c->ng; i++) {
		if (c->g[i].t != T_TAG)
			continue;
		if ((rc = enas_expr_compile(&x->tg[i], c->g[i].path,
		    c->rules)) < 0)
			return rc == ENAS_ENOMEM ? rc : enas_error_prefix(rc,
			    "-g ");
	}
	return 0;
}

void
stats_ex_free(struct ex *x)
{
	size_t i;

	for (i = 0; i < x->nw; i++)
		enas_expr_free(x->w[i]);
	for (i = 0; x->tg && i < x->ntg; i++)
		enas_expr_free(x->tg[i]);
	free(x->tg);
	free(x->w);
	for (i = 0; i < MAXITER; i++)
		free(x->items[i]);
	enas_buf_free(&x->out);
	enas_fastrec_free(x->fast);
}
