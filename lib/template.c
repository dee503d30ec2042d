/*
 * template.c: a new record's text from the rules, and its tidying.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "diff.h"
#include "find.h"
#include "i18n.h"
#include "kinds.h"
#include "record.h"
#include "suggest.h"
#include "template.h"
#include "yamlout.h"

#define WRAP 76		/* columns of a comment line */

/* ENAS_EUSAGE: path is not a field of r, and why. */
static int
undeclared(const struct enas_rules *r, const char *path)
{
	struct enas_buf why = ENAS_BUF_INIT;
	int rc;

	if (enas_suggest_field(&why, r, path) < 0)
		return ENAS_ENOMEM;
	/* TRANSLATORS: a field, the rules file, then an explanation that
	   starts with "; " or is empty */
	rc = enas_error_set(ENAS_EUSAGE, _("%.64s: field not declared in %s%s"),
	    path, r->file, why.data ? why.data : "");
	enas_buf_free(&why);
	return rc;
}

int
enas_template_check(const struct enas_rules *r,
    const struct enas_setting *set, size_t n)
{
	const struct enas_field *f;
	const unsigned char *v;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (strcmp(set[i].path, "id") == 0)
			return enas_error_set(ENAS_EUSAGE,
			    _("id: a new record's id is drawn, not set"));
		if (!(f = enas_rules_field(r, set[i].path)))
			return undeclared(r, set[i].path);
		if (strchr(set[i].path, '['))
			/* TRANSLATORS: %s is a field */
			return enas_error_set(ENAS_EUSAGE, _("%s: a field "
			    "inside a list of items is filled in the editor"),
			    set[i].path);
		if (f->type == ENAS_MAPPING || f->type == ENAS_ITEMS)
			/* TRANSLATORS: a field, twice; keep FIELD=VALUE */
			return enas_error_set(ENAS_EUSAGE, _("%s: holds other "
			    "fields; set those (%s.FIELD=VALUE)"), set[i].path,
			    set[i].path);
		for (j = 0; j < i; j++)
			if (strcmp(set[j].path, set[i].path) == 0)
				return enas_error_set(ENAS_EUSAGE, _("%s: set "
				    "twice"), set[i].path);
		for (v = (const unsigned char *)set[i].value; *v; v++)
			if (*v < 0x20 || *v == 0x7f)
				return enas_error_set(ENAS_EUSAGE, _("%s: the "
				    "value holds a control character"),
				    set[i].path);
	}
	return 0;
}

/* The setting for path, or NULL. */
static const char *
setting(const struct enas_setting *set, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(set[i].path, path) == 0)
			return set[i].value;
	return NULL;
}

/* Append text to b as comment lines at indent, wrapped at WRAP. */
static int
comment(struct enas_buf *b, int indent, const char *lead, const char *text)
{
	size_t col, w, lead_n = strlen(lead);
	const char *s = text;
	int first = 1;

	if (enas_buf_printf(b, "%*s#%s", indent, "", lead) < 0)
		return ENAS_ENOMEM;
	col = (size_t)indent + 1 + strlen(lead);
	while (*s) {
		while (*s == ' ')
			s++;
		for (w = 0; s[w] && s[w] != ' '; w++)
			;
		if (!w)
			break;
		if (!first && col + 1 + w > WRAP) {
			if (enas_buf_printf(b, "\n%*s#%s   ", indent, "",
			    lead) < 0)
				return ENAS_ENOMEM;
			col = (size_t)indent + 1 + lead_n + 3;
		} else if (enas_buf_puts(b, " ") < 0)
			return ENAS_ENOMEM;
		else
			col++;
		if (enas_buf_add(b, s, w) < 0)
			return ENAS_ENOMEM;
		col += w;
		s += w;
		first = 0;
	}
	return enas_buf_puts(b, "\n");
}

/*
 * ", " and a bound in words into b; fmt is a translated phrase with one
 * %s, the bound: today, a field or a number.
 */
static int
bound_text(struct enas_buf *b, const struct enas_field *f,
    const struct enas_bound *bd, const char *fmt)
{
	char num[32];
	const char *v = num;

	if (!bd->set)
		return 0;
	if (bd->today)
		/* TRANSLATORS: a bound, as in "not after today" */
		v = _("today");
	else if (bd->field)
		v = bd->field;
	else if (f->type == ENAS_DATE)
		enas_date_format(num, bd->num);
	else
		snprintf(num, sizeof(num), "%lld", bd->num);
	if (enas_buf_puts(b, ", ") < 0)
		return ENAS_ENOMEM;
	return enas_buf_printf(b, fmt, v);
}

