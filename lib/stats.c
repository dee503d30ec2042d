/*
 * stats.c: aggregate committed records (SPEC §7).
 *
 * A question is compiled against the rules of the commit it reads into
 * an extraction: what one record yields (whether it passes the
 * where-expressions, its consent and date, and one unit per item
 * counted with its group values and summands), encoded in a few bytes.
 * The extraction depends on nothing but the blob's content and the
 * question, so it is cached by blob id (lib/blobcache).  Counting is
 * then adding up yields: over one tree, or, for --history, over the
 * differences between the trees at consecutive period ends, adding the
 * new versions of records and taking away the old.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blobcache.h"
#include "expr.h"
#include "fastrec.h"
#include "layout.h"
#include "record.h"
#include "rules.h"
#include "stats.h"
#include "suppress.h"
#include "tree.h"

#define MAXITER 4		/* sequences iterated at once */
#define BIAS 1000000LL		/* days stored as unsigned keys */
#define CACHE_KEEP 16		/* cache files kept per repository */
#define MAXTHREADS 8

enum transform {
	T_NONE, T_DAY, T_WEEK, T_MONTH, T_QUARTER, T_YEAR, T_BAND
};

static const char *const tnames[] = {
	"", "day", "week", "month", "quarter", "year", "band", NULL
};

/* Yield flags. */
#define Y_PASS 0x1
#define Y_CONSENT 0x2
#define Y_DATE 0x4

struct gcol {
	char *path;
	const struct enas_field *f;
	enum transform t;
	int iter;		/* its sequence, or -1 */
	const char *rest;	/* its path inside an item; NULL: the item */
};

struct scol {
	char *path;
	const struct enas_field *f;
	int iter;
	const char *rest;
};

/* A compiled question. */
struct cq {
	const struct enas_stats_query *q;
	struct enas_rules *rules;
	git_oid rules_tree;
	struct gcol *g;
	size_t ng;
	struct scol *s;
	size_t ns;
	char *iter[MAXITER];	/* the sequences iterated */
	size_t nit;
	const char *date;	/* the dating field, when needed */
	const char *consent;	/* "consent.reporting", when needed */
	struct enas_buf sig;
};

/* What a reader needs of its own: expressions hold match data. */
struct ex {
	struct enas_expr **w;
	size_t nw;
	struct enas_fastrec *fast;
	const struct enas_node **items[MAXITER];
	size_t nitems[MAXITER], cap[MAXITER];
	struct enas_buf out;
};

/* A blob to read. */
struct job {
	git_oid id;
	size_t name;		/* in run.names, for diagnostics */
	int status;
	unsigned worker;
	uint32_t off, len;
};

/* Interned strings, id 1 up; 0 is "absent". */
struct strtab {
	char **v;
	size_t *len;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
};

/* Cells keyed by klen u32s, each with vlen counters. */
struct cells {
	size_t klen, vlen;
	uint32_t *keys;
	long long *vals;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
};

/* One run. */
struct run {
	struct cq c;
	git_repository *git;
	struct enas_blobcache *cache;
	enas_diag_fn fn;
	void *ctx;
	struct ex x;
	struct job *jobs;
	size_t njobs, capjobs;
	uint32_t *pending;	/* job index + 1, by id */
	size_t npending;
	struct strtab *tabs;	/* one per group */
	uint32_t *key;
	long long *sums;
	long long left_out;
	long long records;	/* records counted */
	size_t read, cached;
	char prefix[256];	/* of names in diagnostics */
	struct enas_buf names;	/* of the jobs' files, NUL-separated */
};

/* --- small helpers --- */

static uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h ^ h >> 29;
}

static int
put_byte(struct enas_buf *b, unsigned char c)
{
	return enas_buf_add(b, &c, 1);
}

static int
put_varint(struct enas_buf *b, unsigned long long v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	return enas_buf_add(b, tmp, n);
}

static unsigned long long
zig(long long v)
{
	return v < 0 ? ((unsigned long long)(-(v + 1)) << 1) | 1 :
	    (unsigned long long)v << 1;
}

static long long
unzig(unsigned long long v)
{
	return v & 1 ? -(long long)(v >> 1) - 1 : (long long)(v >> 1);
}

/* A reader over yield bytes; bad is set on running off the end. */
struct rd {
	const unsigned char *p, *end;
	int bad;
};

static unsigned long long
get_varint(struct rd *r)
{
	unsigned long long v = 0;
	int shift = 0;

	while (r->p < r->end && shift < 64) {
		v |= (unsigned long long)(*r->p & 0x7f) << shift;
		if (!(*r->p++ & 0x80))
			return v;
		shift += 7;
	}
	r->bad = 1;
	return 0;
}

/* --- interned strings --- */

static void
strtab_free(struct strtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->len);
	free(t->slots);
}

