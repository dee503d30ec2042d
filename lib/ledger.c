/*
 * ledger.c: the publication ledger (ledger.h): entries as text, kept in
 * a tree on refs/enas/published, written through libgit2's object
 * database only.
 *
 * An entry, one field a line:
 *
 *	enas-publication 1
 *	date 2026-12-05T08:10:00Z
 *	commit <the commit counted>
 *	kind case
 *	args enas-stats cases -g sex -M -p 2024 --publish
 *	k 11
 *	interval month		(none, day, week, month, quarter, year)
 *	history 0
 *	group sex		(one line a group, in order)
 *	where status=open	(one line a -w)
 *	period 2024-01		(one line a period)
 *	cell MASK<TAB>PERIOD<TAB>KEY...<TAB>FIGURE
 *
 * A cell's PERIOD is its name or "*" when summed; each KEY is "=" and
 * the value (tabs, newlines and backslashes escaped), "" when the record
 * has none, "*" when summed; FIGURE is the count, "<k" or "x", as
 * printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "ledger.h"
#include "suppress.h"
#include "rules.h"

static const char *const inames[] = {
	"none", "day", "week", "month", "quarter", "year", NULL
};

static int
put_escaped(struct enas_buf *b, const char *s)
{
	int rc = 0;

	for (; *s && rc == 0; s++)
		rc = *s == '\t' ? enas_buf_puts(b, "\\t") : *s == '\n' ?
		    enas_buf_puts(b, "\\n") : *s == '\\' ?
		    enas_buf_puts(b, "\\\\") : enas_buf_add(b, s, 1);
	return rc;
}

static int
put_cell(struct enas_buf *b, const struct enas_stats *st,
    const struct enas_stats_row *row, unsigned mask,
    const struct enas_stats_cell *c)
{
	char name[ENAS_PERIOD_NAME];
	size_t i;
	int rc;

	if ((rc = enas_buf_printf(b, "cell %u\t", mask)) < 0)
		return rc;
	if (!st->interval || (mask & ENAS_TOTAL_PERIOD))
		rc = enas_buf_puts(b, "*");
	else {
		enas_period_name(name, st->interval,
		    st->periods[row->period]);
		rc = enas_buf_puts(b, name);
	}
	for (i = 0; i < st->ngroups && rc == 0; i++) {
		if ((rc = enas_buf_puts(b, "\t")) < 0)
			break;
		if (mask & ENAS_TOTAL_GROUP(i))
			rc = enas_buf_puts(b, "*");
		else if (row->keys[i] && (rc = enas_buf_puts(b, "=")) == 0)
			rc = put_escaped(b, row->keys[i]);
	}
	if (rc < 0)
		return rc;
	if (c->mark == ENAS_CELL_PRIMARY)
		return enas_buf_printf(b, "\t<%lld\n", st->min_cell);
	if (c->mark == ENAS_CELL_SECONDARY)
		return enas_buf_puts(b, "\tx\n");
	return enas_buf_printf(b, "\t%lld\n", c->count);
}

int
enas_ledger_format(struct enas_buf *b, const struct enas_stats *st,
    const struct enas_stats_query *q, const char *args, long long now)
{
	char date[32], name[ENAS_PERIOD_NAME];
	time_t t = (time_t)now;
	struct tm tm;
	size_t i;
	int rc;

	if (!gmtime_r(&t, &tm))
		return enas_error_set(ENAS_EIO, _("the clock is out of range"));
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((rc = enas_buf_printf(b, "enas-publication 1\ndate %s\n"
	    "commit %s\nkind %s\nargs ", date, st->commit, st->kind)) < 0 ||
	    (rc = put_escaped(b, args)) < 0 ||
	    (rc = enas_buf_printf(b, "\nk %lld\ninterval %s\nhistory %d\n"
	    "unit %s\n", st->min_cell, inames[st->interval], st->history,
	    st->unit)) < 0)
		return rc;
	if (q->begin >= 0) {
		enas_date_format(date, q->begin);
		if ((rc = enas_buf_printf(b, "begin %s\n", date)) < 0)
			return rc;
	}
	if (q->end >= 0) {
		enas_date_format(date, q->end);
		if ((rc = enas_buf_printf(b, "end %s\n", date)) < 0)
			return rc;
	}
	for (i = 0; i < st->ngroups; i++)
		if ((rc = enas_buf_puts(b, "group ")) < 0 ||
		    (rc = put_escaped(b, st->group_names[i])) < 0 ||
		    (rc = enas_buf_puts(b, "\n")) < 0)
			return rc;
	for (i = 0; i < q->nwhere; i++)
		if ((rc = enas_buf_puts(b, "where ")) < 0 ||
		    (rc = put_escaped(b, q->where[i])) < 0 ||
		    (rc = enas_buf_puts(b, "\n")) < 0)
			return rc;
	for (i = 0; st->interval && i < st->nperiods; i++) {
		enas_period_name(name, st->interval, st->periods[i]);
		if ((rc = enas_buf_printf(b, "period %s\n", name)) < 0)
			return rc;
	}
	for (i = 0; i < st->nrows; i++)
		if ((rc = put_cell(b, st, &st->rows[i], 0,
		    &st->rows[i].cell)) < 0)
			return rc;
	for (i = 0; i < st->ntotals; i++)
		if ((rc = put_cell(b, st, &st->rows[st->totals[i].row],
		    st->totals[i].mask, &st->totals[i].cell)) < 0)
			return rc;
	return 0;
}

/* --- reading an entry --- */