/* "; " into b, when b already says something. */
static int
sep(struct enas_buf *b)
{
	return b->len ? enas_buf_puts(b, "; ") : 0;
}

/* The ids listed for a ref field of kind: when there are few enough. */
#define REFS_MAX 40

static const struct enas_template_refs *
refs_of(const struct enas_template_refs *refs, const char *kind)
{
	for (; refs && refs->kind; refs++)
		if (strcmp(refs->kind, kind) == 0 && refs->n > 0 &&
		    refs->n <= REFS_MAX)
			return refs;
	return NULL;
}

/* What field f takes, in words, into b (emptied first). */
static int
hint(struct enas_buf *b, const struct enas_field *f,
    const struct enas_template_refs *refs)
{
	const struct enas_template_refs *ids;
	size_t i;
	int rc = 0;

	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	switch (f->type) {
	case ENAS_INT:
		rc = enas_buf_puts(b, _("a whole number"));
		/* TRANSLATORS: %s is a number or a field */
		if (rc == 0)
			rc = bound_text(b, f, &f->min, _("at least %s"));
		/* TRANSLATORS: %s is a number or a field */
		if (rc == 0)
			rc = bound_text(b, f, &f->max, _("at most %s"));
		break;
	case ENAS_DATE:
		rc = enas_buf_puts(b, _("a date, YYYY-MM-DD"));
		/* TRANSLATORS: %s is a date, a field or "today" */
		if (rc == 0)
			rc = bound_text(b, f, &f->min, _("not before %s"));
		/* TRANSLATORS: %s is a date, a field or "today" */
		if (rc == 0)
			rc = bound_text(b, f, &f->max, _("not after %s"));
		break;
	case ENAS_BOOL:
		rc = enas_buf_puts(b, _("true for yes, false for no"));
		break;
	case ENAS_LIST:
		/* TRANSLATORS: the allowed values follow, after a space */
		rc = enas_buf_puts(b, f->nenums ? _("a list, [a, b], of:") :
		    _("a list, [a, b]"));
		break;
	default:
		if (f->nenums)
			/* TRANSLATORS: the allowed values follow */
			rc = enas_buf_puts(b, _("one of:"));
		break;
	}
	/* the codes are what is written; a label says what one means */
	for (i = 0; rc == 0 && i < f->nenums; i++) {
		const char *l = f->labels ? f->labels[i] : NULL;

		if (l && strcasecmp(l, f->enums[i]) == 0)
			l = NULL;	/* nador (Nador) says nothing */
		rc = enas_buf_printf(b, "%s%s%s%s%s", i ? ", " : " ",
		    f->enums[i], l ? " (" : "", l ? l : "", l ? ")" : "");
	}
	if (rc == 0 && f->ref && (ids = refs_of(refs, f->ref))) {
		/* TRANSLATORS: %s is a kind of record; the ids follow */
		if ((rc = sep(b)) == 0)
			rc = enas_buf_printf(b,
			    _("the id of a %s record, one of:"), f->ref);
		for (i = 0; rc == 0 && i < ids->n; i++)
			rc = enas_buf_printf(b, "%s%s", i ? ", " : " ",
			    ids->ids[i]);
	} else if (rc == 0 && f->ref && (rc = sep(b)) == 0)
		/* TRANSLATORS: %s is a kind of record (case, session...) */
		rc = enas_buf_printf(b, _("the id of a %s record"), f->ref);
	/* the pattern, unless the rule says in words what it wants */
	/* TRANSLATORS: %s is a regular expression */
	if (rc == 0 && f->match_src && !f->message && (rc = sep(b)) == 0)
		rc = enas_buf_printf(b, _("matching %s"), f->match_src);
	/* TRANSLATORS: %s is a condition, as in "age < 18" */
	if (rc == 0 && f->required_if_src && (rc = sep(b)) == 0)
		rc = enas_buf_printf(b, _("required when %s"),
		    f->required_if_src);
	/* TRANSLATORS: %s is a condition, as in "age < 18" */
	if (rc == 0 && f->forbidden_if_src && (rc = sep(b)) == 0)
		rc = enas_buf_printf(b, _("absent when %s"),
		    f->forbidden_if_src);
	if (rc == 0 && f->message)
		rc = enas_buf_printf(b, "%s%s", b->len ? " -- " : "",
		    f->message);
	return rc < 0 ? ENAS_ENOMEM : 0;
}

