/*
 * validate.c: check one record against its kind's rules.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "expr.h"
#include "i18n.h"
#include "pattern.h"
#include "rules.h"
#include "rules_priv.h"
#include "suggest.h"

/* Mirrors rules.c: the compiled parts of a field. */
#define PATH_MAX_LEN 256

struct walk {
	const struct enas_rules *r;
	const struct enas_record *rec;
	enas_diag_fn fn;
	void *ctx;
	int errors;
	int status;		/* a negative status, when one happened */
	long long today;
};

static void
report(struct walk *w, const struct enas_field *f, const char *path,
    int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
report(struct walk *w, const struct enas_field *f, const char *path,
    int line, int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	enum enas_level lv = f ? f->level : ENAS_ERROR;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	enas_diag_report(w->fn, w->ctx, w->rec->file, line, col, lv, path,
	    f ? f->message : NULL, "%s", msg);
	if (lv == ENAS_ERROR)
		w->errors++;
}

/* A value shown in a message: at most 40 bytes of it. */
static const char *
shown(const struct enas_node *n, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s%s", n->len > 40 ? 40 : (int)n->len,
	    n->value, n->len > 40 ? "…" : "");
	return buf;
}

/*
 * The value of a bound: its number, today, or another top-level field's
 * value (1 when found).
 */
static int
bound_value(struct walk *w, const struct enas_field *f,
    const struct enas_bound *b, long long *out, const char **name)
{
	const struct enas_node *n;

	*name = NULL;
	if (!b->set)
		return 0;
	if (b->today) {
		*out = w->today;
		/* TRANSLATORS: a bound named in parentheses after a date */
		*name = _("today");
		return 1;
	}
	if (!b->field) {
		*out = b->num;
		return 1;
	}
	*name = b->field;
	n = enas_node_path(w->rec->root, b->field);
	if (!n || n->type != ENAS_SCALAR)
		return 0;
	if (f->type == ENAS_INT)
		return enas_int_parse(out, n->value, n->len) == 0;
	return (*out = enas_date_parse(n->value, n->len)) >= 0;
}

/*
 * How a value past a bound is said, whole sentences for translators:
 * [above][a date][bound named by a field (or "today")].  The value
 * first, then the bound (the field's name and its value, or the value).
 */
static const char *const past[2][2][2] = {
	{ { N_("%s is below %s"),
	    /* TRANSLATORS: a number, the field it must not be below,
	       and that field's value */
	    N_("%s is below %s (%s)") },
	  { N_("%s is before %s"),
	    /* TRANSLATORS: a date, the field or "today" it must not
	       precede, and that field's date */
	    N_("%s is before %s (%s)") } },
	{ { N_("%s is above %s"),
	    /* TRANSLATORS: a number, the field it must not be above,
	       and that field's value */
	    N_("%s is above %s (%s)") },
	  { N_("%s is after %s"),
	    /* TRANSLATORS: a date, the field or "today" it must not
	       follow, and that field's date */
	    N_("%s is after %s (%s)") } }
};

static void
check_bounds(struct walk *w, const struct enas_field *f, const char *path,
    const struct enas_node *n, long long v)
{
	const struct enas_bound *bound[2] = { &f->min, &f->max };
	long long b;
	const char *name, *msg;
	char vb[64], bb[64];
	int above, date = f->type == ENAS_DATE;

	if (date)
		enas_date_format(vb, v);
	else
		snprintf(vb, sizeof(vb), "%lld", v);
	for (above = 0; above < 2; above++) {
		if (!bound_value(w, f, bound[above], &b, &name) ||
		    (above ? v <= b : v >= b))
			continue;
		if (date)
			enas_date_format(bb, b);
		else
			snprintf(bb, sizeof(bb), "%lld", b);
		msg = _(past[above][date][name != NULL]);
		if (name)
			report(w, f, path, n->line, n->col, msg, vb, name, bb);
		else
			report(w, f, path, n->line, n->col, msg, vb, bb);
	}
}