void
enas_pub_free(struct enas_pub *p)
{
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->ncells; i++) {
		for (j = 0; p->cells[i].keys && j < p->ngroups; j++)
			free(p->cells[i].keys[j]);
		free(p->cells[i].keys);
	}
	free(p->cells);
	for (i = 0; i < p->ngroups; i++)
		free(p->groups[i]);
	free(p->groups);
	for (i = 0; i < p->nwhere; i++)
		free(p->where[i]);
	free(p->where);
	free(p->periods);
	free(p->name);
	free(p->text);
	free(p->date);
	free(p->kind);
	free(p->unit);
	free(p->args);
	free(p);
}

void
enas_ledger_free(struct enas_pub **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		enas_pub_free(v[i]);
	free(v);
}

/* An unescaped copy of [s, e). */
static char *
unescape(const char *s, const char *e)
{
	char *out, *o;

	if (!(out = enas_malloc((size_t)(e - s) + 1)))
		return NULL;
	for (o = out; s < e; s++) {
		if (*s == '\\' && s + 1 < e) {
			s++;
			*o++ = (char)(*s == 't' ? '\t' : *s == 'n' ? '\n' : *s);
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

static int
push_str(char ***v, size_t *n, char *s)
{
	char **nv;

	if (!s)
		return ENAS_ENOMEM;
	if (!(nv = enas_realloc(*v, (*n + 1) * sizeof(**v)))) {
		free(s);
		return ENAS_ENOMEM;
	}
	*v = nv;
	(*v)[(*n)++] = s;
	return 0;
}

static int
parse_cell(struct enas_pub *p, const char *s, const char *e)
{
	struct enas_pub_cell *c, *nv;
	const char *f[64] = { NULL };
	size_t nf = 0, i;
	long long b;
	char *end;

	f[nf++] = s;
	for (; s < e && nf < 63; s++)
		if (*s == '\t')
			f[nf++] = s + 1;
	/* A sentinel: each field ends one before the next begins. */
	f[nf] = e + 1;
	if (nf != p->ngroups + 3 || nf < 3)
		return -1;
	if (!(nv = enas_realloc(p->cells, (p->ncells + 1) * sizeof(*nv))))
		return ENAS_ENOMEM;
	p->cells = nv;
	c = &p->cells[p->ncells];
	memset(c, 0, sizeof(*c));
	if (p->ngroups && !(c->keys = enas_calloc(p->ngroups,
	    sizeof(*c->keys))))
		return ENAS_ENOMEM;
	p->ncells++;
	c->mask = (unsigned)strtoul(f[0], &end, 10);
	c->period = -1;
	if (f[1][0] != '*') {
		char name[ENAS_PERIOD_NAME];
		size_t n = (size_t)(f[2] - f[1] - 1);

		if (n >= sizeof(name))
			return -1;
		memcpy(name, f[1], n);
		name[n] = '\0';
		if (enas_period_parse(&b, NULL, NULL, name) < 0)
			return -1;
		c->period = b;
	}
	for (i = 0; i < p->ngroups; i++)
		if (f[2 + i][0] == '=' && !(c->keys[i] = unescape(f[2 + i] + 1,
		    f[3 + i] - 1)))
			return ENAS_ENOMEM;
	s = f[nf - 1];
	if (*s == '<')
		c->mark = ENAS_CELL_PRIMARY;
	else if (*s == 'x')
		c->mark = ENAS_CELL_SECONDARY;
	else
		c->count = strtoll(s, &end, 10);
	return 0;
}

int
enas_ledger_parse(struct enas_pub **out, const char *name, const char *text,
    size_t len)
{
	struct enas_pub *p;
	const char *s = text, *end = text + len, *nl, *v;
	long long b;
	size_t i;
	int rc = ENAS_ENOMEM;

	*out = NULL;
	if (!(p = enas_calloc(1, sizeof(*p))) || !(p->name = enas_strdup(name))
	    || !(p->text = enas_strndup(text, len)))
		goto out;
	p->k = 11;
	p->begin = p->end = -1;
	for (; s < end; s = nl + 1) {
		if (!(nl = memchr(s, '\n', (size_t)(end - s))))
			nl = end;
		if (!(v = memchr(s, ' ', (size_t)(nl - s))))
			continue;
		v++;
#define IS(w) ((size_t)(v - s) == sizeof(w) && memcmp(s, w " ", \
	sizeof(w)) == 0)
		rc = 0;
		if (IS("date"))
			rc = (p->date = unescape(v, nl)) ? 0 : ENAS_ENOMEM;
		else if (IS("kind"))
			rc = (p->kind = unescape(v, nl)) ? 0 : ENAS_ENOMEM;
		else if (IS("args"))
			rc = (p->args = unescape(v, nl)) ? 0 : ENAS_ENOMEM;
		else if (IS("commit") && nl - v == GIT_OID_HEXSZ)
			memcpy(p->commit, v, GIT_OID_HEXSZ);
		else if (IS("k"))
			p->k = strtoll(v, NULL, 10);
		else if (IS("unit"))
			rc = (p->unit = unescape(v, nl)) ? 0 : ENAS_ENOMEM;
		else if (IS("begin"))
			p->begin = enas_date_parse(v, (size_t)(nl - v));
		else if (IS("end"))
			p->end = enas_date_parse(v, (size_t)(nl - v));
		else if (IS("history"))
			p->history = *v == '1';
		else if (IS("interval")) {
			for (i = 0; inames[i]; i++)
				if ((size_t)(nl - v) == strlen(inames[i]) &&
				    memcmp(v, inames[i], (size_t)(nl - v)) == 0)
					p->interval = (enum enas_interval)i;
		} else if (IS("group"))
			rc = push_str(&p->groups, &p->ngroups, unescape(v, nl));
		else if (IS("where"))
			rc = push_str(&p->where, &p->nwhere, unescape(v, nl));
		else if (IS("period")) {
			char pn[ENAS_PERIOD_NAME];
			long long *nv;

			if ((size_t)(nl - v) >= sizeof(pn))
				continue;
			memcpy(pn, v, (size_t)(nl - v));
			pn[nl - v] = '\0';
			if (enas_period_parse(&b, NULL, NULL, pn) < 0)
				continue;
			if (!(nv = enas_realloc(p->periods, (p->nperiods + 1) *
			    sizeof(*nv)))) {
				rc = ENAS_ENOMEM;
				goto out;
			}
			p->periods = nv;
			p->periods[p->nperiods++] = b;
		} else if (IS("cell"))
			rc = parse_cell(p, v, nl);
#undef IS
		if (rc == ENAS_ENOMEM)
			goto out;
		if (rc < 0) {
			rc = enas_error_set(ENAS_EDATA, _("the publication "
			    "ledger's entry %s is damaged"), name);
			goto out;
		}
	}
	if (!p->kind || !p->commit[0] || (!p->unit && !(p->unit =
	    enas_strdup("")))) {
		rc = enas_error_set(ENAS_EDATA, _("the publication ledger's "
		    "entry %s is damaged"), name);
		goto out;
	}
	*out = p;
	p = NULL;
	rc = 0;
out:
	enas_pub_free(p);
	return rc;
}

/* --- the ref --- */

struct tips {
	git_oid *v;
	size_t n;
};

static int
is_ledger(const char *name)
{
	size_t len = strlen(name);

	return strncmp(name, "refs/enas/", 10) == 0 && len >= 19 &&
	    strcmp(name + len - 9, "published") == 0 &&
	    (name[len - 10] == '/');
}

/* The ledger's tips: the commits of refs/enas/.../published. */
static int
tips(struct tips *t, git_repository *git)
{
	git_strarray names = { NULL, 0 };
	git_oid id, *nv;
	size_t i, j;
	int rc = 0;

	t->v = NULL;
	t->n = 0;
	if (git_reference_list(&names, git) < 0)
		return enas_repo_error(_("cannot list the references"));
	for (i = 0; i < names.count; i++) {
		if (!is_ledger(names.strings[i]) ||
		    git_reference_name_to_id(&id, git, names.strings[i]) < 0)
			continue;
		for (j = 0; j < t->n && !git_oid_equal(&t->v[j], &id); j++)
			;
		if (j < t->n)
			continue;
		if (!(nv = enas_realloc(t->v, (t->n + 1) * sizeof(*nv)))) {
			rc = ENAS_ENOMEM;
			break;
		}
		t->v = nv;
		/* The local ledger first: the new commit's first parent. */
		if (strcmp(names.strings[i], ENAS_LEDGER_REF) == 0 && t->n) {
			t->v[t->n] = t->v[0];
			git_oid_cpy(&t->v[0], &id);
		} else
			git_oid_cpy(&t->v[t->n], &id);
		t->n++;
	}
	git_strarray_dispose(&names);
	return rc;
}

static int
cmp_pub(const void *a, const void *b)
{
	const struct enas_pub *x = *(struct enas_pub *const *)a;
	const struct enas_pub *y = *(struct enas_pub *const *)b;

	return strcmp(x->name, y->name);
}

int
enas_ledger_read(struct enas_pub ***out, size_t *n, struct enas_repo *repo)
{
	git_repository *git = enas_repo_git(repo);
	struct enas_pub **v = NULL, **nv, *p;
	struct tips t;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_blob *blob;
	size_t i, j, k, cnt = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = tips(&t, git)) < 0)
		return rc;
	for (i = 0; i < t.n && rc == 0; i++) {
		if (git_commit_lookup(&c, git, &t.v[i]) < 0 ||
		    git_commit_tree(&tree, c) < 0) {
			rc = enas_repo_error(ENAS_LEDGER_REF);
			break;
		}
		for (j = 0; j < git_tree_entrycount(tree) && rc == 0; j++) {
			const git_tree_entry *e = git_tree_entry_byindex(tree,
			    j);
			const char *nm = git_tree_entry_name(e);

			for (k = 0; k < cnt && v && v[k] &&
			    strcmp(v[k]->name, nm) != 0; k++)
				;
			if (k < cnt || git_tree_entry_type(e) !=
			    GIT_OBJECT_BLOB)
				continue;
			if (git_blob_lookup(&blob, git,
			    git_tree_entry_id(e)) < 0) {
				rc = enas_repo_error(nm);
				break;
			}
			rc = enas_ledger_parse(&p, nm,
			    git_blob_rawcontent(blob),
			    (size_t)git_blob_rawsize(blob));
			git_blob_free(blob);
			if (rc < 0)
				break;
			/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
			if (!(nv = enas_realloc(v, (cnt + 1) * sizeof(*v)))) {
				enas_pub_free(p);
				rc = ENAS_ENOMEM;
				break;
			}
			v = nv;
			v[cnt++] = p;
		}
		git_tree_free(tree);
		tree = NULL;
		git_commit_free(c);
		c = NULL;
	}
	free(t.v);
	if (rc < 0) {
		enas_ledger_free(v, cnt);
		return rc;
	}
	if (cnt)
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
		qsort(v, cnt, sizeof(*v), cmp_pub);
	*out = v;
	*n = cnt;
	return 0;
}