/* The position, in the rules, of the first field at or below path. */
static size_t
first_index(const struct enas_rules *r, const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < r->nfields; i++)
		if (strncmp(r->fields[i].path, path, n) == 0 &&
		    strchr(".[", r->fields[i].path[n]))
			return i;
	return r->nfields;
}

/* Whether f is needed in a new record: required, or holds one. */
static int
needed(const struct enas_rules *r, const struct enas_field *f)
{
	size_t i, n = strlen(f->path);

	if (f->required)
		return 1;
	if (f->type != ENAS_MAPPING)
		return 0;
	for (i = 0; i < r->nfields; i++)
		if (strncmp(r->fields[i].path, f->path, n) == 0 &&
		    r->fields[i].path[n] == '.' &&
		    needed(r, &r->fields[i]))
			return 1;
	return 0;
}

/*
 * The fields directly below prefix ("" for the top, "consent." or
 * "referrals[]."), in the order of the rules, into list (n of them).
 */
static size_t
children(const struct enas_rules *r, const char *prefix,
    const struct enas_field **list)
{
	const struct enas_field *f;
	size_t i, j, k, n = 0, plen = strlen(prefix);

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (strncmp(f->path, prefix, plen) != 0 ||
		    strpbrk(f->path + plen, ".[") || !f->path[plen])
			continue;
		/* insertion by first_index */
		for (j = n; j > 0 && first_index(r, list[j - 1]->path) >
		    first_index(r, f->path); j--)
			;
		for (k = n; k > j; k--)
			list[k] = list[k - 1];
		list[j] = f;
		n++;
	}
	return n;
}

static int emit_level(struct enas_buf *b, const struct enas_rules *r,
    const char *prefix, int indent, const struct enas_setting *set,
    size_t nset, int top, const struct enas_template_refs *refs);

