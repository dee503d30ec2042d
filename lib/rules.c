/*
 * rules.c: load a kind's rules file, compile it once, and check records
 * against it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "expr.h"
#include "i18n.h"
#include "lang.h"
#include "pattern.h"
#include "rules.h"
#include "rules_priv.h"

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
	"labels", NULL
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

/*
 * Report a rules error: fmt takes exactly two strings, a and b (NULL
 * for ""), so a message with fewer ends in "%s" or "%s%s" that print
 * nothing.
 */
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
	/* TRANSLATORS: %s is a keyword of the rules (type, enum...).  In
	   the messages of the rules, a trailing %s or %s%s prints nothing
	   but must stay. */
	if (n->type != ENAS_SCALAR) {
		bad(ld, n, 0, field, _("%s: must be a single value"), n->key,
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
		bad(ld, n, 0, field, _("%s: must be true or false, not '%s'"),
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
		    NULL, _("%s: bad pattern: %s"), n->key, where);
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
		bad(ld, n, 0, f->path, _("%s: '%s' is not a number, a date, "
		    "today or a field name"), n->key, v);
}

static void
bands(struct loader *ld, const struct enas_node *n, struct enas_field *f)
{
	const struct enas_node *c;
	struct enas_band *b;
	const char *dash;
	size_t i = 0;

	if (n->type != ENAS_SEQ) {
		bad(ld, n, 0, f->path, _("bands: must be a list of ranges, "
		    "e.g. [0-5, 6-11]"), NULL, NULL);
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
			bad(ld, c, 0, f->path, _("bands: '%s' is not a range "
			    "LOW-HIGH"), c->type == ENAS_SCALAR ? c->value : "",
			    NULL);
			continue;
		}
		if (i > 0 && b->lo <= f->bands[i - 1].hi) {
			bad(ld, c, 0, f->path, _("bands: '%s' overlaps or is "
			    "below the band before it"), c->value, NULL);
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
		bad(ld, n, 0, f->path, _("a field's rule is a mapping of "
		    "keywords, e.g. {required: true}"), NULL, NULL);
		return;
	}
	for (k = n->child; k; k = k->next) {
		if (!in_list(keywords, k->key)) {
			bad(ld, k, 1, f->path, _("unknown keyword '%s' "
			    "(expected required, type, match, deny, enum, "
			    "min, max, bands, ref, required_if, forbidden_if, "
			    "unique, level, message or labels)%s"), k->key,
			    NULL);
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
				bad(ld, k, 0, f->path, _("type: '%s' is not "
				    "one of text, int, date, bool, list%s"), v,
				    NULL);
		} else if (strcmp(k->key, "match") == 0) {
			fp->match = pattern(ld, k, f->path, ENAS_PATTERN_WHOLE);
			f->match_src = k->value;
		} else if (strcmp(k->key, "deny") == 0) {
			fp->deny = pattern(ld, k, f->path, 0);
			f->deny_src = k->value;
		} else if (strcmp(k->key, "enum") == 0) {
			const struct enas_node *c;

			fp->enums = k;
			if (k->type != ENAS_SEQ) {
				bad(ld, k, 0, f->path, _("enum: must be a list "
				    "of values, e.g. [a, b]%s%s"), NULL, NULL);
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
					bad(ld, c, 0, f->path, _("enum: "
					    "values must be non-empty "
					    "words%s%s"), NULL, NULL);
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
				bad(ld, k, 0, f->path, _("level: must be error "
				    "or warning, not '%s'%s"), v, NULL);
		} else if (strcmp(k->key, "message") == 0) {
			/* A mapping of languages is read by texts(). */
			fp->message = k;
			if (k->type != ENAS_MAP)
				f->message = scalar(ld, k, f->path);
		} else if (strcmp(k->key, "labels") == 0)
			fp->labels = k;
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
			bad(ld, n, 1, f->path, _("a container field takes only "
			    "required, required_if, forbidden_if, level and "
			    "message%s%s"), NULL, NULL);
		if (f->type != ENAS_INT && f->type != ENAS_DATE &&
		    (f->min.set || f->max.set))
			bad(ld, n, 1, f->path, _("min and max need type int or "
			    "date%s%s"), NULL, NULL);
		if (f->type != ENAS_INT && f->bands)
			bad(ld, n, 1, f->path, _("bands need type int%s%s"),
			    NULL, NULL);
		if (f->type == ENAS_DATE && ((f->min.set && !f->min.field &&
		    !f->min.today && f->min.num < 0) || (f->max.set &&
		    !f->max.field && !f->max.today && f->max.num < 0)))
			bad(ld, n, 1, f->path, _("a date bound is a date, "
			    "today or a field%s%s"), NULL, NULL);
		if (f->min.set && f->max.set && !f->min.field &&
		    !f->max.field && !f->min.today && !f->max.today &&
		    f->min.num > f->max.num)
			bad(ld, n, 1, f->path, _("min is above max: no value "
			    "can keep both%s%s"), NULL, NULL);
		if (f->min.field && !enas_rules_field(r, f->min.field))
			bad(ld, n, 1, f->path, _("min: '%s' is not a declared "
			    "field%s"), f->min.field, NULL);
		if (f->max.field && !enas_rules_field(r, f->max.field))
			bad(ld, n, 1, f->path, _("max: '%s' is not a declared "
			    "field%s"), f->max.field, NULL);
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
		bad(ld, n, 0, "path", _("the template must end in "
		    "{id}.yaml%s%s"), NULL, NULL);
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
			bad(ld, n, 0, "path", _("'%s' is not allowed in the "
			    "template%s"), len == 0 ? (seg == s ? _("/ at the "
			    "start") : "//") : len == 1 ? "." : "..", NULL);
			return;
		}
	}
	for (; *s; s++) {
		if (*s != '{') {
			if (!isalnum((unsigned char)*s) && !strchr("_-./", *s))
				bad(ld, n, 0, "path", _("'%s' is not allowed "
				    "in the template%s"), (char[]){ *s, 0 },
				    NULL);
			continue;
		}
		if (!(close = strchr(s, '}')) || (len = (size_t)(close - s - 1))
		    >= sizeof(name) || len == 0) {
			bad(ld, n, 0, "path", _("unclosed or empty {} in the "
			    "template%s%s"), NULL, NULL);
			return;
		}
		memcpy(name, s + 1, len);
		name[len] = '\0';
		if (len > 5 && strcmp(name + len - 5, ":year") == 0)
			name[len - 5] = '\0';
		if (strcmp(name, "id") != 0 && !enas_rules_field(r, name))
			bad(ld, n, 0, "path", _("{%s} is not a declared "
			    "field%s"), name, NULL);
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

/* The position of value in f's enum, or -1. */
static int
enum_index(const struct enas_field *f, const char *value)
{
	size_t i;

	for (i = 0; i < f->nenums; i++)
		if (strcmp(f->enums[i], value) == 0)
			return (int)i;
	return -1;
}

/* The text of scalar n, or NULL if it is not one non-empty text. */
static const char *
text_of(const struct enas_node *n)
{
	return n && n->type == ENAS_SCALAR && n->len ? n->value : NULL;
}

/* The node that tr (n of them) has for language lang, or NULL. */
static const struct enas_node *
tr_get(const struct tr *tr, size_t n, const char *lang)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tr[i].lang, lang) == 0)
			return tr[i].n;
	return NULL;
}