static void
check_patterns(struct walk *w, const struct enas_field *f, const char *path,
    const struct enas_node *n)
{
	const struct field_priv *fp = f->priv;
	char vb[64];
	int rc;

	if (fp->match) {
		rc = enas_pattern_match(fp->match, n->value, n->len);
		if (rc == 0)
			/* TRANSLATORS: a value and the pattern it must match */
			report(w, f, path, n->line, n->col, _("'%s' does not "
			    "match %s"), shown(n, vb, sizeof(vb)),
			    f->match_src);
		else if (rc < 0)
			/* TRANSLATORS: the pattern, what is wrong with it,
			   and the rules file */
			report(w, NULL, path, n->line, n->col, _("rule match "
			    "'%s' %s; fix the rule in %s"), f->match_src,
			    enas_error_last(), w->r->file);
	}
	if (fp->deny) {
		rc = enas_pattern_match(fp->deny, n->value, n->len);
		if (rc == 1)
			report(w, f, path, n->line, n->col, _("the value "
			    "matches the forbidden pattern %s"), f->deny_src);
		else if (rc < 0)
			/* TRANSLATORS: the pattern, what is wrong with it,
			   and the rules file */
			report(w, NULL, path, n->line, n->col, _("rule deny "
			    "'%s' %s; fix the rule in %s"), f->deny_src,
			    enas_error_last(), w->r->file);
	}
}

static void
check_enum(struct walk *w, const struct enas_field *f, const char *path,
    const struct enas_node *n)
{
	struct enas_buf list = ENAS_BUF_INIT;
	char vb[64];
	size_t i;

	for (i = 0; i < f->nenums; i++)
		if (strlen(f->enums[i]) == n->len &&
		    memcmp(f->enums[i], n->value, n->len) == 0)
			return;
	const char *near;

	for (i = 0; i < f->nenums; i++)
		if (enas_buf_puts(&list, i ? ", " : "") < 0 ||
		    enas_buf_puts(&list, f->enums[i]) < 0)
			break;
	near = enas_suggest(n->value, n->len, f->enums, f->nenums);
	/* TRANSLATORS: the value, the allowed values, the nearest one */
	if (near)
		report(w, f, path, n->line, n->col, _("'%s' is not one of: %s; "
		    "did you mean %s?"), shown(n, vb, sizeof(vb)),
		    list.data ? list.data : "", near);
	else
		report(w, f, path, n->line, n->col, _("'%s' is not one of: %s"),
		    shown(n, vb, sizeof(vb)), list.data ? list.data : "");
	enas_buf_free(&list);
}

/* A scalar, or an item of a list: its type, enum, bounds and patterns. */
static void
check_value(struct walk *w, const struct enas_field *f, const char *path,
    const struct enas_node *n, enum enas_type type)
{
	char vb[64];
	long long v;

	if (n->len == 0)
		return;		/* empty is absent: "required" says so */
	switch (type) {
	case ENAS_INT:
		if (enas_int_parse(&v, n->value, n->len) < 0) {
			report(w, f, path, n->line, n->col, _("'%s' is not a "
			    "whole number"), shown(n, vb, sizeof(vb)));
			return;
		}
		check_bounds(w, f, path, n, v);
		break;
	case ENAS_DATE:
		if ((v = enas_date_parse(n->value, n->len)) < 0) {
			report(w, f, path, n->line, n->col, _("'%s' is not a "
			    "date (YYYY-MM-DD, one that exists)"),
			    shown(n, vb, sizeof(vb)));
			return;
		}
		check_bounds(w, f, path, n, v);
		break;
	case ENAS_BOOL:
		if (!(n->len == 4 && memcmp(n->value, "true", 4) == 0) &&
		    !(n->len == 5 && memcmp(n->value, "false", 5) == 0)) {
			report(w, f, path, n->line, n->col, _("'%s' is not "
			    "true or false: a yes/no field takes true for yes, "
			    "false for no"), shown(n, vb, sizeof(vb)));
			return;
		}
		break;
	default:
		break;
	}
	if (f->nenums)
		check_enum(w, f, path, n);
	check_patterns(w, f, path, n);
}

static void walk_map(struct walk *w, const struct enas_node *map,
    char *path, size_t plen);

/* A field the rules do not declare, and why that is, when we can say. */
static void
undeclared(struct walk *w, const char *path, const struct enas_node *n)
{
	struct enas_buf why = ENAS_BUF_INIT;

	if (enas_suggest_field(&why, w->r, path) < 0)
		w->status = ENAS_ENOMEM;
	/* TRANSLATORS: the rules file, then an explanation that starts
	   with "; " or is empty */
	report(w, NULL, path, n->key_line, n->key_col, _("field not declared "
	    "in %s%s"), w->r->file, why.data ? why.data : "");
	enas_buf_free(&why);
}