static int
emit_items(struct enas_buf *b, const struct enas_rules *r,
    const struct enas_field *f, int indent, struct enas_buf *h,
    const struct enas_template_refs *refs)
{
	const struct enas_field **list;
	struct enas_buf prefix = ENAS_BUF_INIT, line = ENAS_BUF_INIT;
	const char *key = strrchr(f->path, '.') ? strrchr(f->path, '.') + 1 :
	    f->path;
	size_t i, n;
	int rc = ENAS_ENOMEM;

	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (!(list = enas_calloc(r->nfields + 1, sizeof(*list))) ||
	    enas_buf_printf(&prefix, "%s[].", f->path) < 0)
		goto out;
	n = children(r, prefix.data, list);
	if (enas_buf_printf(&line, "%s: %s%s%s", key, _("a list; for each "
	    "item, copy the lines below it without their '#' and fill them "
	    "in"), f->message ? " -- " : "",
	    f->message ? f->message : "") < 0 ||
	    comment(b, indent, "", line.data) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (hint(h, list[i], refs) < 0)
			goto out;
		line.len = 0;
		/* TRANSLATORS: a field, then what it takes in words */
		if (enas_buf_printf(&line, list[i]->required ?
		    _("%s: required; %s") : "%s: %s", list[i]->path +
		    prefix.len, h->len ? h->data : _("text")) < 0 ||
		    comment(b, indent, "  ", line.data) < 0)
			goto out;
	}
	if (enas_buf_printf(b, "%*s%s:\n", indent, "", key) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (enas_buf_printf(b, "%*s#%*s%s%s:\n", indent, "", 2, "",
		    i ? "  " : "- ", list[i]->path + prefix.len) < 0)
			goto out;
	rc = 0;
out:
	free(list);
	enas_buf_free(&prefix);
	enas_buf_free(&line);
	return rc;
}

/* One field at indent: its comment, then its line(s). */
static int
emit_field(struct enas_buf *b, const struct enas_rules *r,
    const struct enas_field *f, int indent, const struct enas_setting *set,
    size_t nset, const struct enas_template_refs *refs)
{
	struct enas_buf h = ENAS_BUF_INIT, prefix = ENAS_BUF_INIT;
	const char *key = strrchr(f->path, '.') ? strrchr(f->path, '.') + 1 :
	    f->path, *v, *comma;
	int rc = ENAS_ENOMEM;

	if (f->type == ENAS_ITEMS) {
		rc = emit_items(b, r, f, indent, &h, refs);
		goto out;
	}
	if (hint(&h, f, refs) < 0 ||
	    (h.len && comment(b, indent, "", h.data) < 0) ||
	    enas_buf_printf(b, "%*s%s:", indent, "", key) < 0)
		goto out;
	if (f->type == ENAS_MAPPING) {
		if (enas_buf_puts(b, "\n") < 0 ||
		    enas_buf_printf(&prefix, "%s.", f->path) < 0)
			goto out;
		rc = emit_level(b, r, prefix.data, indent + 2, set, nset, 0,
		    refs);
		goto out;
	}
	v = setting(set, nset, f->path);
	if (f->type == ENAS_LIST) {
		if (enas_buf_puts(b, " [") < 0)
			goto out;
		while (v && *v) {
			comma = strchr(v, ',');
			while (*v == ' ')
				v++;
			if (enas_yamlout_scalar(b, v,
			    comma ? (size_t)(comma - v) : strlen(v)) < 0)
				goto out;
			if (!comma)
				break;
			v = comma + 1;
			if (enas_buf_puts(b, ", ") < 0)
				goto out;
		}
		if (enas_buf_puts(b, "]") < 0)
			goto out;
	} else if (v && *v && (enas_buf_puts(b, " ") < 0 ||
	    enas_yamlout_scalar(b, v, strlen(v)) < 0))
		goto out;
	rc = enas_buf_puts(b, "\n");
out:
	enas_buf_free(&h);
	enas_buf_free(&prefix);
	return rc;
}

static int
emit_level(struct enas_buf *b, const struct enas_rules *r, const char *prefix,
    int indent, const struct enas_setting *set, size_t nset, int top,
    const struct enas_template_refs *refs)
{
	const struct enas_field **list;
	size_t i, n;
	int pass, rc = 0, said;

	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (!(list = enas_calloc(r->nfields + 1, sizeof(*list))))
		return ENAS_ENOMEM;
	n = children(r, prefix, list);
	for (pass = 1; pass >= 0 && rc == 0; pass--) {
		said = 0;
		for (i = 0; i < n && rc == 0; i++) {
			if (needed(r, list[i]) != pass ||
			    (top && strcmp(list[i]->path, "id") == 0))
				continue;
			if (top && !said) {
				/* TRANSLATORS: template comments: one line */
				rc = enas_buf_printf(b, "\n# %s\n", pass ?
				    _("Required.") :
				    _("Optional: fill in what you know."));
				said = 1;
			}
			if (rc == 0)
				rc = emit_field(b, r, list[i], indent, set,
				    nset, refs);
		}
	}
	free(list);
	return rc;
}

int
enas_template(struct enas_buf *b, const struct enas_rules *r, const char *id,
    const struct enas_setting *set, size_t n,
    const struct enas_template_refs *refs)
{
	/* TRANSLATORS: the head of a new record's template: %s is its
	   kind; every line must start with "# " and end with a newline */
	if (enas_buf_printf(b, _("# A new %s.  Lines that start with # and "
	    "fields left empty are\n# dropped when you save and quit.\n"),
	    r->kind) < 0 || enas_buf_printf(b, "id: %s\n", id) < 0)
		return ENAS_ENOMEM;
	return emit_level(b, r, "", 0, set, n, 1, refs);
}

/* Where a line starts and ends, and whether it is gone. */
struct line {
	const char *s;
	size_t n;
	int gone;
};

static size_t
indent_of(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && l->s[i] == ' ')
		i++;
	return i;
}

/* "key:" with nothing after it, or [] or {}. */
static int
empty_key(const struct line *l)
{
	size_t i = indent_of(l);

	if (i >= l->n || !islower((unsigned char)l->s[i]))
		return 0;
	while (i < l->n && (islower((unsigned char)l->s[i]) ||
	    isdigit((unsigned char)l->s[i]) || l->s[i] == '_'))
		i++;
	if (i >= l->n || l->s[i++] != ':')
		return 0;
	while (i < l->n && l->s[i] == ' ')
		i++;
	if (i + 2 <= l->n && (memcmp(l->s + i, "[]", 2) == 0 ||
	    memcmp(l->s + i, "{}", 2) == 0))
		i += 2;
	while (i < l->n && l->s[i] == ' ')
		i++;
	return i == l->n;
}