/*
 * Add language lang's node n to tr (*n of them), for field f: what is
 * "message" or "labels".  A language given twice, or one that is not a
 * code, is a rules error.
 */
static void
tr_add(struct loader *ld, struct tr *tr, size_t *nt, const char *what,
    const struct enas_field *f, const char *lang, const struct enas_node *n)
{
	/* TRANSLATORS: the first %s is the keyword message or labels, the
	   second what was written where a language code (en, fr) goes. */
	if (!enas_lang_code_ok(lang))
		bad(ld, n, 1, f->path, _("%s: '%s' is not a language code "
		    "such as en, fr or ar"), what, lang);
	/* TRANSLATORS: "message: fr is given twice": a keyword, then a
	   language code. */
	else if (tr_get(tr, *nt, lang))
		bad(ld, n, 1, f->path, _("%s: %s is given twice"), what, lang);
	else if (*nt == ENAS_TR_MAX)
		bad(ld, n, 1, f->path, _("%s: more than 16 languages%s"), what,
		    NULL);
	else {
		tr[*nt].lang = lang;
		tr[(*nt)++].n = n;
	}
}

/* A field's message: (one text, English, or a mapping of languages). */
static void
field_messages(struct loader *ld, const struct enas_field *f,
    struct field_priv *fp)
{
	const struct enas_node *c, *n = fp->message;

	if (!n)
		return;
	if (n->type != ENAS_MAP) {
		if (text_of(n))
			tr_add(ld, fp->msg, &fp->nmsg, "message", f, "en", n);
		return;
	}
	for (c = n->child; c; c = c->next)
		if (!text_of(c))
			bad(ld, c, 0, f->path, _("message: %s: must be one "
			    "non-empty text%s"), c->key, NULL);
		else
			tr_add(ld, fp->msg, &fp->nmsg, "message", f, c->key, c);
}