static void
walk_member(struct walk *w, const struct enas_node *n, char *path,
    size_t plen)
{
	const struct enas_field *f;
	const struct enas_node *c;
	size_t klen = strlen(n->key), len;

	if (plen + klen + 4 >= PATH_MAX_LEN) {
		report(w, NULL, n->key, n->key_line, n->key_col, _("field not "
		    "declared in %s"), w->r->file);
		return;
	}
	len = plen;
	if (plen)
		path[len++] = '.';
	memcpy(path + len, n->key, klen + 1);
	len += klen;
	if (!(f = enas_rules_field(w->r, path))) {
		undeclared(w, path, n);
		goto out;
	}
	switch (f->type) {
	case ENAS_MAPPING:
		if (n->type == ENAS_MAP)
			walk_map(w, n, path, len);
		else if (!enas_node_empty(n))
			report(w, f, path, n->line, n->col,
			    _("must be a mapping of fields below it"));
		break;
	case ENAS_ITEMS:
		if (n->type != ENAS_SEQ) {
			if (!enas_node_empty(n))
				report(w, f, path, n->line, n->col,
				    _("must be a list of mappings "
				    "(- field: value)"));
			break;
		}
		memcpy(path + len, "[]", 3);
		for (c = n->child; c; c = c->next)
			if (c->type == ENAS_MAP)
				walk_map(w, c, path, len + 2);
			else
				report(w, f, path, c->line, c->col,
				    _("each item must be a mapping "
				    "(- field: value)"));
		break;
	case ENAS_LIST:
		if (n->type == ENAS_SEQ) {
			for (c = n->child; c; c = c->next)
				if (c->type == ENAS_SCALAR)
					check_value(w, f, path, c, ENAS_TEXT);
				else
					report(w, f, path, c->line, c->col,
					    _("each item must be a single "
					    "value"));
		} else if (!enas_node_empty(n))
			report(w, f, path, n->line, n->col, _("must be a list, "
			    "e.g. [a, b]"));
		break;
	default:
		if (n->type == ENAS_MAP)
			report(w, f, path, n->line, n->col,
			    _("must be a single value, not a mapping"));
		else if (n->type != ENAS_SCALAR)
			report(w, f, path, n->line, n->col,
			    _("must be a single value, not a list"));
		else
			check_value(w, f, path, n, f->type);
		break;
	}
out:
	path[plen] = '\0';
}

static void
walk_map(struct walk *w, const struct enas_node *map, char *path,
    size_t plen)
{
	const struct enas_node *n;

	for (n = map->child; n; n = n->next)
		walk_member(w, n, path, plen);
	path[plen] = '\0';
}

/* Where a missing field is reported: the mapping that should hold it. */
struct presence {
	struct walk *w;
	const struct enas_field *f;
	const char *key;
	const char *cond;	/* the condition that applies, or NULL */
};

static int
need(void *ctx, const struct enas_node *map)
{
	struct presence *p = ctx;
	int top = map == p->w->rec->root;
	int line = top ? 1 : map->line, col = top ? 1 : map->col;

	if (map->type != ENAS_MAP)
		return 0;
	if (!enas_node_empty(enas_node_get(map, p->key)))
		return 0;
	if (p->cond)
		/* TRANSLATORS: %s is a condition from the rules */
		report(p->w, p->f, p->f->path, line, col,
		    _("required field is missing (required when %s)"),
		    p->cond);
	else
		report(p->w, p->f, p->f->path, line, col,
		    _("required field is missing"));
	return 0;
}

static int
forbid(void *ctx, const struct enas_node *n)
{
	struct presence *p = ctx;

	/* TRANSLATORS: %s is a condition from the rules */
	if (!enas_node_empty(n))
		report(p->w, p->f, p->f->path, n->line, n->col, _("must be "
		    "absent when %s"), p->cond);
	return 0;
}

/*
 * The mappings that hold field f's key: the root, or the items and
 * mappings its parent path reaches.  A required field below a mapping
 * that is itself absent is reported at the top.
 */
