/*
 * kinds.c: the kinds of a snapshot, from its records/rules/ files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "find.h"
#include "i18n.h"
#include "kinds.h"

struct enas_kinds {
	struct enas_rules **rules;
	size_t n;
	struct enas_diag_count count;	/* errors, and fn while loading */
	struct enas_buf broken;	/* "\0name\0" of each broken rules file */
};

int
enas_kinds_broken(const struct enas_kinds *k, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i + n + 2 <= k->broken.len; i++)
		if (k->broken.data[i] == '\0' &&
		    memcmp(k->broken.data + i + 1, name, n) == 0 &&
		    k->broken.data[i + n + 1] == '\0')
			return 1;
	return 0;
}

/* Remember that the rules file at path is broken. */
static int
mark_broken(struct enas_kinds *k, const char *path)
{
	char name[128];

	enas_id_of_path(name, sizeof(name), path);
	if (enas_buf_add(&k->broken, "", 1) < 0 ||
	    enas_buf_puts(&k->broken, name) < 0 ||
	    enas_buf_add(&k->broken, "", 1) < 0)
		return ENAS_ENOMEM;
	return 0;
}

/* Load one rules file, e, into k: 0, or ENAS_ENOMEM, ENAS_EGIT... */
static int
load_one(struct enas_kinds *k, const struct enas_snapshot *s,
    const struct enas_entry *e, struct enas_buf *name, struct enas_buf *buf)
{
	struct enas_rules *r = NULL;
	char want[128];
	int rc, errors = k->count.errors;

	name->len = 0;
	if ((rc = enas_buf_printf(name, "%s%s", s->prefix, e->path)) < 0)
		return rc;
	if ((rc = enas_snapshot_read(s, e, buf, ENAS_RECORD_MAX + 1)) < 0) {
		if (rc != ENAS_EDATA)
			return rc;
		/* A link or the like: broken, as a bad rules file is. */
		enas_diag_report(enas_diag_counting, &k->count, name->data, 0,
		    0, ENAS_ERROR, NULL, NULL, "%s", enas_error_last());
	} else {
		rc = enas_rules_load(&r, buf->data, buf->len, name->data,
		    enas_diag_counting, &k->count);
		if (rc == ENAS_ENOMEM)
			return rc;
	}
	if (rc < 0) {
		/* Broken is an error even if nothing was said about it. */
		if (k->count.errors == errors)
			k->count.errors++;
		return mark_broken(k, e->path);
	}
	if (strcmp(enas_id_of_path(want, sizeof(want), e->path), r->kind) != 0)
		enas_diag_report(enas_diag_counting, &k->count, name->data, 1,
		    1, ENAS_ERROR, "kind", NULL,
		    /* TRANSLATORS: a kind, then a file name */
		    _("'%s' differs from the file name %s.yaml"), r->kind,
		    want);
	k->rules[k->n++] = r;
	return 0;
}

/* Kinds must not share a directory, and refs must name a kind. */
static void
check_set(struct enas_kinds *k)
{
	const struct enas_rules *r;
	size_t i, j;

	for (i = 0; i < k->n; i++) {
		r = k->rules[i];
		for (j = 0; j < i; j++)
			if (strcmp(k->rules[j]->dir, r->dir) == 0)
				enas_diag_report(enas_diag_counting, &k->count,
				    r->file, 1, 1, ENAS_ERROR, "dir", NULL,
				    /* TRANSLATORS: a directory, a rules
				       file */
				    _("'%s' is also the directory of %s"),
				    r->dir, k->rules[j]->file);
		for (j = 0; j < r->nfields; j++)
			if (r->fields[j].ref &&
			    !enas_kinds_find(k, r->fields[j].ref) &&
			    !enas_kinds_broken(k, r->fields[j].ref))
				enas_diag_report(enas_diag_counting, &k->count,
				    r->file, r->fields[j].line,
				    r->fields[j].col, ENAS_ERROR,
				    r->fields[j].path, NULL,
				    _("ref: there are no rules for a kind "
				    "'%s'"),
				    r->fields[j].ref);
	}
}

int
enas_kinds_load(struct enas_kinds **out, const struct enas_snapshot *snap,
    enas_diag_fn fn, void *ctx)
{
	struct enas_buf name = ENAS_BUF_INIT, buf = ENAS_BUF_INIT;
	const struct enas_entry *e;
	struct enas_kinds *k;
	size_t i, plen = strlen(ENAS_RULES_DIR "/");
	int rc = 0;

	*out = NULL;
	if (!(k = enas_calloc(1, sizeof(*k))))
		return ENAS_ENOMEM;
	k->count.fn = fn;
	k->count.ctx = ctx;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	if (!(k->rules = enas_calloc(snap->n + 1, sizeof(*k->rules)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	for (i = 0; i < snap->n && rc == 0; i++) {
		e = &snap->entries[i];
		if (strncmp(e->path, ENAS_RULES_DIR "/", plen) == 0 &&
		    !strchr(e->path + plen, '/') && enas_find_is_yaml(e->path))
			rc = load_one(k, snap, e, &name, &buf);
	}
	if (rc < 0)
		goto out;
	if (!k->n && !k->broken.len)
		enas_diag_report(enas_diag_counting, &k->count, ENAS_RULES_DIR,
		    0, 0, ENAS_ERROR, NULL, NULL,
		    /* TRANSLATORS: a directory, e.g. records/rules/ */
		    _("no rules in %s%s: this is not a records "
		    "repository (run 'enas init')"), snap->prefix,
		    ENAS_RULES_DIR);
	check_set(k);
out:
	enas_buf_free(&name);
	enas_buf_free(&buf);
	k->count.fn = NULL;
	k->count.ctx = NULL;
	if (rc < 0)
		enas_kinds_free(k);
	else
		*out = k;
	return rc;
}

void
enas_kinds_free(struct enas_kinds *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; k->rules && i < k->n; i++)
		enas_rules_free(k->rules[i]);
	free(k->rules);
	enas_buf_free(&k->broken);
	free(k);
}

int
enas_kinds_errors(const struct enas_kinds *k)
{
	return k->count.errors;
}

size_t
enas_kinds_count(const struct enas_kinds *k)
{
	return k->n;
}

const struct enas_rules *
enas_kinds_at(const struct enas_kinds *k, size_t i)
{
	return i < k->n ? k->rules[i] : NULL;
}

const struct enas_rules *
enas_kinds_find(const struct enas_kinds *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->rules[i]->kind, name) == 0 ||
		    strcmp(k->rules[i]->dir, name) == 0)
			return k->rules[i];
	return NULL;
}

const struct enas_rules *
enas_kinds_of_id(const struct enas_kinds *k, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (enas_rules_id_ok(k->rules[i], id, len))
			return k->rules[i];
	return NULL;
}

const struct enas_rules *
enas_kinds_of_path(const struct enas_kinds *k, const char *path)
{
	size_t i, n = strlen(ENAS_RECORDS_DIR "/"), d;

	if (strncmp(path, ENAS_RECORDS_DIR "/", n) != 0)
		return NULL;
	for (i = 0; i < k->n; i++) {
		d = strlen(k->rules[i]->dir);
		if (strncmp(path + n, k->rules[i]->dir, d) == 0 &&
		    path[n + d] == '/')
			return k->rules[i];
	}
	return NULL;
}