static int
strtab_grow(struct strtab *t)
{
	uint32_t *s;
	size_t i, j, n = t->nslots ? t->nslots * 2 : 64;

	if (!(s = enas_calloc(n, sizeof(*s))))
		return ENAS_ENOMEM;
	for (i = 0; i < t->n; i++) {
		for (j = hash_bytes(t->v[i], t->len[i]) & (n - 1); s[j];
		    j = (j + 1) & (n - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

/* The id of the n bytes at p, added when new; 0 on ENOMEM. */
static uint32_t
intern(struct strtab *t, const char *p, size_t n)
{
	size_t j, cap;
	uint32_t id;
	void *nv;

	if ((t->n + 1) * 2 > t->nslots && strtab_grow(t) < 0)
		return 0;
	for (j = hash_bytes(p, n) & (t->nslots - 1); (id = t->slots[j]);
	    j = (j + 1) & (t->nslots - 1))
		if (t->len[id - 1] == n && memcmp(t->v[id - 1], p, n) == 0)
			return id;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if (!(nv = enas_realloc(t->v, cap * sizeof(*t->v))))
			return 0;
		t->v = nv;
		if (!(nv = enas_realloc(t->len, cap * sizeof(*t->len))))
			return 0;
		t->len = nv;
		t->cap = cap;
	}
	if (!(t->v[t->n] = enas_strndup(p, n)))
		return 0;
	t->len[t->n] = n;
	t->slots[j] = (uint32_t)++t->n;
	return (uint32_t)t->n;
}

/* --- cells --- */

static void
cells_free(struct cells *t)
{
	free(t->keys);
	free(t->vals);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static int
cells_init(struct cells *t, size_t klen, size_t vlen)
{
	memset(t, 0, sizeof(*t));
	t->klen = klen;
	t->vlen = vlen;
	return 0;
}

static int
cells_grow(struct cells *t)
{
	uint32_t *s;
	size_t i, j, n = t->nslots ? t->nslots * 2 : 256;

	if (!(s = enas_calloc(n, sizeof(*s))))
		return ENAS_ENOMEM;
	for (i = 0; i < t->n; i++) {
		for (j = hash_bytes(t->keys + i * t->klen, t->klen * 4) &
		    (n - 1); s[j]; j = (j + 1) & (n - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

/* The counters of key, or NULL when absent and !add (or on ENOMEM). */
static long long *
cells_get(struct cells *t, const uint32_t *key, int add)
{
	size_t j, cap, kb = t->klen * 4;
	uint32_t id;
	void *nv;

	if (!add && !t->nslots)
		return NULL;
	if (add && (t->n + 1) * 2 > t->nslots && cells_grow(t) < 0)
		return NULL;
	for (j = hash_bytes(key, kb) & (t->nslots - 1); (id = t->slots[j]);
	    j = (j + 1) & (t->nslots - 1))
		if (memcmp(t->keys + (id - 1) * t->klen, key, kb) == 0)
			return t->vals + (id - 1) * t->vlen;
	if (!add)
		return NULL;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 256;
		if (!(nv = enas_realloc(t->keys, cap * kb)))
			return NULL;
		t->keys = nv;
		if (!(nv = enas_realloc(t->vals, cap * t->vlen *
		    sizeof(*t->vals))))
			return NULL;
		t->vals = nv;
		t->cap = cap;
	}
	memcpy(t->keys + t->n * t->klen, key, kb);
	memset(t->vals + t->n * t->vlen, 0, t->vlen * sizeof(*t->vals));
	t->slots[j] = (uint32_t)++t->n;
	return t->vals + (t->n - 1) * t->vlen;
}

/* --- compiling a question --- */

static void
cq_free(struct cq *c)
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
			rc = enas_error_set(ENAS_EGIT, "no %s in the commit: "
			    "this is not a records repository", ENAS_RULES_DIR);
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
	if (!s->c.rules)
		rc = enas_error_set(ENAS_EUSAGE, "no kind '%s' in %s%s "
		    "(kinds: %s)%s", q->kind, s->prefix, ENAS_RULES_DIR,
		    kinds.len ? kinds.data : "none", broken ?
		    "; some rules files are broken: run enas-check" : "");
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
			return enas_error_set(ENAS_EUSAGE, "'%s' is not a "
			    "field path", path);
		if (*rest && strstr(*rest, "[]"))
			return enas_error_set(ENAS_EUSAGE, "'%s': sequences "
			    "inside sequences are not counted", path);
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
		return enas_error_set(ENAS_EUSAGE, "at most %d lists can be "
		    "counted at once", MAXITER);
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

	if (!(g->path = colon ? enas_strndup(spec, (size_t)(colon - spec)) :
	    enas_strdup(spec)))
		return ENAS_ENOMEM;
	g->t = T_NONE;
	if (colon) {
		for (i = 1; tnames[i]; i++)
			if (strcmp(colon + 1, tnames[i]) == 0)
				g->t = (enum transform)i;
		if (g->t == T_NONE)
			return enas_error_set(ENAS_EUSAGE, "-g %s: no "
			    "transform '%s' (year, quarter, month, week, "
			    "day for dates; band for ints with bands)", spec,
			    colon + 1);
	}
	if (!(f = g->f = enas_rules_field(c->rules, g->path)))
		return enas_error_set(ENAS_EUSAGE, "-g %s: '%s' is not a "
		    "field of %s (%s)", spec, g->path, c->rules->kind,
		    c->rules->file);
	if (f->type == ENAS_MAPPING || f->type == ENAS_ITEMS)
		return enas_error_set(ENAS_EUSAGE, "-g %s: '%s' holds other "
		    "fields; group by one of them", spec, g->path);
	if (g->t == T_BAND && (f->type != ENAS_INT || !f->nbands))
		return enas_error_set(ENAS_EUSAGE, "-g %s: '%s' has no bands "
		    "in %s", spec, g->path, c->rules->file);
	if (g->t != T_NONE && g->t != T_BAND && f->type != ENAS_DATE)
		return enas_error_set(ENAS_EUSAGE, "-g %s: '%s' is not a "
		    "date", spec, g->path);
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
		return enas_error_set(ENAS_EUSAGE, "-s %s: not a field of %s "
		    "(%s)", spec, c->rules->kind, c->rules->file);
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
		return enas_error_set(ENAS_EUSAGE, "-s %s: not a whole number "
		    "field, nor a mapping of them", spec);
	return iteration(c, s->path, f, &s->iter, &s->rest, 0);
}

static int
sig_add(struct cq *c, const char *tag, const char *v)
{
	return enas_buf_printf(&c->sig, "%s %s\n", tag, v);
}

static int
compile(struct run *s, const git_oid *commit)
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
	dated = !q->history && (q->interval || q->begin >= 0 || q->end >= 0);
	if (dated && !(c->date = c->rules->date))
		return enas_error_set(ENAS_EUSAGE, "%s records have no date "
		    "field (date: in %s), so they cannot be put in periods",
		    c->rules->kind, c->rules->file);
	if (q->consent && (f = enas_rules_field(c->rules,
	    "consent.reporting")) && f->type == ENAS_BOOL)
		c->consent = f->path;
	git_oid_tostr(hex, sizeof(hex), &c->rules_tree);
	if ((rc = sig_add(c, "enas-stats-yield", "1")) < 0 ||
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
static int
ex_init(struct ex *x, const struct cq *c)
{
	const struct enas_stats_query *q = c->q;
	const char *field;
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
		if ((rc = enas_expr_parse(&x->w[i], q->where[i])) < 0)
			return rc == ENAS_ENOMEM ? rc : enas_error_set(
			    ENAS_EUSAGE, "-w %s: %s", q->where[i],
			    enas_error_last());
		field = enas_expr_field(x->w[i]);
		if (!enas_rules_field(c->rules, field))
			return enas_error_set(ENAS_EUSAGE, "-w %s: '%s' is not "
			    "a field of %s (%s)", q->where[i], field,
			    c->rules->kind, c->rules->file);
	}
	return 0;
}

static void
ex_free(struct ex *x)
{
	size_t i;

	for (i = 0; i < x->nw; i++)
		enas_expr_free(x->w[i]);
	free(x->w);
	for (i = 0; i < MAXITER; i++)
		free(x->items[i]);
	enas_buf_free(&x->out);
	enas_fastrec_free(x->fast);
}

/* --- what a record yields --- */

struct sumctx {
	long long sum;
	const struct enas_node *bad;
};

static int
add_scalar(struct sumctx *sc, const struct enas_node *n)
{
	long long v;

	if (n->type != ENAS_SCALAR) {
		sc->bad = n;
		return 1;
	}
	if (n->len == 0)
		return 0;
	if (enas_int_parse(&v, n->value, n->len) < 0) {
		sc->bad = n;
		return 1;
	}
	sc->sum += v;
	return 0;
}

static int
sum_node(void *ctx, const struct enas_node *n)
{
	struct sumctx *sc = ctx;
	const struct enas_node *m;

	if (n->type != ENAS_MAP)
		return add_scalar(sc, n);
	for (m = n->child; m; m = m->next)
		if (add_scalar(sc, m))
			return 1;
	return 0;
}

static int
bad_value(struct run *s, const char *file, const struct enas_node *n,
    const char *field, const char *what)
{
	if (n->type == ENAS_SCALAR)
		enas_diag_report(s->fn, s->ctx, file, n->line, n->col,
		    ENAS_ERROR, field, "run enas-check", "'%.*s' is not %s",
		    (int)(n->len > 64 ? 64 : n->len), n->value, what);
	else
		enas_diag_report(s->fn, s->ctx, file, n->line, n->col,
		    ENAS_ERROR, field, "run enas-check", "is not %s", what);
	return enas_error_set(ENAS_EDATA, "%s: %s: not %s", file, field, what);
}

/* A group value into x->out: absent, or its bytes after the transform. */
static int
put_value(struct run *s, struct ex *x, const char *file,
    const struct gcol *g, const struct enas_node *n)
{
	char buf[ENAS_PERIOD_NAME];
	long long v;
	size_t i;
	int rc;

	if (!n || (n->type == ENAS_SCALAR && n->len == 0))
		return put_varint(&x->out, 0);
	if (n->type != ENAS_SCALAR)
		return bad_value(s, file, n, g->path, "a single value");
	if (g->t == T_NONE) {
		if ((rc = put_varint(&x->out, n->len + 1)) < 0)
			return rc;
		return enas_buf_add(&x->out, n->value, n->len);
	}
	if (g->t == T_BAND) {
		if (enas_int_parse(&v, n->value, n->len) < 0)
			return bad_value(s, file, n, g->path,
			    "a whole number");
		for (i = 0; i < g->f->nbands; i++)
			if (v >= g->f->bands[i].lo && v <= g->f->bands[i].hi)
				break;
		if (i == g->f->nbands)
			return put_varint(&x->out, 0);
		if ((rc = put_varint(&x->out, strlen(g->f->bands[i].name) +
		    1)) < 0)
			return rc;
		return enas_buf_puts(&x->out, g->f->bands[i].name);
	}
	if ((v = enas_date_parse(n->value, n->len)) < 0)
		return bad_value(s, file, n, g->path, "a date");
	enas_period_name(buf, (enum enas_interval)g->t, v);
	if ((rc = put_varint(&x->out, strlen(buf) + 1)) < 0)
		return rc;
	return enas_buf_puts(&x->out, buf);
}

/*
 * The yield of a parsed record, into x->out:
 *	flags (Y_PASS, Y_CONSENT, Y_DATE); when Y_PASS:
 *	[zigzag date when Y_DATE] nunits, and per unit per group
 *	(varint length + 1, or 0 for absent, then the bytes) and per sum
 *	a zigzag varint.
 */
static int
extract(struct run *s, struct ex *x, const struct enas_node *root,
    const char *file)
{
	const struct cq *c = &s->c;
	const struct enas_node *n, *item;
	size_t idx[MAXITER], i, j, units = 1;
	struct sumctx sc;
	long long date = 0;
	unsigned flags = Y_PASS;
	int rc;

	x->out.len = 0;
	for (i = 0; i < x->nw; i++) {
		if ((rc = enas_expr_eval(x->w[i], root)) < 0)
			return enas_error_set(rc, "%s: -w %s: %s", file,
			    c->q->where[i], enas_error_last());
		if (!rc)
			return put_byte(&x->out, 0);
	}
	if (c->consent && (n = enas_node_path(root, c->consent)) &&
	    n->type == ENAS_SCALAR && n->len == 4 &&
	    memcmp(n->value, "true", 4) == 0)
		flags |= Y_CONSENT;
	if (c->date) {
		n = enas_node_path(root, c->date);
		if (!n || enas_node_empty(n)) {
			enas_diag_report(s->fn, s->ctx, file, 1, 1, ENAS_ERROR,
			    c->date, "run enas-check", "required field is "
			    "missing");
			return enas_error_set(ENAS_EDATA, "%s: %s: missing",
			    file, c->date);
		}
		if (n->type != ENAS_SCALAR ||
		    (date = enas_date_parse(n->value, n->len)) < 0)
			return bad_value(s, file, n, c->date, "a date");
		flags |= Y_DATE;
	}
	if ((rc = put_byte(&x->out, (unsigned char)flags)) < 0 ||
	    (c->date && (rc = put_varint(&x->out, zig(date))) < 0))
		return rc;
	for (i = 0; i < c->nit; i++) {
		x->nitems[i] = 0;
		n = enas_node_path(root, c->iter[i]);
		if (!n || enas_node_empty(n))
			continue;
		if (n->type != ENAS_SEQ)
			return bad_value(s, file, n, c->iter[i], "a list");
		if (x->cap[i] < n->nchild) {
			/* An array of pointers: a false positive. */
			/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
			size_t sz = sizeof(*x->items[i]);
			void *p = enas_realloc(x->items[i], n->nchild * sz);

			if (!p)
				return ENAS_ENOMEM;
			x->items[i] = p;
			x->cap[i] = n->nchild;
		}
		for (item = n->child; item; item = item->next)
			x->items[i][x->nitems[i]++] = item;
	}
	for (i = 0; i < c->nit; i++)
		units *= x->nitems[i];
	if ((rc = put_varint(&x->out, units)) < 0)
		return rc;
	memset(idx, 0, sizeof(idx));
	for (j = 0; j < units; j++) {
		for (i = 0; i < c->ng; i++) {
			const struct gcol *g = &c->g[i];

			if (g->iter < 0)
				n = enas_node_path(root, g->path);
			else {
				item = x->items[g->iter][idx[g->iter]];
				n = g->rest ? enas_node_path(item, g->rest) :
				    item;
			}
			if ((rc = put_value(s, x, file, g, n)) < 0)
				return rc;
		}
		for (i = 0; i < c->ns; i++) {
			const struct scol *sf = &c->s[i];

			sc.sum = 0;
			sc.bad = NULL;
			if (sf->iter >= 0) {
				item = x->items[sf->iter][idx[sf->iter]];
				if (sf->rest)
					enas_node_each(item, sf->rest,
					    sum_node, &sc);
				else
					sum_node(&sc, item);
			} else
				enas_node_each(root, sf->path, sum_node, &sc);
			if (sc.bad)
				return bad_value(s, file, sc.bad, sf->path,
				    "a whole number");
			if ((rc = put_varint(&x->out, zig(sc.sum))) < 0)
				return rc;
		}
		/* The next unit: an odometer over the sequences. */
		for (i = c->nit; i-- > 0;) {
			if (++idx[i] < x->nitems[i])
				break;
			idx[i] = 0;
		}
	}
	return 0;
}

/*
 * Parse a record's bytes and extract its yield into x->out: with the
 * fast reader when the record is plain (and full is 0), else with the
 * full parser, which reports every problem through s->fn.  An error of
 * extraction found on the fast path is found again on the full one,
 * with its diagnostics, by the caller's redo().
 */
static int
yield(struct run *s, struct ex *x, const char *buf, size_t len,
    const char *file, int full)
{
	const struct enas_node *root;
	struct enas_record *rec;
	int rc = 0;

	if (!full && (root = enas_fastrec_parse(x->fast, buf, len, &rc)))
		return extract(s, x, root, file);
	if (rc < 0)
		return rc;

	if ((rc = enas_record_parse(&rec, buf, len, file, 0, s->fn,
	    s->ctx)) < 0)
		return rc == ENAS_EDATA ? enas_error_set(rc, "%s: not a valid "
		    "record; run enas-check", file) : rc;
	rc = extract(s, x, rec->root, file);
	enas_record_free(rec);
	return rc;
}

/* --- reading blobs, on one thread or several --- */

struct pool {
	struct run *s;
	const char *gitdir;
	atomic_size_t next;	/* the next block of jobs */
	size_t block;
};

/*
 * Readers take blocks of consecutive jobs in turn, in the order the
 * jobs were listed: a tree's, or a history's from old to new, which
 * suits how git packs objects.  Both find the bases of their deltas in
 * libgit2's cache, which they share (halves of the jobs cost a quarter
 * more: the second half starts with every chain to rebuild; jobs sorted
 * by id cost five times as much).
 */
struct worker {
	struct pool *p;
	unsigned index;
	int own;		/* git is its own */
	size_t lo, hi;		/* its jobs */
	pthread_t th;
	git_repository *git;	/* its own, or the run's */
	struct ex x;
	struct enas_buf data;
	int rc;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct run quiet, *s = w->p->s;
	struct job *j;
	git_odb *odb = NULL;
	git_odb_object *obj;
	size_t i;
	int rc;

	/* The same run, but silent: diagnostics come from a re-run. */
	quiet = *s;
	quiet.fn = NULL;
	if (git_repository_odb(&odb, w->git) < 0) {
		w->rc = enas_repo_error("cannot open the object database");
		return NULL;
	}
	for (i = w->hi; ; i++) {
		if (i >= w->hi) {
			w->lo = atomic_fetch_add(&w->p->next, 1) * w->p->block;
			if (w->lo >= s->njobs)
				break;
			w->hi = w->lo + w->p->block < s->njobs ?
			    w->lo + w->p->block : s->njobs;
			i = w->lo;
		}
		j = &s->jobs[i];
		if (git_odb_read(&obj, odb, &j->id) < 0) {
			j->status = ENAS_EGIT;
			continue;
		}
		if (git_odb_object_type(obj) != GIT_OBJECT_BLOB)
			rc = ENAS_EGIT;
		else
			rc = yield(&quiet, &w->x, git_odb_object_data(obj),
			    git_odb_object_size(obj), s->names.data + j->name,
			    0);
		git_odb_object_free(obj);
		if (rc == 0 && w->data.len + w->x.out.len > UINT32_MAX)
			rc = enas_error_nomem();
		if (rc == 0)
			rc = enas_buf_add(&w->data, w->x.out.data,
			    w->x.out.len);
		if (rc < 0) {
			j->status = rc;
			continue;
		}
		j->worker = w->index;
		j->off = (uint32_t)(w->data.len - w->x.out.len);
		j->len = (uint32_t)w->x.out.len;
	}
	git_odb_free(odb);
	return NULL;
}

/* Report a job that failed, by doing it again on this thread. */
static int
redo(struct run *s, struct job *j)
{
	git_blob *blob;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	git_oid_tostr(hex, sizeof(hex), &j->id);
	if (git_blob_lookup(&blob, s->git, &j->id) < 0) {
		const git_error *e = git_error_last();

		return enas_error_set(ENAS_EGIT, "%s: cannot read blob %s: %s",
		    s->names.data + j->name, hex, e && e->message ?
		    e->message : "not a blob");
	}
	rc = yield(s, &s->x, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob), s->names.data + j->name, 1);
	git_blob_free(blob);
	if (rc == 0)
		rc = enas_error_set(ENAS_EGIT, "%s: blob %s read differently "
		    "twice", s->names.data + j->name, hex);
	return rc;
}

/*
 * Readers: as asked, else one per idle processor by the load average
 * (on a busy machine a second reader only adds work), and one for a few
 * blobs.
 */
static int
nthreads(const struct run *s)
{
	long n = s->c.q->threads;
	double load;

	if (n <= 0) {
		if (s->njobs < 512)
			return 1;
		n = sysconf(_SC_NPROCESSORS_ONLN);
		/* Less one for this process, which the load counts. */
		if (getloadavg(&load, 1) == 1 && load > 1)
			n -= (long)(load - 1 + 0.5);
	}
	if (n < 1)
		n = 1;
	if (n > MAXTHREADS)
		n = MAXTHREADS;
	return (int)n;
}

/* Read every job's blob and put its yield in the cache. */
static int
read_jobs(struct run *s)
{
	struct worker w[MAXTHREADS];
	struct pool p;
	size_t i;
	int n, k, rc = 0, started = 0;

	if (!s->njobs)
		return 0;
	/*
	 * Like git cat-file, trust zlib's checksums and the deltas' sizes
	 * to find damage, and do not hash every blob again: a sixth of the
	 * time of a cold run.  The default comes back below.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	n = nthreads(s);
	memset(w, 0, sizeof(w));
	p.s = s;
	atomic_init(&p.next, 0);
	p.block = 256;
	p.gitdir = git_repository_path(s->git);
	for (k = 0; k < n; k++) {
		w[k].p = &p;
		w[k].index = (unsigned)k;
		w[k].lo = w[k].hi = 0;
		if ((rc = ex_init(&w[k].x, &s->c)) < 0)
			goto out;
		if (n == 1) {
			w[k].git = s->git;
			continue;
		}
		if (git_repository_open_ext(&w[k].git, p.gitdir,
		    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
			rc = enas_repo_error("cannot open the repository");
			goto out;
		}
		w[k].own = 1;
	}
	if (n == 1)
		work(&w[0]);
	else {
		for (k = 0; k < n; k++) {
			if (pthread_create(&w[k].th, NULL, work, &w[k]) != 0) {
				rc = enas_error_set(ENAS_EIO, "cannot start a "
				    "thread");
				break;
			}
			started++;
		}
		for (k = 0; k < started; k++)
			pthread_join(w[k].th, NULL);
		if (rc < 0)
			goto out;
	}
	for (k = 0; k < n; k++)
		if (w[k].rc < 0) {
			rc = w[k].rc;
			goto out;
		}
	for (i = 0; i < s->njobs; i++) {
		struct job *j = &s->jobs[i];

		if (j->status == ENAS_ENOMEM) {
			rc = enas_error_nomem();
			goto out;
		}
		if (j->status < 0) {
			rc = redo(s, j);
			goto out;
		}
		if ((rc = enas_blobcache_put(s->cache, &j->id,
		    w[j->worker].data.data + j->off, j->len)) < 0)
			goto out;
	}
	s->read += s->njobs;
out:
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	for (k = 0; k < n; k++) {
		ex_free(&w[k].x);
		enas_buf_free(&w[k].data);
		if (w[k].own)
			git_repository_free(w[k].git);
	}
	s->njobs = 0;
	s->names.len = 0;
	free(s->pending);
	s->pending = NULL;
	s->npending = 0;
	return rc;
}

/* Queue blob id (at path) for reading unless known or queued. */
static int
need(struct run *s, const git_oid *id, const char *path)
{
	struct job *nj;
	size_t len, j, i, n;
	uint32_t *np;

	if (enas_blobcache_get(s->cache, id, &len)) {
		s->cached++;
		return 0;
	}
	if ((s->njobs + 1) * 2 > s->npending) {
		n = s->npending ? s->npending * 2 : 1024;
		if (!(np = enas_calloc(n, sizeof(*np))))
			return ENAS_ENOMEM;
		for (i = 0; i < s->njobs; i++) {
			for (j = hash_bytes(s->jobs[i].id.id, 8) & (n - 1);
			    np[j]; j = (j + 1) & (n - 1))
				;
			np[j] = (uint32_t)i + 1;
		}
		free(s->pending);
		s->pending = np;
		s->npending = n;
	}
	for (j = hash_bytes(id->id, 8) & (s->npending - 1); s->pending[j];
	    j = (j + 1) & (s->npending - 1))
		if (git_oid_equal(&s->jobs[s->pending[j] - 1].id, id))
			return 0;
	if (s->njobs == s->capjobs) {
		n = s->capjobs ? s->capjobs * 2 : 1024;
		if (!(nj = enas_realloc(s->jobs, n * sizeof(*nj))))
			return ENAS_ENOMEM;
		s->jobs = nj;
		s->capjobs = n;
	}
	memset(&s->jobs[s->njobs], 0, sizeof(*s->jobs));
	git_oid_cpy(&s->jobs[s->njobs].id, id);
	s->jobs[s->njobs].name = s->names.len;
	if (enas_buf_puts(&s->names, s->prefix) < 0 ||
	    enas_buf_add(&s->names, path, strlen(path) + 1) < 0)
		return ENAS_ENOMEM;
	s->pending[j] = (uint32_t)++s->njobs;
	return 0;
}

/* --- adding up --- */

/*
 * Add (sign 1) or take away (sign -1) the yield of blob id into t,
 * keyed by the period of its date when flow is set, else by period.
 */
static int
apply_yield(struct run *s, struct cells *t, const unsigned char *p,
    size_t len, int sign, int flow, uint32_t period)
{
	const struct enas_stats_query *q = s->c.q;
	struct rd r;
	size_t i, u, units, n;
	unsigned long long v;
	long long date = 0, *cell;
	unsigned flags;

	r.p = p;
	r.end = p + len;
	r.bad = 0;
	if (len < 1)
		goto bad;
	flags = *r.p++;
	if (!(flags & Y_PASS))
		return 0;
	if (flags & Y_DATE)
		date = unzig(get_varint(&r));
	if (s->c.consent && !(flags & Y_CONSENT)) {
		s->left_out += sign;
		return 0;
	}
	if (flow && s->c.date) {
		if (!(flags & Y_DATE) || (q->begin >= 0 && date < q->begin) ||
		    (q->end >= 0 && date >= q->end))
			return 0;
		if (q->interval)
			period = (uint32_t)(enas_period_start(q->interval,
			    date) + BIAS);
	}
	s->records += sign;
	s->key[0] = period;
	units = (size_t)get_varint(&r);
	if (r.bad || units > len)
		goto bad;
	for (u = 0; u < units; u++) {
		for (i = 0; i < s->c.ng; i++) {
			v = get_varint(&r);
			if (r.bad || v > (unsigned long long)(r.end - r.p) + 1)
				goto bad;
			n = (size_t)v;
			if (n == 0)
				s->key[1 + i] = 0;
			else if (!(s->key[1 + i] = intern(&s->tabs[i],
			    (const char *)r.p, n - 1)))
				return ENAS_ENOMEM;
			if (n)
				r.p += n - 1;
		}
		for (i = 0; i < s->c.ns; i++)
			s->sums[i] = unzig(get_varint(&r));
		if (r.bad)
			goto bad;
		if (!(cell = cells_get(t, s->key, 1)))
			return ENAS_ENOMEM;
		cell[0] += sign;
		for (i = 0; i < s->c.ns; i++)
			cell[1 + i] += sign * s->sums[i];
	}
	return 0;
bad:
	return enas_error_set(ENAS_EIO, "a damaged entry in the statistics "
	    "cache; remove .git/enas/stats-cache");
}

/* apply_yield() of what blob id yields. */
static int
apply(struct run *s, struct cells *t, const git_oid *id, int sign, int flow,
    uint32_t period)
{
	const unsigned char *p;
	char hex[GIT_OID_HEXSZ + 1];
	size_t len;

	if (!(p = enas_blobcache_get(s->cache, id, &len))) {
		git_oid_tostr(hex, sizeof(hex), id);
		return enas_error_set(ENAS_EGIT, "blob %s was not read", hex);
	}
	return apply_yield(s, t, p, len, sign, flow, period);
}

/* --- one snapshot --- */

/*
 * A directory of the kind (a year), whose records yield, in the cache
 * under the tree's id, the concatenation of their yields (each after
 * its length): a second run reads neither the directory nor a record
 * of it when the directory has not changed.
 */
struct dir {
	git_oid id;
	size_t lo, hi;		/* its blobs in the listing, unless cached */
	int cached;
};

struct listing {
	struct run *s;
	git_oid *ids;
	size_t n, cap;
	struct dir *dirs;
	size_t ndirs, capdirs;
	const char *dir;	/* the directory being listed, or NULL */
};

static int
not_a_file(struct run *s, const char *path, unsigned mode)
{
	return enas_error_set(ENAS_EDATA, "%s%s: %s; records are regular "
	    "files (run enas-check)", s->prefix, path,
	    mode == GIT_FILEMODE_LINK ? "is a symbolic link" :
	    mode == GIT_FILEMODE_COMMIT ? "is a submodule" :
	    "is not a regular file");
}

/* Whether dir/path (below the kind's directory) is a record's place. */
static int
in_layout(const struct run *s, const char *dir, const char *path)
{
	char rel[1024];

	if (dir && (size_t)snprintf(rel, sizeof(rel), "%s/%s", dir, path) >=
	    sizeof(rel))
		return 0;
	return enas_layout_kind_path(s->c.rules, dir ? rel : path);
}

static int
list_cb(void *ctx, const char *path, const git_oid *old, const git_oid *new,
    unsigned mode)
{
	struct listing *l = ctx;
	git_oid *nv;
	size_t cap;

	(void)old;
	/* Only what enas-check accepts is counted (lib/layout). */
	if (!in_layout(l->s, l->dir, path))
		return 0;
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return not_a_file(l->s, path, mode);
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 1024;
		if (!(nv = enas_realloc(l->ids, cap * sizeof(*nv))))
			return ENAS_ENOMEM;
		l->ids = nv;
		l->cap = cap;
	}
	git_oid_cpy(&l->ids[l->n++], new);
	return need(l->s, new, path);
}

/* The records/<dir> tree of a commit; 0 when there is none. */
static int
kind_tree(struct run *s, git_oid *out, const git_oid *commit)
{
	struct enas_buf path = ENAS_BUF_INIT;
	int rc;

	if ((rc = enas_buf_printf(&path, ENAS_RECORDS_DIR "/%s",
	    s->c.rules->dir)) < 0)
		return rc;
	rc = enas_tree_at(out, s->git, commit, path.data);
	enas_buf_free(&path);
	return rc;
}

/*
 * What names the files of a commit in diagnostics: "records/DIR/", or
 * "3f2a9c1:records/DIR/" for a commit that is not HEAD; dir NULL for
 * the commit alone ("" or "3f2a9c1:").
 */
static void
set_prefix(struct run *s, const git_oid *commit, const char *dir)
{
	git_oid head;
	size_t n = 0;

	s->prefix[0] = '\0';
	if (git_reference_name_to_id(&head, s->git, "HEAD") < 0 ||
	    !git_oid_equal(&head, commit)) {
		git_oid_tostr(s->prefix, 8, commit);
		n = strlen(s->prefix);
		s->prefix[n++] = ':';
		s->prefix[n] = '\0';
	}
	if (dir)
		snprintf(s->prefix + n, sizeof(s->prefix) - n, "%s/%s/",
		    ENAS_RECORDS_DIR, dir);
}

/* Read a directory's entry from the cache, or list its records. */
static int
list_dir(struct listing *l, const git_tree_entry *e)
{
	struct run *s = l->s;
	struct dir *d;
	size_t len = strlen(s->prefix), cap;
	int rc;

	if (l->ndirs == l->capdirs) {
		cap = l->capdirs ? l->capdirs * 2 : 16;
		if (!(d = enas_realloc(l->dirs, cap * sizeof(*d))))
			return ENAS_ENOMEM;
		l->dirs = d;
		l->capdirs = cap;
	}
	d = &l->dirs[l->ndirs++];
	git_oid_cpy(&d->id, git_tree_entry_id(e));
	d->lo = d->hi = l->n;
	if ((d->cached = enas_blobcache_get(s->cache, &d->id, &cap) != NULL))
		return 0;
	if (len + strlen(git_tree_entry_name(e)) + 2 > sizeof(s->prefix))
		return enas_error_set(ENAS_EDATA, "%s%s: a path too long",
		    s->prefix, git_tree_entry_name(e));
	snprintf(s->prefix + len, sizeof(s->prefix) - len, "%s/",
	    git_tree_entry_name(e));
	l->dir = git_tree_entry_name(e);
	rc = enas_tree_each(s->git, &d->id, list_cb, l);
	l->dir = NULL;
	s->prefix[len] = '\0';
	l->dirs[l->ndirs - 1].hi = l->n;
	return rc;
}

/* Put what a directory yields, from its records', in the cache. */
static int
cache_dir(struct run *s, const struct listing *l, const struct dir *d)
{
	struct enas_buf b = ENAS_BUF_INIT;
	const unsigned char *p;
	size_t i, len;
	int rc = 0;

	for (i = d->lo; i < d->hi && rc == 0; i++) {
		if (!(p = enas_blobcache_get(s->cache, &l->ids[i], &len)))
			rc = enas_error_set(ENAS_EGIT, "a blob was not read");
		else if ((rc = put_varint(&b, len)) == 0)
			rc = enas_buf_add(&b, p, len);
	}
	if (rc == 0)
		rc = enas_blobcache_put(s->cache, &d->id, b.data ? b.data : "",
		    b.len);
	enas_buf_free(&b);
	return rc;
}

static int
apply_dir(struct run *s, struct cells *t, const struct dir *d)
{
	struct rd r;
	size_t len;
	unsigned long long n;
	int rc;

	if (!(r.p = enas_blobcache_get(s->cache, &d->id, &len)))
		return enas_error_set(ENAS_EGIT, "a directory was not read");
	r.end = r.p + len;
	r.bad = 0;
	while (r.p < r.end) {
		n = get_varint(&r);
		if (r.bad || n > (unsigned long long)(r.end - r.p))
			return enas_error_set(ENAS_EIO, "a damaged entry in "
			    "the statistics cache; remove .git/enas/stats-cache");
		if ((rc = apply_yield(s, t, r.p, (size_t)n, 1, 1, 0)) < 0)
			return rc;
		r.p += n;
		s->cached += d->cached;
	}
	return 0;
}

static int
snapshot(struct run *s, struct cells *t, const git_oid *commit)
{
	struct listing l;
	const git_tree_entry *e;
	git_tree *top = NULL;
	git_oid tree;
	size_t i, n, blobs;
	int rc;

	memset(&l, 0, sizeof(l));
	l.s = s;
	if ((rc = kind_tree(s, &tree, commit)) <= 0)
		return rc;
	set_prefix(s, commit, s->c.rules->dir);
	if (git_tree_lookup(&top, s->git, &tree) < 0)
		return enas_repo_error(s->prefix);
	n = git_tree_entrycount(top);
	rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		e = git_tree_entry_byindex(top, i);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = list_dir(&l, e);
		else
			rc = list_cb(&l, git_tree_entry_name(e), NULL,
			    git_tree_entry_id(e), git_tree_entry_filemode(e));
	}
	/* The records not in a directory. */
	blobs = l.n;
	for (i = 0; i < l.ndirs; i++)
		blobs -= l.dirs[i].hi - l.dirs[i].lo;
	if (rc < 0 || (rc = read_jobs(s)) < 0)
		goto out;
	for (i = 0; i < l.ndirs && rc == 0; i++)
		if (!l.dirs[i].cached)
			rc = cache_dir(s, &l, &l.dirs[i]);
	for (i = 0; i < l.ndirs && rc == 0; i++)
		rc = apply_dir(s, t, &l.dirs[i]);
	for (i = 0; i < l.n && rc == 0 && blobs; i++) {
		size_t k;
		int inside = 0;

		for (k = 0; k < l.ndirs && !inside; k++)
			inside = i >= l.dirs[k].lo && i < l.dirs[k].hi;
		if (!inside)
			rc = apply(s, t, &l.ids[i], 1, 1, 0);
	}
out:
	git_tree_free(top);
	free(l.ids);
	free(l.dirs);
	return rc;
}

/* --- history --- */

struct change {
	git_oid id;
	uint32_t period;
	int sign;
};

struct changes {
	struct run *s;
	struct change *v;
	size_t n, cap;
	uint32_t period;
};

static int
add_change(struct changes *c, const git_oid *id, int sign)
{
	struct change *nv;
	size_t cap;

	if (c->n == c->cap) {
		cap = c->cap ? c->cap * 2 : 1024;
		if (!(nv = enas_realloc(c->v, cap * sizeof(*nv))))
			return ENAS_ENOMEM;
		c->v = nv;
		c->cap = cap;
	}
	git_oid_cpy(&c->v[c->n].id, id);
	c->v[c->n].period = c->period;
	c->v[c->n].sign = sign;
	c->n++;
	return 0;
}

static int
diff_cb(void *ctx, const char *path, const git_oid *old, const git_oid *new,
    unsigned mode)
{
	struct changes *c = ctx;
	int rc;

	if (!in_layout(c->s, NULL, path))
		return 0;
	if (old && (rc = add_change(c, old, -1)) < 0)
		return rc;
	if (!new)
		return 0;
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return not_a_file(c->s, path, mode);
	if ((rc = add_change(c, new, 1)) < 0)
		return rc;
	return need(c->s, new, path);
}

/*
 * The periods of a history: the query's span, or from the first
 * commit's period to the tip's; complete ones only when asked.
 */
static int
history_periods(struct run *s, struct enas_stats *st,
    const struct enas_line *line, size_t nline)
{
	const struct enas_stats_query *q = s->c.q;
	long long b, e, p, lo = line[0].day, hi = line[0].day, *nv;
	size_t i, cap = 0;

	for (i = 1; i < nline; i++) {
		if (line[i].day < lo)
			lo = line[i].day;
		if (line[i].day > hi)
			hi = line[i].day;
	}
	b = enas_period_start(q->interval, q->begin >= 0 ? q->begin : lo);
	e = q->end >= 0 ? q->end : enas_period_next(q->interval,
	    enas_period_start(q->interval, hi));
	for (p = b; p < e; p = enas_period_next(q->interval, p)) {
		if (q->complete && enas_period_next(q->interval, p) > q->today)
			break;
		if (st->nperiods == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = enas_realloc(st->periods, cap *
			    sizeof(*nv))))
				return ENAS_ENOMEM;
			st->periods = nv;
		}
		st->periods[st->nperiods++] = p;
	}
	return 0;
}

/* The result table of a history: period index + 1 and groups. */
static int
history(struct run *s, struct enas_stats *st, struct cells *res,
    const git_oid *tip)
{
	const struct enas_stats_query *q = s->c.q;
	struct enas_line *line = NULL;
	struct changes ch = { s, NULL, 0, 0, 0 };
	struct cells cur;
	git_oid *trees = NULL, *prev = NULL;
	size_t nline, i, j, k;
	long long last, *v, *w;
	int rc, *has = NULL;

	cells_init(&cur, 1 + s->c.ng, 1 + s->c.ns);
	if ((rc = enas_tree_line(&line, &nline, s->git, tip)) < 0 ||
	    (rc = history_periods(s, st, line, nline)) < 0)
		goto out;
	if (st->nperiods && (!(trees = enas_calloc(st->nperiods,
	    sizeof(*trees))) || !(has = enas_calloc(st->nperiods,
	    sizeof(*has))))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	set_prefix(s, tip, s->c.rules->dir);
	for (i = 0; i < st->nperiods; i++) {
		last = enas_period_next(q->interval, st->periods[i]) - 1;
		for (j = 0; j < nline && line[j].day > last; j++)
			;
		if (j < nline && (rc = kind_tree(s, &trees[i],
		    &line[j].id)) < 0)
			goto out;
		has[i] = j < nline && rc == 1;
		if (j < nline)
			set_prefix(s, &line[j].id, s->c.rules->dir);
		ch.period = (uint32_t)i;
		if ((rc = enas_tree_diff(s->git, prev, has[i] ? &trees[i] :
		    NULL, diff_cb, &ch)) < 0)
			goto out;
		prev = has[i] ? &trees[i] : NULL;
	}
	if ((rc = read_jobs(s)) < 0)
		goto out;
	for (i = 0, k = 0; i < st->nperiods; i++) {
		for (; k < ch.n && ch.v[k].period == i; k++)
			if ((rc = apply(s, &cur, &ch.v[k].id, ch.v[k].sign, 0,
			    0)) < 0)
				goto out;
		for (j = 0; j < cur.n; j++) {
			v = cur.vals + j * cur.vlen;
			if (!v[0])
				continue;
			memcpy(s->key, cur.keys + j * cur.klen,
			    cur.klen * sizeof(*s->key));
			s->key[0] = (uint32_t)i + 1;
			if (!(w = cells_get(res, s->key, 1))) {
				rc = ENAS_ENOMEM;
				goto out;
			}
			memcpy(w, v, cur.vlen * sizeof(*v));
		}
	}
out:
	cells_free(&cur);
	free(line);
	free(ch.v);
	free(trees);
	free(has);
	return rc;
}

/* --- the result --- */

struct priv {
	struct strtab *tabs;
	size_t ntabs;
	uint32_t **ranks;	/* per group: id -> rank */
	uint32_t *keys;		/* per row: ngroups ids */
	long long *sums;	/* per row and total: nsums */
	const char **keyp;	/* per row: ngroups pointers */
	size_t nkeys;		/* rows per period */
};

/* Order of the values of group i, by id: qsort_r's argument. */
struct rank_ctx {
	const struct gcol *g;
	const struct strtab *t;
};

static int
band_index(const struct enas_field *f, const char *s)
{
	size_t i;

	for (i = 0; i < f->nbands; i++)
		if (strcmp(f->bands[i].name, s) == 0)
			return (int)i;
	return (int)f->nbands;
}

static int
cmp_value(const void *a, const void *b, void *arg)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct rank_ctx *rc = arg;
	const char *sx, *sy;
	long long ix, iy;
	int bx, by;

	if (!x || !y)
		return (x == 0) - (y == 0);
	sx = rc->t->v[x - 1];
	sy = rc->t->v[y - 1];
	if (rc->g->t == T_BAND) {
		bx = band_index(rc->g->f, sx);
		by = band_index(rc->g->f, sy);
		if (bx != by)
			return bx < by ? -1 : 1;
	} else if (rc->g->t == T_NONE && rc->g->f->type == ENAS_INT &&
	    enas_int_parse(&ix, sx, strlen(sx)) == 0 &&
	    enas_int_parse(&iy, sy, strlen(sy)) == 0 && ix != iy)
		return ix < iy ? -1 : 1;
	return strcmp(sx, sy);
}

static int
ranks(struct run *s, struct priv *pv)
{
	struct rank_ctx ctx;
	uint32_t *order;
	size_t i, j;

	if (s->c.ng && !(pv->ranks = enas_calloc(s->c.ng,
	    sizeof(*pv->ranks))))
		return ENAS_ENOMEM;
	for (i = 0; i < s->c.ng; i++) {
		if (!(order = enas_malloc((s->tabs[i].n + 1) *
		    sizeof(*order))) || !(pv->ranks[i] = enas_malloc(
		    (s->tabs[i].n + 1) * sizeof(*pv->ranks[i])))) {
			free(order);
			return ENAS_ENOMEM;
		}
		for (j = 0; j <= s->tabs[i].n; j++)
			order[j] = (uint32_t)j;
		ctx.g = &s->c.g[i];
		ctx.t = &s->tabs[i];
		qsort_r(order, s->tabs[i].n + 1, sizeof(*order), cmp_value,
		    &ctx);
		for (j = 0; j <= s->tabs[i].n; j++)
			pv->ranks[i][order[j]] = (uint32_t)j;
		free(order);
	}
	return 0;
}

static const struct priv *key_priv;
static size_t key_n;

static int
cmp_key(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	size_t i;

	for (i = 0; i < key_n; i++)
		if (key_priv->ranks[i][x[i]] != key_priv->ranks[i][y[i]])
			return key_priv->ranks[i][x[i]] <
			    key_priv->ranks[i][y[i]] ? -1 : 1;
	return 0;
}

/* Flow periods: the span, or the periods that have records. */
static int
flow_periods(struct run *s, struct enas_stats *st, struct cells *t)
{
	const struct enas_stats_query *q = s->c.q;
	long long b = -1, e = -1, p, *nv;
	size_t i, cap = 0;

	if (!q->interval)
		return 0;
	for (i = 0; i < t->n; i++) {
		p = (long long)t->keys[i * t->klen] - BIAS;
		if (!t->vals[i * t->vlen])
			continue;
		if (b < 0 || p < b)
			b = p;
		if (e < 0 || p >= e)
			e = enas_period_next(q->interval, p);
	}
	if (q->begin >= 0)
		b = enas_period_start(q->interval, q->begin);
	if (q->end >= 0)
		e = q->end;
	if (b < 0 || e < 0)
		return 0;
	for (p = b; p < e; p = enas_period_next(q->interval, p)) {
		if (q->complete && enas_period_next(q->interval, p) > q->today)
			break;
		if (st->nperiods == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = enas_realloc(st->periods, cap *
			    sizeof(*nv))))
				return ENAS_ENOMEM;
			st->periods = nv;
		}
		st->periods[st->nperiods++] = p;
	}
	return 0;
}