static int
same_record(const char *a, size_t alen, const char *b, size_t blen)
{
	struct enas_record *x = NULL, *y = NULL;
	struct enas_diff d = ENAS_DIFF_INIT;
	int rc;

	if ((rc = enas_record_parse(&x, a, alen, "a", 0, NULL, NULL)) < 0 ||
	    (rc = enas_record_parse(&y, b, blen, "b", 0, NULL, NULL)) < 0) {
		rc = rc == ENAS_ENOMEM ? rc : 0;
		goto out;
	}
	if ((rc = enas_diff_records(&d, x->root, y->root)) < 0)
		goto out;
	rc = d.n == 0;
out:
	enas_diff_free(&d);
	enas_record_free(x);
	enas_record_free(y);
	return rc;
}

int
enas_template_tidy(struct enas_buf *out, const char *buf, size_t len)
{
	struct line *lines = NULL;
	const char *s = buf, *nl;
	size_t n = 0, i, j, ind;
	int changed, rc;

	out->len = 0;
	for (s = buf; s < buf + len; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(buf + len - s));
		if (!nl)
			nl = buf + len;
		n++;
	}
	if (!(lines = enas_calloc(n + 1, sizeof(*lines))))
		return ENAS_ENOMEM;
	for (s = buf, i = 0; s < buf + len; s = nl + 1, i++) {
		nl = memchr(s, '\n', (size_t)(buf + len - s));
		if (!nl)
			nl = buf + len;
		lines[i].s = s;
		lines[i].n = (size_t)(nl - s);
		ind = indent_of(&lines[i]);
		lines[i].gone = ind == lines[i].n || lines[i].s[ind] == '#';
	}
	do {
		changed = 0;
		for (i = 0; i < n; i++) {
			if (lines[i].gone || !empty_key(&lines[i]))
				continue;
			for (j = i + 1; j < n && lines[j].gone; j++)
				;
			ind = indent_of(&lines[i]);
			/* a child: deeper, or "- " at the same column */
			if (j < n && (indent_of(&lines[j]) > ind ||
			    (indent_of(&lines[j]) == ind &&
			    lines[j].s[ind] == '-')))
				continue;
			lines[i].gone = 1;
			changed = 1;
		}
	} while (changed);
	for (i = 0; i < n; i++)
		if (!lines[i].gone && (enas_buf_add(out, lines[i].s,
		    lines[i].n) < 0 || enas_buf_add(out, "\n", 1) < 0)) {
			free(lines);
			return ENAS_ENOMEM;
		}
	free(lines);
	if (!out->data && enas_buf_add(out, "", 0) < 0)
		return ENAS_ENOMEM;
	if ((rc = same_record(buf, len, out->data, out->len)) == 1)
		return 1;
	out->len = 0;
	if (rc < 0 || enas_buf_add(out, buf, len) < 0)
		return ENAS_ENOMEM;
	return 0;
}

/*
 * Guidance for enas edit: comment lines put before line i of a record
 * (at[i], 1-based; at[nlines + 1] goes at the end).
 */
struct notes {
	const struct enas_rules *r;
	const struct enas_template_refs *refs;
	struct enas_buf *at;
	int nlines;
	struct enas_buf tmp, h;
};

/* The last line a node's key, value or children are on. */
static int
last_line(const struct enas_node *n)
{
	const struct enas_node *c;
	int l = n->line > n->key_line ? n->line : n->key_line, x;

	for (c = n->child; c; c = c->next)
		if ((x = last_line(c)) > l)
			l = x;
	return l;
}

/*
 * Append the text of field f as emit_field() writes it, at indent, to
 * b with its field lines commented out ("  #key:"), so that taking away
 * a '#' makes the line to write.
 */