static void
check_presence(struct walk *w, const struct enas_field *f)
{
	const struct field_priv *fp = f->priv;
	struct presence p = { w, f, NULL, NULL };
	char parent[PATH_MAX_LEN];
	const char *dot;
	int req = f->required, rc;

	if (fp->required_if && !req) {
		if ((rc = enas_expr_eval(fp->required_if, w->rec->root)) < 0) {
			report(w, NULL, f->path, 1, 1, "required_if: %s",
			    enas_error_last());
			return;
		}
		if (rc == 1) {
			req = 1;
			p.cond = f->required_if_src;
		}
	}
	if (fp->forbidden_if) {
		if ((rc = enas_expr_eval(fp->forbidden_if, w->rec->root)) < 0)
			report(w, NULL, f->path, 1, 1, "forbidden_if: %s",
			    enas_error_last());
		else if (rc == 1) {
			p.cond = f->forbidden_if_src;
			enas_node_each(w->rec->root, f->path, forbid, &p);
			p.cond = NULL;
		}
	}
	if (!req)
		return;
	if (strlen(f->path) >= sizeof(parent))
		return;
	dot = strrchr(f->path, '.');
	if (!dot) {
		p.key = f->path;
		need(&p, w->rec->root);
		return;
	}
	memcpy(parent, f->path, (size_t)(dot - f->path));
	parent[dot - f->path] = '\0';
	p.key = dot + 1;
	if (!strchr(parent, '[')) {
		/* a chain of mappings: absent above means absent here */
		const struct enas_node *m = enas_node_path(w->rec->root,
		    parent);

		need(&p, m && m->type == ENAS_MAP ? m : w->rec->root);
		if (m && m->type == ENAS_MAP)
			return;
		return;
	}
	enas_node_each(w->rec->root, parent, need, &p);
}

int
enas_rules_check(const struct enas_rules *r, const struct enas_record *rec,
    enas_diag_fn fn, void *ctx)
{
	struct walk w = { r, rec, fn, ctx, 0, 0, 0 };
	const struct enas_node *id;
	char path[PATH_MAX_LEN] = "", vb[64];
	size_t i;

	w.today = enas_date_today();
	walk_map(&w, rec->root, path, 0);
	for (i = 0; i < r->nfields; i++)
		check_presence(&w, &r->fields[i]);
	id = enas_node_get(rec->root, "id");
	/* TRANSLATORS: the id, the kind of record, the id pattern */
	if (id && id->type == ENAS_SCALAR && id->len &&
	    !enas_rules_id_ok(r, id->value, id->len))
		report(&w, NULL, "id", id->line, id->col,
		    _("'%s' is not a %s id (%s)"), shown(id, vb, sizeof(vb)),
		    r->kind, r->id_src);
	else if (!id && !enas_rules_field(r, "id"))
		report(&w, NULL, "id", 1, 1, _("required field is missing"));
	return w.status < 0 ? w.status : w.errors;
}

int
enas_rules_record_path(struct enas_buf *b, const struct enas_rules *r,
    const struct enas_record *rec)
{
	const struct enas_node *n;
	const char *s, *close;
	char name[128];
	size_t len;
	int year;

	b->len = 0;
	for (s = r->path; *s; s++) {
		if (*s != '{') {
			if (enas_buf_add(b, s, 1) < 0)
				return ENAS_ENOMEM;
			continue;
		}
		close = strchr(s, '}');
		len = (size_t)(close - s - 1);
		if (len >= sizeof(name))
			return ENAS_EDATA;
		memcpy(name, s + 1, len);
		name[len] = '\0';
		year = len > 5 && strcmp(name + len - 5, ":year") == 0;
		if (year)
			name[len - 5] = '\0';
		n = enas_node_path(rec->root, name);
		if (!n || n->type != ENAS_SCALAR || n->len == 0 ||
		    memchr(n->value, '/', n->len) || n->value[0] == '.')
			return ENAS_EDATA;
		if (year) {
			if (enas_date_parse(n->value, n->len) < 0)
				return ENAS_EDATA;
			if (enas_buf_add(b, n->value, 4) < 0)
				return ENAS_ENOMEM;
		} else if (enas_buf_add(b, n->value, n->len) < 0)
			return ENAS_ENOMEM;
		s = close;
	}
	return 0;
}