/* The key of a cell for period index i (history) or its day (flow). */
static uint32_t
period_key(const struct enas_stats *st, size_t i)
{
	if (st->history)
		return (uint32_t)i + 1;
	return st->nperiods ? (uint32_t)(st->periods[i] + BIAS) : 0;
}

/* Whether a cell's period key is one of the periods kept. */
static int
kept(const struct enas_stats *st, uint32_t pk)
{
	if (st->history)
		return pk >= 1 && pk <= st->nperiods;
	if (!st->interval)
		return 1;
	return st->nperiods && pk >= period_key(st, 0) &&
	    pk <= period_key(st, st->nperiods - 1);
}

static int
build_rows(struct run *s, struct enas_stats *st, struct cells *t)
{
	struct priv *pv = st->priv;
	size_t ng = s->c.ng, nkeys = 0, cap = 0, i, j, np, r;
	uint32_t *keys = NULL, *nk;
	long long *v;
	int rc = 0;

	if ((rc = ranks(s, pv)) < 0)
		return rc;
	/* The distinct group keys with records in a kept period. */
	if (ng == 0) {
		if (!(keys = enas_calloc(1, sizeof(*keys))))
			return ENAS_ENOMEM;
		nkeys = 1;
	}
	for (i = 0; ng && i < t->n; i++) {
		if (t->vals[i * t->vlen] == 0 || !kept(st, t->keys[i *
		    t->klen]))
			continue;
		if (nkeys == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nk = enas_realloc(keys, cap * ng *
			    sizeof(*keys)))) {
				free(keys);
				return ENAS_ENOMEM;
			}
			keys = nk;
		}
		memcpy(keys + nkeys * ng, t->keys + i * t->klen + 1,
		    ng * sizeof(*keys));
		nkeys++;
	}
	if (ng && nkeys > 0) {
		key_priv = pv;
		key_n = ng;
		qsort(keys, nkeys, ng * sizeof(*keys), cmp_key);
		for (i = 0, j = 0; i < nkeys; i++)
			if (j == 0 || memcmp(keys + (j - 1) * ng, keys + i * ng,
			    ng * sizeof(*keys)) != 0)
				memmove(keys + j++ * ng, keys + i * ng,
				    ng * sizeof(*keys));
		nkeys = j;
	}
	np = st->interval ? st->nperiods : 1;
	st->nrows = np * nkeys;
	pv->keys = keys;
	pv->nkeys = nkeys ? nkeys : 1;
	if (!(st->rows = enas_calloc(st->nrows ? st->nrows : 1,
	    sizeof(*st->rows))) || !(pv->keyp = enas_calloc(st->nrows *
	    ng + 1, sizeof(*pv->keyp))) || !(pv->sums = enas_calloc(
	    (4 * st->nrows + 2) * s->c.ns + 1,
	    sizeof(*pv->sums))))
		return ENAS_ENOMEM;
	for (i = 0, r = 0; i < np; i++)
		for (j = 0; j < nkeys; j++, r++) {
			struct enas_stats_row *row = &st->rows[r];
			size_t g;

			row->period = i;
			row->keys = pv->keyp + r * ng;
			for (g = 0; g < ng; g++) {
				uint32_t id = keys[j * ng + g];

				row->keys[g] = id ? s->tabs[g].v[id - 1] : NULL;
			}
			if (s->c.ns)
				row->cell.sums = pv->sums + r * s->c.ns;
			s->key[0] = period_key(st, i);
			memcpy(s->key + 1, keys + j * ng, ng * sizeof(*keys));
			if (!(v = cells_get(t, s->key, 0)))
				continue;
			row->cell.count = v[0];
			for (g = 0; g < s->c.ns; g++)
				row->cell.sums[g] = v[1 + g];
			st->matched += v[0];
		}
	return 0;
}

