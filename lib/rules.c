/*
 * rules.c: load a kind's rules file, compile it once, and check records
 * against it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "expr.h"
#include "i18n.h"
#include "pattern.h"
#include "rules.h"

struct field_priv {
	struct enas_pattern *match;
	struct enas_pattern *deny;
	struct enas_expr *required_if;
	struct enas_expr *forbidden_if;
};

struct rules_priv {
	struct enas_record *src;	/* owns every string of the rules */
	char **implied;			/* paths of undeclared containers */
	size_t nimplied;
	struct enas_pattern *id;
	struct enas_field **sorted;	/* by path, for bsearch */
	struct field_priv *fp;
};

static const char *const keywords[] = {
	"required", "type", "match", "deny", "enum", "min", "max", "bands",
	"ref", "required_if", "forbidden_if", "unique", "level", "message",
	NULL
};

static const char *const types[] = {
	"text", "int", "date", "bool", "list", NULL
};

int
enas_int_parse(long long *out, const char *s, size_t len)
{
	long long v = 0;
	size_t i = 0;
	int neg = 0;

	if (len && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len || (s[i] == '0' && len - i > 1) || len - i > 15)
		return -1;
	for (; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (neg && v == 0)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

static int
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
cmp_field(const void *a, const void *b)
{
	const struct enas_field *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

const struct enas_field *
enas_rules_field(const struct enas_rules *r, const char *path)
{
	struct rules_priv *p = r->priv;
	struct enas_field key, *kp = &key, **hit;

	key.path = path;
	hit = bsearch(&kp, p->sorted, r->nfields, sizeof(struct enas_field *),
	    cmp_field);
	return hit ? *hit : NULL;
}

int
enas_rules_id_ok(const struct enas_rules *r, const char *id, size_t len)
{
	struct rules_priv *p = r->priv;

	return enas_pattern_match(p->id, id, len) == 1;
}

/* A loader's state: where to report, and whether anything failed. */
struct loader {
	const char *file;
	enas_diag_fn fn;
	void *ctx;
	int errors;
	int nomem;	/* memory ran out: not the rules' fault */
};

static void
out_of_memory(struct loader *ld)
{
	ld->errors++;
	ld->nomem = 1;
}

static void
bad(struct loader *ld, const struct enas_node *n, int at_key,
    const char *field, const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a ? a : "", b ? b : "");
	enas_diag_report(ld->fn, ld->ctx, ld->file,
	    n ? (at_key ? n->key_line : n->line) : 1,
	    n ? (at_key ? n->key_col : n->col) : 1, ENAS_ERROR, field, NULL,
	    "%s", msg);
	ld->errors++;
}

static const char *
scalar(struct loader *ld, const struct enas_node *n, const char *field)
{
	if (n->type != ENAS_SCALAR) {
		bad(ld, n, 0, field, "%s: must be a single value", n->key,
		    NULL);
		return NULL;
	}
	return n->value;
}

static int
boolean(struct loader *ld, const struct enas_node *n, const char *field)
{
	const char *v = scalar(ld, n, field);

	if (!v)
		return 0;
	if (strcmp(v, "true") == 0)
		return 1;
	if (strcmp(v, "false") != 0)
		bad(ld, n, 0, field, "%s: must be true or false, not '%s'",
		    n->key, v);
	return 0;
}

static struct enas_pattern *
pattern(struct loader *ld, const struct enas_node *n, const char *field,
    unsigned flags)
{
	struct enas_pattern *pat;
	char msg[256], where[300];
	size_t off;
	const char *v = scalar(ld, n, field);
	int rc;

	if (!v)
		return NULL;
	rc = enas_pattern_compile(&pat, v, n->len, flags, &off, msg,
	    sizeof(msg));
	if (rc == ENAS_ENOMEM) {
		out_of_memory(ld);
		return NULL;
	}
	if (rc < 0) {
		snprintf(where, sizeof(where), "%s", msg);
		enas_diag_report(ld->fn, ld->ctx, ld->file, n->line,
		    n->col + (n->quoted ? 1 : 0) + (int)off, ENAS_ERROR, field,
		    NULL, "%s: bad pattern: %s", n->key, where);
		ld->errors++;
		return NULL;
	}
	return pat;
}

/* A bound: an int, a date, "today", or another field's name. */
static void
bound(struct loader *ld, const struct enas_node *n, struct enas_field *f,
    struct enas_bound *b)
{
	const char *v = scalar(ld, n, f->path);
	long long x;

	if (!v)
		return;
	b->set = 1;
	if (strcmp(v, "today") == 0)
		b->today = 1;
	else if (enas_int_parse(&x, v, n->len) == 0 ||
	    (x = enas_date_parse(v, n->len)) >= 0)
		b->num = x;
	else if (islower((unsigned char)v[0]))
		b->field = v;
	else
		bad(ld, n, 0, f->path, "%s: '%s' is not a number, a date, "
		    "today or a field name", n->key, v);
}

static void
bands(struct loader *ld, const struct enas_node *n, struct enas_field *f)
{
	const struct enas_node *c;
	struct enas_band *b;
	const char *dash;
	size_t i = 0;

	if (n->type != ENAS_SEQ) {
		bad(ld, n, 0, f->path, "bands: must be a list of ranges, "
		    "e.g. [0-5, 6-11]", NULL, NULL);
		return;
	}
	if (!(f->bands = enas_calloc(n->nchild, sizeof(*f->bands)))) {
		out_of_memory(ld);
		return;
	}
	for (c = n->child; c; c = c->next) {
		b = &f->bands[i];
		if (c->type != ENAS_SCALAR ||
		    !(dash = memchr(c->value + 1, '-', c->len ? c->len - 1 : 0)) ||
		    enas_int_parse(&b->lo, c->value, (size_t)(dash -
		    c->value)) < 0 ||
		    enas_int_parse(&b->hi, dash + 1, c->len - (size_t)(dash -
		    c->value) - 1) < 0 || b->lo > b->hi) {
			bad(ld, c, 0, f->path, "bands: '%s' is not a range "
			    "LOW-HIGH", c->type == ENAS_SCALAR ? c->value : "",
			    NULL);
			continue;
		}
		if (i > 0 && b->lo <= f->bands[i - 1].hi) {
			bad(ld, c, 0, f->path, "bands: '%s' overlaps or is "
			    "below the band before it", c->value, NULL);
			continue;
		}
		b->name = c->value;
		i++;
	}
	f->nbands = i;
}

/*
 * Compile the condition n (required_if or forbidden_if) of field f,
 * checked against the whole rules r: a condition that names an
 * undeclared field or a value that cannot be is a rules error, at the
 * column of the problem.
 */
static struct enas_expr *
condition(struct loader *ld, const struct enas_node *n,
    const struct enas_rules *r, const struct enas_field *f)
{
	struct enas_expr *e;
	const char *v = scalar(ld, n, f->path);
	int rc, col = 0;

	if (!v)
		return NULL;
	rc = enas_expr_compile_at(&e, v, r, &col);
	if (rc == ENAS_ENOMEM) {
		out_of_memory(ld);
		return NULL;
	}
	if (rc < 0) {
		enas_diag_report(ld->fn, ld->ctx, ld->file, n->line, n->col +
		    (n->quoted ? 1 : 0) + (col > 0 ? col - 1 : 0), ENAS_ERROR,
		    f->path, NULL, "%s: %s", n->key, enas_error_last());
		ld->errors++;
		return NULL;
	}
	return e;
}

/*
 * The conditions of every declared field, once all fields are known:
 * fields is the rules' "fields" mapping, whose n-th key is the n-th
 * field.
 */
static void
conditions(struct loader *ld, struct enas_rules *r,
    const struct enas_node *fields)
{
	struct rules_priv *p = r->priv;
	const struct enas_node *n, *k;
	size_t i;

	for (i = 0, n = fields->child; n; n = n->next, i++) {
		if (n->type != ENAS_MAP)
			continue;
		for (k = n->child; k; k = k->next) {
			if (strcmp(k->key, "required_if") == 0)
				p->fp[i].required_if = condition(ld, k, r,
				    &r->fields[i]);
			else if (strcmp(k->key, "forbidden_if") == 0)
				p->fp[i].forbidden_if = condition(ld, k, r,
				    &r->fields[i]);
		}
	}
}

static void
load_field(struct loader *ld, const struct enas_node *n, struct enas_field *f,
    struct field_priv *fp)
{
	const struct enas_node *k;
	const char *v;
	size_t i;

	f->path = n->key;
	f->line = n->key_line;
	f->col = n->key_col;
	f->type = ENAS_TEXT;
	if (n->type != ENAS_MAP) {
		if (n->type == ENAS_SCALAR && n->len == 0)
			return;	/* "field:" alone declares an optional text */
		bad(ld, n, 0, f->path, "a field's rule is a mapping of "
		    "keywords, e.g. {required: true}", NULL, NULL);
		return;
	}
	for (k = n->child; k; k = k->next) {
		if (!in_list(keywords, k->key)) {
			bad(ld, k, 1, f->path, "unknown keyword '%s' (expected "
			    "required, type, match, deny, enum, min, max, bands, "
			    "ref, required_if, forbidden_if, unique, level or "
			    "message)%s", k->key, NULL);
			continue;
		}
		if (strcmp(k->key, "required") == 0)
			f->required = boolean(ld, k, f->path);
		else if (strcmp(k->key, "unique") == 0)
			f->unique = boolean(ld, k, f->path);
		else if (strcmp(k->key, "type") == 0) {
			if (!(v = scalar(ld, k, f->path)))
				continue;
			for (i = 0; types[i]; i++)
				if (strcmp(types[i], v) == 0)
					f->type = (enum enas_type)i;
			if (!in_list(types, v))
				bad(ld, k, 0, f->path, "type: '%s' is not one of "
				    "text, int, date, bool, list%s", v, NULL);
		} else if (strcmp(k->key, "match") == 0) {
			fp->match = pattern(ld, k, f->path, ENAS_PATTERN_WHOLE);
			f->match_src = k->value;
		} else if (strcmp(k->key, "deny") == 0) {
			fp->deny = pattern(ld, k, f->path, 0);
			f->deny_src = k->value;
		} else if (strcmp(k->key, "enum") == 0) {
			const struct enas_node *c;

			if (k->type != ENAS_SEQ) {
				bad(ld, k, 0, f->path, "enum: must be a list of "
				    "values, e.g. [a, b]%s%s", NULL, NULL);
				continue;
			}
			free(f->enums);
			if (!(f->enums = enas_calloc(k->nchild + 1,
			    sizeof(*f->enums)))) {
				out_of_memory(ld);
				continue;
			}
			f->nenums = 0;
			for (c = k->child; c; c = c->next)
				if (c->type == ENAS_SCALAR && c->len)
					f->enums[f->nenums++] = c->value;
				else
					bad(ld, c, 0, f->path, "enum: values must "
					    "be non-empty words%s%s", NULL, NULL);
		} else if (strcmp(k->key, "min") == 0)
			bound(ld, k, f, &f->min);
		else if (strcmp(k->key, "max") == 0)
			bound(ld, k, f, &f->max);
		else if (strcmp(k->key, "bands") == 0)
			bands(ld, k, f);
		else if (strcmp(k->key, "ref") == 0) {
			if ((v = scalar(ld, k, f->path)))
				f->ref = v;
		} else if (strcmp(k->key, "required_if") == 0) {
			/* Compiled by conditions(), once every field is known. */
			f->required_if_src = k->value;
		} else if (strcmp(k->key, "forbidden_if") == 0) {
			f->forbidden_if_src = k->value;
		} else if (strcmp(k->key, "level") == 0) {
			if (!(v = scalar(ld, k, f->path)))
				continue;
			if (strcmp(v, "warning") == 0)
				f->level = ENAS_WARNING;
			else if (strcmp(v, "error") != 0)
				bad(ld, k, 0, f->path, "level: must be error or "
				    "warning, not '%s'%s", v, NULL);
		} else if (strcmp(k->key, "message") == 0)
			f->message = scalar(ld, k, f->path);
	}
}

/*
 * Declare the containers that field paths imply and the rules do not
 * name: "referrals" for "referrals[].to", "consent" for
 * "consent.reporting".  The arrays have room for them.
 */
static int
imply(struct enas_rules *r, const struct enas_node *fields)
{
	struct rules_priv *p = r->priv;
	struct enas_field *f;
	size_t i, n = r->nfields, cut;
	const char *path;
	char *prefix;

	(void)fields;
	for (i = 0; i < n; i++) {
		path = r->fields[i].path;
		for (cut = 0; path[cut]; cut++) {
			if (path[cut] != '.' && path[cut] != '[')
				continue;
			if (path[cut] == '.' && cut >= 2 &&
			    path[cut - 1] == ']')
				continue;	/* "a[]." was seen at '[' */
			if (!(prefix = enas_strndup(path, cut)))
				return ENAS_ENOMEM;
			if (enas_rules_field(r, prefix)) {
				free(prefix);
				continue;
			}
			p->implied[p->nimplied++] = prefix;
			f = &r->fields[r->nfields];
			f->path = prefix;
			f->line = r->fields[i].line;
			f->col = r->fields[i].col;
			f->type = ENAS_TEXT;
			f->priv = &p->fp[r->nfields];
			p->sorted[r->nfields++] = f;
			qsort(p->sorted, r->nfields,
			    sizeof(struct enas_field *), cmp_field);
		}
	}
	return 0;
}

/*
 * After every field is loaded: containers get their types from the
 * paths below them, and each keyword is checked against its field's
 * type.
 */
static void
settle(struct loader *ld, struct enas_rules *r)
{
	struct enas_node where, *n = &where;
	struct enas_field *f, *g;
	size_t i, j, len;

	memset(&where, 0, sizeof(where));
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		where.key = f->path;
		where.key_line = where.line = f->line;
		where.key_col = where.col = f->col;
		len = strlen(f->path);
		for (j = 0; j < r->nfields; j++) {
			g = &r->fields[j];
			if (strncmp(g->path, f->path, len) != 0)
				continue;
			if (g->path[len] == '.' && f->type == ENAS_TEXT)
				f->type = ENAS_MAPPING;
			else if (g->path[len] == '[' && f->type == ENAS_TEXT)
				f->type = ENAS_ITEMS;
		}
		if ((f->type == ENAS_MAPPING || f->type == ENAS_ITEMS) &&
		    (f->enums || f->min.set || f->max.set || f->match_src ||
		    f->deny_src || f->nbands || f->ref || f->unique))
			bad(ld, n, 1, f->path, "a container field takes only "
			    "required, required_if, forbidden_if, level and "
			    "message%s%s", NULL, NULL);
		if (f->type != ENAS_INT && f->type != ENAS_DATE &&
		    (f->min.set || f->max.set))
			bad(ld, n, 1, f->path, "min and max need type int or "
			    "date%s%s", NULL, NULL);
		if (f->type != ENAS_INT && f->bands)
			bad(ld, n, 1, f->path, "bands need type int%s%s", NULL,
			    NULL);
		if (f->type == ENAS_DATE && ((f->min.set && !f->min.field &&
		    !f->min.today && f->min.num < 0) || (f->max.set &&
		    !f->max.field && !f->max.today && f->max.num < 0)))
			bad(ld, n, 1, f->path, "a date bound is a date, today "
			    "or a field%s%s", NULL, NULL);
		if (f->min.field && !enas_rules_field(r, f->min.field))
			bad(ld, n, 1, f->path, "min: '%s' is not a declared "
			    "field%s", f->min.field, NULL);
		if (f->max.field && !enas_rules_field(r, f->max.field))
			bad(ld, n, 1, f->path, "max: '%s' is not a declared "
			    "field%s", f->max.field, NULL);
	}
}

/* A path template: literal text and {field} or {field:year}, with {id}. */
static void
check_template(struct loader *ld, struct enas_rules *r,
    const struct enas_node *n)
{
	const char *s = r->path, *close, *seg;
	char name[128];
	size_t len;

	if (strlen(s) < 9 || strcmp(s + strlen(s) - 9, "{id}.yaml") != 0) {
		bad(ld, n, 0, "path", "the template must end in {id}.yaml%s%s",
		    NULL, NULL);
		return;
	}
	/*
	 * A record's place must stay inside its kind's directory: no
	 * segment of the template may be empty, "." or "..".
	 */
	for (seg = s; seg; seg = (close = strchr(seg, '/')) ? close + 1 :
	    NULL) {
		len = strcspn(seg, "/");
		if (len == 0 || (len <= 2 && strncmp(seg, "..", len) == 0)) {
			bad(ld, n, 0, "path", "'%s' is not allowed in the "
			    "template%s", len == 0 ? (seg == s ? "/ at the "
			    "start" : "//") : len == 1 ? "." : "..", NULL);
			return;
		}
	}
	for (; *s; s++) {
		if (*s != '{') {
			if (!isalnum((unsigned char)*s) && !strchr("_-./", *s))
				bad(ld, n, 0, "path", "'%c' is not allowed in "
				    "the template%s", (char[]){ *s, 0 }, NULL);
			continue;
		}
		if (!(close = strchr(s, '}')) || (len = (size_t)(close - s - 1))
		    >= sizeof(name) || len == 0) {
			bad(ld, n, 0, "path", "unclosed or empty {} in the "
			    "template%s%s", NULL, NULL);
			return;
		}
		memcpy(name, s + 1, len);
		name[len] = '\0';
		if (len > 5 && strcmp(name + len - 5, ":year") == 0)
			name[len - 5] = '\0';
		if (strcmp(name, "id") != 0 && !enas_rules_field(r, name))
			bad(ld, n, 0, "path", "{%s} is not a declared field%s",
			    name, NULL);
		s = close;
	}
}

/* A size in bytes for the commit: section: a positive int. */
static size_t
commit_size(struct loader *ld, const struct enas_node *n)
{
	long long v;
	const char *s = scalar(ld, n, "commit");

	if (!s)
		return 0;
	if (enas_int_parse(&v, s, n->len) < 0 || v < 1 || v > 1000000) {
		bad(ld, n, 0, "commit", _("%s: must be a number of bytes, "
		    "1 to 1000000%s"), n->key, NULL);
		return 0;
	}
	return (size_t)v;
}

/*
 * The commit: section (struct enas_commit_rules): max_length, max_name,
 * message, and deny, a mapping of names to patterns that must match
 * nowhere in a message or a name.
 */
static void
load_commit(struct loader *ld, struct enas_rules *r, const struct enas_node *n)
{
	struct enas_commit_rules *cr = &r->commit;
	const struct enas_node *k, *d;
	size_t i;

	if (n->type != ENAS_MAP) {
		bad(ld, n, 0, "commit", _("commit: must be a mapping of "
		    "max_length, max_name, deny and message%s%s"), NULL, NULL);
		return;
	}
	cr->set = 1;
	for (k = n->child; k; k = k->next) {
		if (strcmp(k->key, "max_length") == 0)
			cr->max_length = commit_size(ld, k);
		else if (strcmp(k->key, "max_name") == 0)
			cr->max_name = commit_size(ld, k);
		else if (strcmp(k->key, "message") == 0)
			cr->message = scalar(ld, k, "commit");
		else if (strcmp(k->key, "deny") == 0) {
			if (k->type != ENAS_MAP) {
				bad(ld, k, 0, "commit", _("deny: must be a "
				    "mapping of names to patterns%s%s"), NULL,
				    NULL);
				continue;
			}
			if (!(cr->deny_name = enas_calloc(k->nchild + 1,
			    sizeof(*cr->deny_name))) ||
			    !(cr->deny_src = enas_calloc(k->nchild + 1,
			    sizeof(*cr->deny_src))) ||
			    !(cr->deny = enas_calloc(k->nchild + 1,
			    sizeof(*cr->deny)))) {
				out_of_memory(ld);
				return;
			}
			for (d = k->child, i = 0; d; d = d->next) {
				if (!(cr->deny[i] = pattern(ld, d, "commit", 0)))
					continue;
				cr->deny_name[i] = d->key;
				cr->deny_src[i++] = d->value;
			}
			cr->ndeny = i;
		} else
			bad(ld, k, 1, "commit", _("unknown key '%s' (expected "
			    "max_length, max_name, deny or message)%s"), k->key,
			    NULL);
	}
}

int
enas_rules_load(struct enas_rules **out, const char *buf, size_t len,
    const char *file, enas_diag_fn fn, void *ctx)
{
	struct loader ld = { file, fn, ctx, 0, 0 };
	struct enas_record *rec = NULL;
	struct enas_rules *r = NULL;
	struct rules_priv *p;
	const struct enas_node *k, *fields = NULL, *idn = NULL, *pathn = NULL;
	const struct enas_node *dirn = NULL, *commitn = NULL;
	struct enas_field *f;
	char msg[256];
	size_t i, off, n;
	int rc;

	*out = NULL;
	if ((rc = enas_record_parse(&rec, buf, len, file, ENAS_PARSE_RULES,
	    fn, ctx)) < 0)
		return rc == ENAS_EDATA ? ENAS_ERULES : rc;
	if (!(r = enas_calloc(1, sizeof(*r))) ||
	    !(p = enas_calloc(1, sizeof(*p)))) {
		free(r);
		enas_record_free(rec);
		return ENAS_ENOMEM;
	}
	r->priv = p;
	p->src = rec;
	if (!(r->file = enas_strdup(file))) {
		rc = ENAS_ENOMEM;
		goto fail;
	}
	for (k = rec->root->child; k; k = k->next) {
		if (strcmp(k->key, "kind") == 0)
			r->kind = scalar(&ld, k, NULL);
		else if (strcmp(k->key, "dir") == 0) {
			r->dir = scalar(&ld, k, NULL);
			dirn = k;
		}
		else if (strcmp(k->key, "path") == 0) {
			r->path = scalar(&ld, k, NULL);
			pathn = k;
		} else if (strcmp(k->key, "id") == 0) {
			r->id_src = scalar(&ld, k, NULL);
			idn = k;
		} else if (strcmp(k->key, "date") == 0)
			r->date = scalar(&ld, k, NULL);
		else if (strcmp(k->key, "fields") == 0)
			fields = k;
		else if (strcmp(k->key, "commit") == 0)
			commitn = k;
		else if (strcmp(k->key, "description") != 0)
			bad(&ld, k, 1, NULL, "unknown key '%s' (expected kind, "
			    "dir, path, id, date, fields, commit or "
			    "description)%s",
			    k->key, NULL);
	}
	if (!r->kind || !r->dir || !r->path || !r->id_src || !idn || !fields) {
		bad(&ld, rec->root, 0, NULL, "a rules file needs kind, dir, "
		    "path, id and fields%s%s", NULL, NULL);
		rc = ENAS_ERULES;
		goto fail;
	}
	/* records/<dir>/ is the kind's directory, and nothing else. */
	if (!dirn || !islower((unsigned char)r->dir[0]) ||
	    r->dir[strspn(r->dir, "abcdefghijklmnopqrstuvwxyz0123456789_-")])
		bad(&ld, dirn, 0, "dir", "must be a word of lower-case "
		    "letters, digits, _ and -%s%s", NULL, NULL);
	if (fields->type != ENAS_MAP) {
		bad(&ld, fields, 0, NULL, "fields: must be a mapping of field "
		    "paths to rules%s%s", NULL, NULL);
		rc = ENAS_ERULES;
		goto fail;
	}
	rc = enas_pattern_compile(&p->id, r->id_src, idn->len,
	    ENAS_PATTERN_WHOLE, &off, msg, sizeof(msg));
	if (rc == ENAS_ENOMEM)
		goto fail;
	if (rc < 0) {
		enas_diag_report(fn, ctx, file, idn->line, idn->col +
		    (idn->quoted ? 1 : 0) + (int)off, ENAS_ERROR, "id", NULL,
		    "bad pattern: %s", msg);
		ld.errors++;
	}
	/*
	 * Room for the containers the paths imply: at most one at each '.'
	 * and each '[' ("a.b[]" implies "a" and "a.b").
	 */
	for (k = fields->child, n = 0; k; k = k->next, n++)
		for (off = 0; k->key[off]; off++)
			n += k->key[off] == '.' || k->key[off] == '[';
	r->nfields = fields->nchild;
	if (!(r->fields = enas_calloc(n, sizeof(*r->fields))) ||
	    !(p->fp = enas_calloc(n, sizeof(*p->fp))) ||
	    !(p->sorted = enas_calloc(n, sizeof(struct enas_field *))) ||
	    !(p->implied = enas_calloc(n, sizeof(*p->implied)))) {
		rc = ENAS_ENOMEM;
		goto fail;
	}
	for (i = 0, k = fields->child; k; k = k->next, i++) {
		r->fields[i].priv = &p->fp[i];
		load_field(&ld, k, &r->fields[i], &p->fp[i]);
		p->sorted[i] = &r->fields[i];
	}
	qsort(p->sorted, r->nfields, sizeof(struct enas_field *), cmp_field);
	if ((rc = imply(r, fields)) < 0)
		goto fail;
	settle(&ld, r);
	conditions(&ld, r, fields);
	if (r->date && (!(f = (struct enas_field *)enas_rules_field(r,
	    r->date)) || f->type != ENAS_DATE))
		bad(&ld, rec->root, 0, "date", "'%s' is not a declared field "
		    "of type date%s", r->date, NULL);
	check_template(&ld, r, pathn);
	if (commitn)
		load_commit(&ld, r, commitn);
	if (ld.errors) {
		rc = ld.nomem ? enas_error_nomem() : ENAS_ERULES;
		goto fail;
	}
	*out = r;
	return 0;
fail:
	enas_rules_free(r);
	return rc;
}

void
enas_rules_free(struct enas_rules *r)
{
	struct rules_priv *p;
	size_t i;

	if (!r)
		return;
	p = r->priv;
	for (i = 0; p->fp && i < r->nfields; i++) {
		enas_pattern_free(p->fp[i].match);
		enas_pattern_free(p->fp[i].deny);
		enas_expr_free(p->fp[i].required_if);
		enas_expr_free(p->fp[i].forbidden_if);
		free(r->fields[i].enums);
		free(r->fields[i].bands);
	}
	for (i = 0; i < r->commit.ndeny; i++)
		enas_pattern_free(r->commit.deny[i]);
	free(r->commit.deny);
	free(r->commit.deny_name);
	free(r->commit.deny_src);
	enas_pattern_free(p->id);
	for (i = 0; i < p->nimplied; i++)
		free(p->implied[i]);
	free(p->implied);
	free(p->fp);
	free(p->sorted);
	free(r->fields);
	enas_record_free(p->src);
	free((char *)r->file);
	free(p);
	free(r);
}