/* A field's labels:, {LANG: {VALUE: LABEL, ...}, ...}. */
static void
field_labels(struct loader *ld, const struct enas_field *f,
    struct field_priv *fp)
{
	const struct enas_node *c, *n = fp->labels;

	if (!n)
		return;
	if (n->type != ENAS_MAP) {
		bad(ld, n, 0, f->path, _("labels: must be a mapping of "
		    "languages to values and labels, e.g. {fr: {male: garçon}}"
		    "%s%s"), NULL, NULL);
		return;
	}
	for (c = n->child; c; c = c->next)
		tr_add(ld, fp->lab, &fp->nlab, "labels", f, c->key, c);
}

/*
 * The translations: section: {LANG: {FIELD: {message: TEXT, labels:
 * {VALUE: LABEL, ...}}, ...}, ...}, one language's texts together, as
 * a translator writes them.  The same as a field's own message: and
 * labels: in that language.
 */
static void
translations(struct loader *ld, struct enas_rules *r,
    const struct enas_node *n)
{
	const struct enas_node *l, *fn, *k;
	struct enas_field *f;
	struct field_priv *fp;

	if (n->type != ENAS_MAP) {
		bad(ld, n, 0, "translations", _("must be a mapping of "
		    "languages to fields, e.g. {fr: {sex: {labels: {male: "
		    "garçon}}}}%s%s"), NULL, NULL);
		return;
	}
	for (l = n->child; l; l = l->next) {
		if (!enas_lang_code_ok(l->key) || l->type != ENAS_MAP) {
			bad(ld, l, 1, "translations", _("'%s' is not a "
			    "language code such as en, fr or ar with a mapping "
			    "of fields%s"), l->key, NULL);
			continue;
		}
		for (fn = l->child; fn; fn = fn->next) {
			if (!(f = (struct enas_field *)enas_rules_field(r,
			    fn->key))) {
				bad(ld, fn, 1, "translations", _("%s: '%s' is "
				    "not a declared field"), l->key, fn->key);
				continue;
			}
			fp = f->priv;
			if (fn->type != ENAS_MAP) {
				bad(ld, fn, 0, f->path, _("translations: %s: "
				    "must be a mapping of message and "
				    "labels%s"), l->key, NULL);
				continue;
			}
			/*
			 * The translation of a message the field no longer
			 * has is left aside: it is shown nowhere.
			 */
			for (k = fn->child; k; k = k->next)
				if (strcmp(k->key, "message") == 0 &&
				    text_of(k)) {
					if (fp->message)
						tr_add(ld, fp->msg, &fp->nmsg,
						    "message", f, l->key, k);
				} else if (strcmp(k->key, "labels") == 0)
					tr_add(ld, fp->lab, &fp->nlab,
					    "labels", f, l->key, k);
				else
					bad(ld, k, 1, f->path,
					    _("translations: %s: '%s' is not "
					    "message (one text) or labels"),
					    l->key, k->key);
		}
	}
}

/*
 * Field f's texts in the user's languages (langs, nl): its message, the
 * first that it has (en, which it must have, last); each enum value's
 * label, the first that labels it.
 */
static void
choose(struct loader *ld, struct enas_field *f, const struct field_priv *fp,
    char langs[][ENAS_LANG_LEN], size_t nl)
{
	const struct enas_node *n, *v;
	size_t i, j;

	if (fp->nmsg && !tr_get(fp->msg, fp->nmsg, "en")) {
		bad(ld, fp->message ? fp->message : fp->msg[0].n, 1, f->path,
		    _("message: there is no en text, the one shown when no "
		    "other language fits%s%s"), NULL, NULL);
		return;
	}
	for (i = 0; i < nl && fp->nmsg; i++)
		if ((n = tr_get(fp->msg, fp->nmsg, langs[i]))) {
			f->message = n->value;
			break;
		}
	if (!fp->nlab)
		return;
	if (!f->nenums) {
		bad(ld, fp->lab[0].n, 1, f->path, _("labels: there is no "
		    "enum: labels name the values of an enum%s%s"), NULL, NULL);
		return;
	}
	for (j = 0; j < fp->nlab; j++) {
		n = fp->lab[j].n;
		if (n->type != ENAS_MAP) {
			bad(ld, n, 0, f->path, _("labels: %s: must be a "
			    "mapping of values to labels, e.g. {male: garçon}"
			    "%s"), fp->lab[j].lang, NULL);
			continue;
		}
		for (v = n->child; v; v = v->next)
			if (enum_index(f, v->key) < 0)
				bad(ld, v, 1, f->path, _("labels: %s: '%s' is "
				    "not a value of the enum"),
				    fp->lab[j].lang, v->key);
			else if (!text_of(v))
				bad(ld, v, 0, f->path, _("labels: %s: %s: must "
				    "be one non-empty text"), fp->lab[j].lang,
				    v->key);
	}
	if (!(f->labels = enas_calloc(f->nenums + 1, sizeof(*f->labels)))) {
		out_of_memory(ld);
		return;
	}
	for (i = 0; i < f->nenums; i++)
		for (j = 0; j < nl && !f->labels[i]; j++)
			if ((n = tr_get(fp->lab, fp->nlab, langs[j])) &&
			    n->type == ENAS_MAP)
				f->labels[i] = text_of(enas_node_get(n,
				    f->enums[i]));
}