/* --- tables: suppression and totals --- */

/* The group ids of output row i. */
static const uint32_t *
row_ids(const struct enas_stats *st, size_t i)
{
	const struct priv *pv = st->priv;

	return pv->keys + (i % pv->nkeys) * st->ngroups;
}

static int
add_total(struct enas_stats *st, int col, size_t row, size_t after,
    size_t period, const long long *v, size_t nsums)
{
	struct priv *pv = st->priv;
	struct enas_stats_total *t = &st->totals[st->ntotals];
	size_t i;

	t->col = col;
	t->row = row;
	t->after = after;
	t->period = period;
	t->cell.count = v[0];
	if (nsums) {
		t->cell.sums = pv->sums + (st->nrows + st->ntotals) * nsums;
		for (i = 0; i < nsums; i++)
			t->cell.sums[i] = v[1 + i];
	}
	t->cell.mark = st->min_cell >= 2 && v[0] > 0 && v[0] < st->min_cell ?
	    ENAS_CELL_PRIMARY : ENAS_CELL_SHOWN;
	st->ntotals++;
	return 0;
}

/*
 * One table: rows [lo, hi) of the output, seen two-way: a row of the
 * table for each period (unless history) and values of every group but
 * the last, a column for each value of the last group.
 */
static int
table(struct run *s, struct enas_stats *st, size_t lo, size_t hi)
{
	struct priv *pv = st->priv;
	size_t ng = s->c.ng, ns = s->c.ns, nr = 0, nc = 0, i, j, r, c;
	size_t *rowof = NULL, *colof = NULL, *first = NULL, *lastr = NULL;
	uint32_t *cols = NULL, last;
	unsigned char *mark = NULL;
	long long *v = NULL, *acc = NULL;
	int rc = ENAS_ENOMEM;

	if (hi <= lo)
		return 0;
	if (!(rowof = enas_calloc(hi - lo, sizeof(*rowof))) ||
	    !(colof = enas_calloc(hi - lo, sizeof(*colof))) ||
	    !(cols = enas_calloc(hi - lo, sizeof(*cols))) ||
	    !(first = enas_calloc(hi - lo, sizeof(*first))) ||
	    !(lastr = enas_calloc(hi - lo, sizeof(*lastr))))
		goto out;
	/* Rows: runs of equal period and leading groups (rows are sorted). */
	for (i = lo; i < hi; i++) {
		if (i > lo && st->rows[i].period == st->rows[i - 1].period &&
		    (ng < 2 || memcmp(row_ids(st, i), row_ids(st, i - 1),
		    (ng - 1) * sizeof(uint32_t)) == 0))
			rowof[i - lo] = nr - 1;
		else {
			first[nr] = i;
			rowof[i - lo] = nr++;
		}
		lastr[rowof[i - lo]] = i;
	}
	/* Columns: the distinct values of the last group, in rank order. */
	for (i = lo; i < hi; i++) {
		last = ng ? row_ids(st, i)[ng - 1] : 0;
		for (j = 0; j < nc && cols[j] != last; j++)
			;
		if (j == nc)
			cols[nc++] = last;
	}
	if (ng) {
		uint32_t *rk = pv->ranks[ng - 1];
		size_t a, b2;

		/* Few columns: insertion sort by rank. */
		for (a = 1; a < nc; a++)
			for (b2 = a; b2 > 0 && rk[cols[b2 - 1]] > rk[cols[b2]];
			    b2--) {
				uint32_t tmp = cols[b2];

				cols[b2] = cols[b2 - 1];
				cols[b2 - 1] = tmp;
			}
	}
	for (i = lo; i < hi; i++) {
		last = ng ? row_ids(st, i)[ng - 1] : 0;
		for (j = 0; cols[j] != last; j++)
			;
		colof[i - lo] = j;
	}
	if (!(v = enas_calloc(nr * nc, sizeof(*v))) ||
	    !(mark = enas_calloc(nr * nc, 1)) ||
	    !(acc = enas_calloc(1 + ns, sizeof(*acc))))
		goto out;
	for (i = lo; i < hi; i++)
		v[rowof[i - lo] * nc + colof[i - lo]] = st->rows[i].cell.count;
	if (st->min_cell >= 2 && (rc = enas_suppress(mark, v, nr, nc,
	    st->min_cell)) < 0)
		goto out;
	for (i = lo; i < hi; i++)
		st->rows[i].cell.mark = mark[rowof[i - lo] * nc +
		    colof[i - lo]];
	/* Totals, as a table prints them. */
	if (nc >= 2)
		for (r = 0; r < nr && nr >= 2; r++) {
			memset(acc, 0, (1 + ns) * sizeof(*acc));
			for (i = lo; i < hi; i++) {
				if (rowof[i - lo] != r)
					continue;
				acc[0] += st->rows[i].cell.count;
				for (j = 0; j < ns; j++)
					acc[1 + j] += st->rows[i].cell.sums[j];
			}
			add_total(st, 0, first[r], lastr[r],
			    st->rows[first[r]].period, acc, ns);
		}
	if (nc >= 2 && nr >= 2)
		for (c = 0; c < nc; c++) {
			size_t rep = hi;

			memset(acc, 0, (1 + ns) * sizeof(*acc));
			for (i = lo; i < hi; i++) {
				if (colof[i - lo] != c)
					continue;
				if (rep == hi)
					rep = i;
				acc[0] += st->rows[i].cell.count;
				for (j = 0; j < ns; j++)
					acc[1 + j] += st->rows[i].cell.sums[j];
			}
			add_total(st, 1, rep, hi - 1, st->rows[lo].period,
			    acc, ns);
		}
	if (nr * nc >= 2) {
		memset(acc, 0, (1 + ns) * sizeof(*acc));
		for (i = lo; i < hi; i++) {
			acc[0] += st->rows[i].cell.count;
			for (j = 0; j < ns; j++)
				acc[1 + j] += st->rows[i].cell.sums[j];
		}
		add_total(st, -1, lo, hi - 1, st->rows[lo].period, acc, ns);
	}
	rc = 0;
out:
	free(rowof);
	free(colof);
	free(cols);
	free(first);
	free(lastr);
	free(v);
	free(mark);
	free(acc);
	return rc;
}