int
enas_ledger_add(struct enas_buf *name, struct enas_repo *repo,
    const char *entry, size_t len, long long now)
{
	git_repository *git = enas_repo_git(repo);
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	const git_commit **parents = NULL;
	git_commit **owned = NULL;
	git_tree *tree = NULL, *old;
	git_oid blob, tid, cid;
	struct tips t;
	char date[32], hex[GIT_OID_HEXSZ + 1];
	time_t tt = (time_t)now;
	struct tm tm;
	size_t i, j, np = 0;
	int rc;

	name->len = 0;
	if ((rc = tips(&t, git)) < 0)
		return rc;
	if (!gmtime_r(&tt, &tm)) {
		rc = enas_error_set(ENAS_EIO, _("the clock is out of range"));
		goto out;
	}
	strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", &tm);
	if (git_blob_create_from_buffer(&blob, git, entry, len) < 0) {
		rc = enas_repo_error(ENAS_LEDGER_REF);
		goto out;
	}
	git_oid_tostr(hex, 13, &blob);
	/* Arrays of pointers: false positives. */
	/* NOLINTBEGIN(bugprone-sizeof-expression) */
	if (t.n && (!(parents = enas_calloc(t.n, sizeof(*parents))) ||
	    !(owned = enas_calloc(t.n, sizeof(*owned))))) {
		/* NOLINTEND(bugprone-sizeof-expression) */
		rc = ENAS_ENOMEM;
		goto out;
	}
	/* The union of every ledger's files, with the new one. */
	if (git_treebuilder_new(&tb, git, NULL) < 0) {
		rc = enas_repo_error(ENAS_LEDGER_REF);
		goto out;
	}
	for (i = 0; i < t.n; i++) {
		if (git_commit_lookup(&owned[np], git, &t.v[i]) < 0 ||
		    git_commit_tree(&old, owned[np]) < 0) {
			rc = enas_repo_error(ENAS_LEDGER_REF);
			goto out;
		}
		parents[np] = owned[np];
		np++;
		for (j = 0; j < git_tree_entrycount(old); j++) {
			const git_tree_entry *e = git_tree_entry_byindex(old,
			    j);

			if (git_treebuilder_insert(NULL, tb,
			    git_tree_entry_name(e), git_tree_entry_id(e),
			    git_tree_entry_filemode(e)) < 0) {
				git_tree_free(old);
				rc = enas_repo_error(ENAS_LEDGER_REF);
				goto out;
			}
		}
		git_tree_free(old);
	}
	/*
	 * The time, then how many publications this clone knew of (the
	 * union above), so that names sort as publications were made
	 * within a second too; the hash tells apart two offices' made at
	 * once.
	 */
	if ((rc = enas_buf_printf(name, "%s-%06zu-%s.txt", date,
	    git_treebuilder_entrycount(tb), hex)) < 0)
		goto out;
	if (git_treebuilder_insert(NULL, tb, name->data, &blob,
	    GIT_FILEMODE_BLOB) < 0 || git_treebuilder_write(&tid, tb) < 0 ||
	    git_tree_lookup(&tree, git, &tid) < 0) {
		rc = enas_repo_error(ENAS_LEDGER_REF);
		goto out;
	}
	if (git_signature_default(&sig, git) < 0 &&
	    git_signature_now(&sig, "enas-stats", "enas-stats@localhost") < 0) {
		rc = enas_repo_error(_("cannot make a signature"));
		goto out;
	}
	if (git_commit_create(&cid, git, NULL, sig, sig, NULL, name->data,
	    tree, np, parents) < 0 ||
	    git_reference_create(NULL, git, ENAS_LEDGER_REF, &cid, 1,
	    "enas-stats --publish") < 0) {
		rc = enas_repo_error(ENAS_LEDGER_REF);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < np; i++)
		git_commit_free(owned[i]);
	free(owned);
	free(parents);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_signature_free(sig);
	free(t.v);
	return rc;
}