/* The translated texts of every field, in the user's languages. */
static void
texts(struct loader *ld, struct enas_rules *r, const struct enas_node *tn)
{
	struct rules_priv *p = r->priv;
	char langs[ENAS_LANG_MAX][ENAS_LANG_LEN];
	size_t i, nl = enas_lang_user(langs);

	for (i = 0; i < r->nfields; i++) {
		field_messages(ld, &r->fields[i], &p->fp[i]);
		field_labels(ld, &r->fields[i], &p->fp[i]);
	}
	if (tn)
		translations(ld, r, tn);
	for (i = 0; i < r->nfields; i++)
		choose(ld, &r->fields[i], &p->fp[i], langs, nl);
}

/* Add the languages of tr (nt) to those in use (n of max). */
static size_t
in_use(const char **used, size_t n, size_t max, const struct tr *tr,
    size_t nt)
{
	size_t i, j;

	for (j = 0; j < nt && n < max; j++) {
		for (i = 0; i < n && strcmp(used[i], tr[j].lang) != 0; i++)
			;
		if (i == n)
			used[n++] = tr[j].lang;
	}
	return n;
}

static void
warn_at(struct loader *ld, const struct enas_node *n, const char *field,
    const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a, b ? b : "");
	enas_diag_report(ld->fn, ld->ctx, ld->file, n->key_line, n->key_col,
	    ENAS_WARNING, field, NULL, "%s", msg);
}

/* Warn where field f lacks language lang, which the file uses. */
static void
complete(struct loader *ld, const struct enas_field *f,
    const struct field_priv *fp, const char *lang)
{
	const struct enas_node *l;
	size_t i;

	/* TRANSLATORS: %s is a language code (fr, ar); the final %s is
	   always empty: keep it at the end. */
	if (fp->nmsg && !tr_get(fp->msg, fp->nmsg, lang))
		warn_at(ld, fp->message, f->path, _("no %s message%s"), lang,
		    NULL);
	if (!f->nenums)
		return;
	if (!(l = tr_get(fp->lab, fp->nlab, lang))) {
		warn_at(ld, fp->labels ? fp->labels : fp->enums, f->path,
		    _("no %s labels%s"), lang, NULL);
		return;
	}
	for (i = 0; i < f->nenums; i++)
		if (!text_of(enas_node_get(l, f->enums[i])))
			/* TRANSLATORS: a language code (fr), then a value
			   of the enum, a code written in records. */
			warn_at(ld, l, f->path, _("no %s label for '%s'"),
			    lang, f->enums[i]);
}

/*
 * A language used anywhere in the file, for a message or labels, is
 * one the file means to give: warn where a message or an enum lacks
 * it.  English is the exception: a plain message is English, and a
 * value without an en label is shown as its code.
 */
void
enas_rules_lint(const struct enas_rules *r, enas_diag_fn fn, void *ctx)
{
	struct loader l = { r->file, fn, ctx, 0, 0 }, *ld = &l;
	const struct rules_priv *p = r->priv;
	const char *used[32];
	size_t i, j, n = 0;

	for (i = 0; i < r->nfields; i++) {
		n = in_use(used, n, 32, p->fp[i].msg, p->fp[i].nmsg);
		n = in_use(used, n, 32, p->fp[i].lab, p->fp[i].nlab);
	}
	for (j = 0; j < n; j++)
		if (strcmp(used[j], "en") != 0)
			for (i = 0; i < r->nfields; i++)
				complete(ld, &r->fields[i], &p->fp[i],
				    used[j]);
}

const char *
enas_rules_label(const struct enas_field *f, const char *value)
{
	int i;

	if (!f->labels || (i = enum_index(f, value)) < 0)
		return NULL;
	return f->labels[i];
}