static int
tables(struct run *s, struct enas_stats *st)
{
	size_t lo, hi;
	int rc;

	if (!(st->totals = enas_calloc(3 * st->nrows + 2,
	    sizeof(*st->totals))))
		return ENAS_ENOMEM;
	if (!st->history)
		return table(s, st, 0, st->nrows);
	for (lo = 0; lo < st->nrows; lo = hi) {
		for (hi = lo; hi < st->nrows &&
		    st->rows[hi].period == st->rows[lo].period; hi++)
			;
		if ((rc = table(s, st, lo, hi)) < 0)
			return rc;
	}
	return 0;
}

/* --- the whole question --- */

/* The commit to read: q->rev or HEAD, then -a's day on its line. */
static int
resolve(struct run *s, git_oid *out)
{
	const struct enas_stats_query *q = s->c.q;
	struct enas_line *line = NULL;
	git_object *obj = NULL, *peeled = NULL;
	char day[11];
	size_t n, i;
	int rc;

	if (!q->rev && git_repository_head_unborn(s->git) == 1)
		return enas_error_set(ENAS_EGIT, "the repository has no "
		    "commits yet: there is nothing to count");
	if (git_revparse_single(&obj, s->git, q->rev ? q->rev : "HEAD") < 0)
		return enas_error_set(ENAS_EGIT, "'%s' names no commit in "
		    "this repository", q->rev ? q->rev : "HEAD");
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return enas_error_set(ENAS_EGIT, "'%s' is not a commit",
		    q->rev ? q->rev : "HEAD");
	git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	if (q->at < 0)
		return 0;
	if ((rc = enas_tree_line(&line, &n, s->git, out)) < 0)
		return rc;
	for (i = 0; i < n && line[i].day > q->at; i++)
		;
	if (i == n) {
		enas_date_format(day, q->at);
		free(line);
		return enas_error_set(ENAS_EGIT, "no commit on the "
		    "first-parent line of %s was made by the end of %s",
		    q->rev ? q->rev : "HEAD", day);
	}
	git_oid_cpy(out, &line[i].id);
	free(line);
	return 0;
}