static int
commented_field(struct notes *x, struct enas_buf *b,
    const struct enas_field *f, int indent)
{
	const char *s, *e, *end;
	size_t ind;

	x->tmp.len = 0;
	if (emit_field(&x->tmp, x->r, f, indent, NULL, 0, x->refs) < 0)
		return ENAS_ENOMEM;
	end = x->tmp.data + x->tmp.len;
	for (s = x->tmp.data; s < end; s = e + 1) {
		e = memchr(s, '\n', (size_t)(end - s));
		if (!e)
			e = end;
		for (ind = 0; s + ind < e && s[ind] == ' '; ind++)
			;
		if (enas_buf_add(b, s, ind) < 0 ||
		    (s + ind < e && s[ind] != '#' &&
		    enas_buf_puts(b, "#") < 0) ||
		    enas_buf_add(b, s + ind, (size_t)(e - s) - ind) < 0 ||
		    enas_buf_puts(b, "\n") < 0)
			return ENAS_ENOMEM;
	}
	return 0;
}

/* The fields below prefix that map (a mapping) lacks, commented. */
static int
absent(struct notes *x, struct enas_buf *b, const struct enas_node *map,
    const char *prefix, int indent, const char *lead)
{
	const struct enas_field **list;
	const char *key;
	size_t i, n;
	int rc = 0, said = 0;

	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (!(list = enas_calloc(x->r->nfields + 1, sizeof(*list))))
		return ENAS_ENOMEM;
	n = children(x->r, prefix, list);
	for (i = 0; i < n && rc == 0; i++) {
		key = list[i]->path + strlen(prefix);
		if (strcmp(list[i]->path, "id") == 0 ||
		    enas_node_get(map, key))
			continue;
		if (lead && !said++)
			rc = comment(b, indent, "", lead);
		if (rc == 0)
			rc = commented_field(x, b, list[i], indent);
	}
	free(list);
	return rc < 0 ? ENAS_ENOMEM : 0;
}