/* A label to print at the end of a line of a record. */
struct note {
	int line;
	const char *label;
};

struct notes {
	struct note *v;
	size_t n, cap;
};

/*
 * The labels of the enum values at and below node n, reached by the
 * field path path, into ns in file order.
 */
static int
note(struct notes *ns, const struct enas_rules *r, const struct enas_node *n,
    const char *path)
{
	const struct enas_field *f = enas_rules_field(r, path);
	const struct enas_node *c;
	const char *label;
	char sub[512];
	void *more;

	if (n->type == ENAS_SCALAR) {
		/* "site: nador  # Nador" would say nothing */
		if (!f || !(label = enas_rules_label(f, n->value)) ||
		    strcasecmp(label, n->value) == 0)
			return 0;
		if (ns->n == ns->cap) {
			ns->cap = ns->cap ? 2 * ns->cap : 32;
			if (!(more = enas_realloc(ns->v, ns->cap *
			    sizeof(*ns->v))))
				return ENAS_ENOMEM;
			ns->v = more;
		}
		ns->v[ns->n].line = n->line;
		ns->v[ns->n++].label = label;
		return 0;
	}
	for (c = n->child; c; c = c->next) {
		if (n->type == ENAS_MAP)
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ?
			    "." : "", c->key);
		else if (c->type != ENAS_SCALAR || !f || !f->labels)
			snprintf(sub, sizeof(sub), "%s[]", path);
		else
			snprintf(sub, sizeof(sub), "%s", path);
		if (note(ns, r, c, sub) < 0)
			return ENAS_ENOMEM;
	}
	return 0;
}

int
enas_rules_annotate(struct enas_buf *out, const struct enas_rules *r,
    const struct enas_record *rec, const char *buf, size_t len)
{
	struct notes ns = { NULL, 0, 0 };
	const char *eol;
	size_t off = 0, k = 0, n;
	int line = 1, first, rc;

	if ((rc = note(&ns, r, rec->root, "")) < 0)
		goto out;
	for (; off < len; off += n, line++) {
		eol = memchr(buf + off, '\n', len - off);
		n = eol ? (size_t)(eol - (buf + off)) : len - off;
		if ((rc = enas_buf_add(out, buf + off, n)) < 0)
			goto out;
		for (; k < ns.n && ns.v[k].line < line; k++)
			;
		for (first = 1; k < ns.n && ns.v[k].line == line; k++,
		    first = 0)
			if ((rc = enas_buf_printf(out, "%s %s", first ? "  #" :
			    ";", ns.v[k].label)) < 0)
				goto out;
		if (eol) {
			if ((rc = enas_buf_add(out, "\n", 1)) < 0)
				goto out;
			n++;
		}
	}
	rc = 0;
out:
	free(ns.v);
	return rc < 0 ? ENAS_ENOMEM : 0;
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
	const struct enas_node *dirn = NULL, *commitn = NULL, *transn = NULL;
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
		else if (strcmp(k->key, "translations") == 0)
			transn = k;
		else if (strcmp(k->key, "description") != 0)
			bad(&ld, k, 1, NULL, _("unknown key '%s' (expected "
			    "kind, dir, path, id, date, fields, commit, "
			    "translations or description)%s"), k->key, NULL);
	}
	if (!r->kind || !r->dir || !r->path || !r->id_src || !idn || !fields) {
		bad(&ld, rec->root, 0, NULL, _("a rules file needs kind, dir, "
		    "path, id and fields%s%s"), NULL, NULL);
		rc = ENAS_ERULES;
		goto fail;
	}
	/* records/<dir>/ is the kind's directory, and nothing else. */
	if (!dirn || !islower((unsigned char)r->dir[0]) ||
	    r->dir[strspn(r->dir, "abcdefghijklmnopqrstuvwxyz0123456789_-")])
		bad(&ld, dirn, 0, "dir", _("must be a word of lower-case "
		    "letters, digits, _ and -%s%s"), NULL, NULL);
	if (fields->type != ENAS_MAP) {
		bad(&ld, fields, 0, NULL, _("fields: must be a mapping of "
		    "field paths to rules%s%s"), NULL, NULL);
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
		    _("bad pattern: %s"), msg);
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
	texts(&ld, r, transn);
	if (r->date && (!(f = (struct enas_field *)enas_rules_field(r,
	    r->date)) || f->type != ENAS_DATE))
		bad(&ld, rec->root, 0, "date", _("'%s' is not a declared field "
		    "of type date%s"), r->date, NULL);
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
		free(r->fields[i].labels);
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