static char *
cache_path(struct run *s)
{
	struct enas_buf p = ENAS_BUF_INIT;
	const char *dir = git_repository_commondir(s->git);

	if (enas_buf_printf(&p, "%s%senas/stats-cache/%s-%016llx", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", s->c.rules->dir,
	    (unsigned long long)hash_bytes(s->c.sig.data, s->c.sig.len)) < 0)
		return NULL;
	return p.data;
}

int
enas_stats_run(struct enas_stats **out, struct enas_repo *repo,
    const struct enas_stats_query *q, enas_diag_fn fn, void *ctx)
{
	struct enas_stats *st = NULL;
	struct run s;
	struct cells t;
	struct priv *pv;
	git_oid commit;
	char *path = NULL;
	size_t i;
	int rc;

	*out = NULL;
	memset(&s, 0, sizeof(s));
	s.c.q = q;
	s.git = enas_repo_git(repo);
	s.fn = fn;
	s.ctx = ctx;
	cells_init(&t, 1, 1);
	if (q->history && !q->interval)
		return enas_error_set(ENAS_EUSAGE, "--history needs a period: "
		    "-D, -W, -M, -Q or -Y");
	if (q->history && q->at >= 0)
		return enas_error_set(ENAS_EUSAGE, "--history and -a exclude "
		    "each other");
	if (q->begin >= 0 && q->end >= 0 && q->begin >= q->end)
		return enas_error_set(ENAS_EUSAGE, "the period is empty: -b "
		    "is not before -e");
	if ((rc = resolve(&s, &commit)) < 0)
		return rc;
	set_prefix(&s, &commit, NULL);
	if ((rc = compile(&s, &commit)) < 0 ||
	    (rc = ex_init(&s.x, &s.c)) < 0)
		goto out;
	if (q->cache && !(path = cache_path(&s))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	if ((rc = enas_blobcache_open(&s.cache, path, s.c.sig.data,
	    s.c.sig.len)) < 0)
		goto out;
	if (!(st = enas_calloc(1, sizeof(*st))) ||
	    !(pv = st->priv = enas_calloc(1, sizeof(*pv))) ||
	    !(s.tabs = enas_calloc(s.c.ng + 1, sizeof(*s.tabs)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	pv->tabs = s.tabs;	/* the result owns them from here */
	pv->ntabs = s.c.ng;
	if (!(s.key = enas_calloc(s.c.ng + 1, sizeof(*s.key))) ||
	    !(s.sums = enas_calloc(s.c.ns + 1, sizeof(*s.sums)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	st->interval = q->interval;
	st->history = q->history;
	st->min_cell = q->min_cell;
	st->ngroups = s.c.ng;
	st->nsums = s.c.ns;
	st->group_names = (const char **)q->groups;
	st->sum_names = (const char **)q->sums;
	git_oid_tostr(st->commit, sizeof(st->commit), &commit);
	cells_init(&t, 1 + s.c.ng, 1 + s.c.ns);
	if (q->history)
		rc = history(&s, st, &t, &commit);
	else if ((rc = snapshot(&s, &t, &commit)) == 0)
		rc = flow_periods(&s, st, &t);
	if (rc < 0)
		goto out;
	if (q->cache)
		enas_blobcache_save(s.cache, CACHE_KEEP);
	if ((rc = build_rows(&s, st, &t)) < 0 || (rc = tables(&s, st)) < 0)
		goto out;
	st->left_out = s.c.consent ? s.left_out : -1;
	st->blobs_read = s.read;
	st->blobs_cached = s.cached;
	if (!(st->kind = enas_strdup(s.c.rules->kind)) ||
	    !(st->dir = enas_strdup(s.c.rules->dir))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	*out = st;
	st = NULL;
	s.tabs = NULL;
out:
	if (st) {
		enas_stats_free(st);
		s.tabs = NULL;
	}
	if (s.tabs) {
		for (i = 0; i < s.c.ng; i++)
			strtab_free(&s.tabs[i]);
		free(s.tabs);
	}
	enas_buf_free(&s.names);
	free(s.jobs);
	free(s.pending);
	free(s.key);
	free(s.sums);
	free(path);
	cells_free(&t);
	ex_free(&s.x);
	enas_blobcache_free(s.cache);
	cq_free(&s.c);
	return rc;
}

void
enas_stats_free(struct enas_stats *st)
{
	struct priv *pv;
	size_t i;

	if (!st)
		return;
	if ((pv = st->priv)) {
		for (i = 0; pv->tabs && i < pv->ntabs; i++)
			strtab_free(&pv->tabs[i]);
		free(pv->tabs);
		for (i = 0; pv->ranks && i < pv->ntabs; i++)
			free(pv->ranks[i]);
		free(pv->ranks);
		free(pv->keys);
		free(pv->sums);
		free(pv->keyp);
		free(pv);
	}
	free((char *)st->kind);
	free((char *)st->dir);
	free(st->periods);
	free(st->rows);
	free(st->totals);
	free(st);
}