static int
note_map(struct notes *x, const struct enas_node *map, const char *prefix)
{
	const struct enas_node *m, *c;
	const struct enas_field *f, **list = NULL;
	struct enas_buf path = ENAS_BUF_INIT, line = ENAS_BUF_INIT;
	int ind, after, rc = ENAS_ENOMEM;
	size_t i, n;

	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (!(list = enas_calloc(x->r->nfields + 1, sizeof(*list))))
		return ENAS_ENOMEM;
	for (m = map->child; m; m = m->next) {
		path.len = 0;
		if (enas_buf_printf(&path, "%s%s", prefix, m->key) < 0)
			goto out;
		if (!(f = enas_rules_field(x->r, path.data)) ||
		    m->key_line < 1 || m->key_line > x->nlines)
			continue;
		ind = m->key_col - 1;
		if (f->type == ENAS_ITEMS) {
			/* what an item holds, and one to copy below */
			x->tmp.len = 0;
			if (emit_items(&x->tmp, x->r, f, ind, &x->h,
			    x->refs) < 0)
				goto out;
			/* keep its comment lines: drop "key:" and after */
			line.len = 0;
			if (enas_buf_printf(&line, "\n%*s%s:\n", ind, "",
			    m->key) < 0)
				goto out;
			for (i = 0; i + line.len <= x->tmp.len; i++)
				if (memcmp(x->tmp.data + i, line.data,
				    line.len) == 0)
					break;
			if (enas_buf_add(&x->at[m->key_line], x->tmp.data,
			    i + 1 <= x->tmp.len ? i + 1 : x->tmp.len) < 0)
				goto out;
			line.len = 0;
			if (enas_buf_printf(&line, "%s[].", path.data) < 0)
				goto out;
			n = children(x->r, line.data, list);
			c = m->type == ENAS_SEQ ? m->child : NULL;
			ind = c ? c->col - 3 : ind + 2;
			if (ind < 0)
				ind = 0;
			after = last_line(m) + 1;
			if (after > x->nlines + 1)
				after = x->nlines + 1;
			for (i = 0; i < n; i++)
				if (enas_buf_printf(&x->at[after], "%*s#%s%s:\n",
				    ind, "", i ? "  " : "- ",
				    list[i]->path + line.len) < 0)
					goto out;
			continue;
		}
		if (hint(&x->h, f, x->refs) < 0 || (x->h.len &&
		    comment(&x->at[m->key_line], ind, "", x->h.data) < 0))
			goto out;
		if (f->type == ENAS_MAPPING && m->type == ENAS_MAP) {
			if (enas_buf_puts(&path, ".") < 0 ||
			    note_map(x, m, path.data) < 0)
				goto out;
			after = last_line(m) + 1;
			if (after > x->nlines + 1)
				after = x->nlines + 1;
			if (absent(x, &x->at[after], m, path.data, ind + 2,
			    NULL) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(list);
	enas_buf_free(&path);
	enas_buf_free(&line);
	return rc;
}

int
enas_template_annotate(struct enas_buf *out, const struct enas_rules *r,
    const char *id, const char *text, size_t len,
    const struct enas_template_refs *refs)
{
	struct notes x = { r, refs, NULL, 0, ENAS_BUF_INIT, ENAS_BUF_INIT };
	struct enas_record *rec = NULL;
	const char *s, *e, *end = text + len;
	int i, rc = ENAS_ENOMEM;

	out->len = 0;
	/* TRANSLATORS: %s %s are a kind of record and its id; every line
	   must start with "# " and end with a newline */
	if (enas_buf_printf(out, _("# Editing %s %s.  Lines that start with # "
	    "are never written;\n# quit without saving to leave the record "
	    "as it is.\n"), r->kind, id) < 0)
		return ENAS_ENOMEM;
	for (s = text; s < end; s = e + 1, x.nlines++)
		if (!(e = memchr(s, '\n', (size_t)(end - s))))
			e = end;
	rc = enas_record_parse(&rec, text, len, "", 0, NULL, NULL);
	if (rc == ENAS_ENOMEM)
		return rc;
	if (rc < 0) {
		/* no guidance for what does not parse: the check will say */
		rc = enas_buf_add(out, text, len) < 0 ? ENAS_ENOMEM : 0;
		goto out;
	}
	rc = ENAS_ENOMEM;
	if (!(x.at = enas_calloc((size_t)x.nlines + 2, sizeof(*x.at))))
		goto out;
	if (note_map(&x, rec->root, "") < 0 ||
	    absent(&x, &x.at[x.nlines + 1], rec->root, "", 0,
	    _("Fields this record does not have: to add one, take away the "
	    "# before its lines and fill them in.")) < 0)
		goto out;
	for (s = text, i = 1; s < end; s = e + 1, i++) {
		if (!(e = memchr(s, '\n', (size_t)(end - s))))
			e = end;
		if (enas_buf_add(out, x.at[i].data, x.at[i].len) < 0 ||
		    enas_buf_add(out, s, (size_t)(e - s)) < 0 ||
		    (e < end && enas_buf_puts(out, "\n") < 0))
			goto out;
	}
	if (x.at[x.nlines + 1].len && ((len && text[len - 1] != '\n' &&
	    enas_buf_puts(out, "\n") < 0) || enas_buf_add(out,
	    x.at[x.nlines + 1].data, x.at[x.nlines + 1].len) < 0))
		goto out;
	rc = 0;
out:
	for (i = 0; x.at && i <= x.nlines + 1; i++)
		enas_buf_free(&x.at[i]);
	free(x.at);
	enas_buf_free(&x.tmp);
	enas_buf_free(&x.h);
	enas_record_free(rec);
	return rc;
}

int
enas_template_refs(struct enas_template_refs **out, struct enas_repo *repo,
    const struct enas_kinds *kinds, const struct enas_rules *r,
    enum enas_source source)
{
	struct enas_template_refs *refs;
	const struct enas_rules *k;
	size_t i, j, n = 0;
	int rc;

	*out = NULL;
	if (!(refs = enas_calloc(r->nfields + 1, sizeof(*refs))))
		return ENAS_ENOMEM;
	for (i = 0; i < r->nfields; i++) {
		if (!r->fields[i].ref)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(refs[j].kind, r->fields[i].ref) == 0)
				break;
		if (j < n || !(k = enas_kinds_find(kinds, r->fields[i].ref)))
			continue;
		/* a kind that cannot be listed is not: the hint says less */
		if ((rc = enas_find_ids(&refs[n].ids, &refs[n].n, repo, source,
		    k)) == ENAS_ENOMEM) {
			enas_template_refs_free(refs);
			return rc;
		}
		if (rc == 0)
			refs[n++].kind = r->fields[i].ref;
	}
	*out = refs;
	return 0;
}

void
enas_template_refs_free(struct enas_template_refs *refs)
{
	size_t i;

	for (i = 0; refs && refs[i].kind; i++)
		enas_find_ids_free(refs[i].ids);
	free(refs);
}
