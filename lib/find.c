/*
 * find.c: ids and where records are.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "find.h"
#include "i18n.h"
#include "kinds.h"

int
enas_id_safe(const char *id)
{
	size_t n;

	if (!id || !id[0] || id[0] == '-')
		return 0;
	for (n = 0; id[n]; n++)
		if (n >= ENAS_ID_MAX || !(isascii((unsigned char)id[n]) &&
		    (isalnum((unsigned char)id[n]) || id[n] == '_' ||
		    id[n] == '-')))
			return 0;
	return 1;
}

const char *
enas_id_of_path(char *buf, size_t size, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (enas_find_is_yaml(base))
		n -= 5;
	if (n >= size)
		n = size - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return buf;
}

int
enas_find_is_yaml(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcmp(path + n - 5, ".yaml") == 0;
}

int
enas_id_year(const char *id)
{
	const char *s;

	for (s = id; *s; s++) {
		if ((s == id || s[-1] == '-') && isdigit((unsigned char)s[0]) &&
		    isdigit((unsigned char)s[1]) &&
		    isdigit((unsigned char)s[2]) &&
		    isdigit((unsigned char)s[3]) &&
		    (s[4] == '\0' || s[4] == '-'))
			return (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
			    (s[2] - '0') * 10 + (s[3] - '0');
	}
	return -1;
}

/* 1 if the letters of code appear in that order in name (any case). */
static int
subsequence(const char *code, size_t n, const char *name)
{
	size_t i = 0;

	for (; *name && i < n; name++)
		if (toupper((unsigned char)*name) ==
		    toupper((unsigned char)code[i]))
			i++;
	return i == n;
}

int
enas_id_office(char *buf, size_t size, const struct enas_rules *r,
    const char *office)
{
	const char *s, *alt, *end;
	size_t n, found = 0;
	int code = office[0] != '\0';

	for (s = office; *s; s++)
		if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s)))
			code = 0;
	if (code) {
		if (strlen(office) >= size || strlen(office) > 16)
			return enas_error_set(ENAS_EUSAGE, _("office code "
			    "'%s' is too long"), office);
		snprintf(buf, size, "%s", office);
		return 0;
	}
	/* The leading group of alternatives: "(CAS|MRK|NDR|OUJ)". */
	s = r->id_src;
	if (s[0] == '(' && s[1] == '?' && s[2] == ':')
		s += 2;
	if (s[0] != '(' || !(end = strchr(s, ')')))
		goto none;
	for (alt = s + 1; alt < end; alt += n + 1) {
		for (n = 0; alt + n < end && alt[n] != '|'; n++)
			if (!isupper((unsigned char)alt[n]) &&
			    !isdigit((unsigned char)alt[n]))
				goto none;
		if (n == 0 || !subsequence(alt, n, office))
			continue;
		if (found++ || n >= size)
			/* TRANSLATORS: a site, then a rules file */
			return enas_error_set(ENAS_EUSAGE, _("site '%s' fits "
			    "several office codes of %s; give the code with "
			    "--site or git config enas.office"), office,
			    r->file);
		memcpy(buf, alt, n);
		buf[n] = '\0';
	}
	if (found)
		return 0;
none:
	/* TRANSLATORS: a site, a kind of record, an id pattern */
	return enas_error_set(ENAS_EUSAGE, _("no office code for '%s' in "
	    "the %s id pattern %s; give the code with --site or git config "
	    "enas.office"), office, r->kind, r->id_src);
}

int
enas_id_new(char *buf, size_t size, const struct enas_rules *r,
    const char *office, int year)
{
	static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char rnd[5];
	char word[17];
	const char *prefix[2];
	size_t i, n;

	for (n = 0; n < sizeof(word) - 1 && isupper((unsigned char)
	    r->id_src[n]); n++)
		word[n] = r->id_src[n];
	word[n] = '\0';
	prefix[0] = office;
	prefix[1] = n && r->id_src[n] == '-' ? word : NULL;
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return enas_error_set(ENAS_EIO, _("no random numbers: %s"),
		    strerror(errno));
	for (i = 0; i < 2; i++) {
		if (!prefix[i] || year < 0 || year > 9999)
			continue;
		snprintf(buf, size, "%s-%04d-%c%c%c%c%c", prefix[i], year,
		    crockford[rnd[0] & 31], crockford[rnd[1] & 31],
		    crockford[rnd[2] & 31], crockford[rnd[3] & 31],
		    crockford[rnd[4] & 31]);
		if (enas_id_safe(buf) && enas_rules_id_ok(r, buf, strlen(buf)))
			return 0;
	}
	buf[0] = '\0';
	if (!office && !prefix[1])
		/* TRANSLATORS: %s is a kind of record; keep CODE */
		return enas_error_set(ENAS_EUSAGE, _("new %s ids need an "
		    "office code: git config enas.office CODE, or --site"),
		    r->kind);
	/* TRANSLATORS: a kind of record, an office code, an id pattern;
	   keep YEAR-XXXXX and id=... */
	return enas_error_set(ENAS_EUSAGE, _("cannot draw a %s id of the "
	    "form %s-YEAR-XXXXX that matches %s; give one with id=..."),
	    r->kind,
	    office ? office : prefix[1], r->id_src);
}

struct finder {
	struct enas_repo *repo;
	const char *id;
	int year;
	struct enas_buf *path;	/* from the top, ending in '/' */
	unsigned *mode;
	git_oid *oid;
};

static int find_in(struct finder *f, git_tree *tree, const char *tmpl);

/*
 * 1 if the working tree has a real directory at path + name, 0 if
 * nothing is there, ENAS_EDATA if a link or something else is.
 */
static int
work_dir_ok(struct finder *f, const char *name)
{
	struct enas_buf full = ENAS_BUF_INIT;
	struct stat st;
	int rc = 0;

	if (enas_buf_printf(&full, "%s%s%s", enas_repo_workdir(f->repo),
	    f->path->data, name) < 0)
		return ENAS_ENOMEM;
	if (lstat(full.data, &st) == 0)
		rc = S_ISDIR(st.st_mode) ? 1 : enas_error_set(ENAS_EDATA,
		    S_ISLNK(st.st_mode) ? _("%s%s: is a symbolic link; "
		    "records live in plain directories") : _("%s%s: is not a "
		    "directory; records live in plain directories"),
		    f->path->data, name);
	else if (errno != ENOENT && errno != ENOTDIR)
		rc = enas_error_set(ENAS_EIO, "%s%s: %s", f->path->data, name,
		    strerror(errno));
	enas_buf_free(&full);
	return rc;
}

/*
 * Descend into the directory name of the current one, and go on.  A
 * link or a file where a directory should be is an error when strict
 * (the directory the id names), and skipped when the directory is one
 * of many tried.
 */
static int
descend(struct finder *f, git_tree *tree, const char *name, const char *rest,
    int strict)
{
	const git_tree_entry *te;
	git_tree *sub = NULL;
	size_t len = f->path->len;
	int rc;

	if (tree) {
		if (!(te = git_tree_entry_byname(tree, name)) ||
		    git_tree_entry_type(te) != GIT_OBJECT_TREE)
			return 0;
		if (git_tree_lookup(&sub, enas_repo_git(f->repo),
		    git_tree_entry_id(te)) < 0)
			return enas_repo_error(name);
	} else if ((rc = work_dir_ok(f, name)) <= 0)
		return rc == ENAS_EDATA && !strict ? 0 : rc;
	if ((rc = enas_buf_printf(f->path, "%s/", name)) == 0)
		rc = find_in(f, sub, rest);
	if (rc <= 0) {
		f->path->len = len;
		f->path->data[len] = '\0';
	}
	git_tree_free(sub);
	return rc;
}

/* The names of the subdirectories of the current directory. */
static int
subdirs(struct finder *f, git_tree *tree, struct enas_buf *names, size_t *n)
{
	const git_tree_entry *te;
	struct enas_buf full = ENAS_BUF_INIT;
	struct dirent *d;
	DIR *dir;
	size_t i;
	int rc = 0;

	*n = 0;
	if (tree) {
		for (i = 0; i < git_tree_entrycount(tree); i++) {
			te = git_tree_entry_byindex(tree, i);
			if (git_tree_entry_type(te) != GIT_OBJECT_TREE)
				continue;
			if (enas_buf_add(names, git_tree_entry_name(te),
			    strlen(git_tree_entry_name(te)) + 1) < 0)
				return ENAS_ENOMEM;
			(*n)++;
		}
		return 0;
	}
	if (enas_buf_printf(&full, "%s%s", enas_repo_workdir(f->repo),
	    f->path->data) < 0)
		return ENAS_ENOMEM;
	if (!(dir = opendir(full.data))) {
		rc = errno == ENOENT ? 0 : enas_error_set(ENAS_EIO, "%s: %s",
		    f->path->data, strerror(errno));
		enas_buf_free(&full);
		return rc;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		if (enas_buf_add(names, d->d_name, strlen(d->d_name) + 1) < 0) {
			rc = ENAS_ENOMEM;
			break;
		}
		(*n)++;
	}
	closedir(dir);
	enas_buf_free(&full);
	return rc;
}

static int
find_in(struct finder *f, git_tree *tree, const char *tmpl)
{
	struct enas_buf names = ENAS_BUF_INIT, full = ENAS_BUF_INIT;
	const git_tree_entry *te;
	const char *slash = strchr(tmpl, '/'), *name;
	char seg[128], year[12] = "";
	struct stat st;
	size_t n, i, segn;
	int rc;

	if (!slash) {
		/* The file: <id>.yaml, whatever the template's last part. */
		if (enas_buf_printf(&full, "%s.yaml", f->id) < 0)
			return ENAS_ENOMEM;
		rc = 0;
		if (tree) {
			if ((te = git_tree_entry_byname(tree, full.data))) {
				*f->mode = git_tree_entry_filemode(te);
				if (f->oid)
					git_oid_cpy(f->oid,
					    git_tree_entry_id(te));
				rc = 1;
			}
		} else {
			enas_buf_free(&full);
			if (enas_buf_printf(&full, "%s%s%s.yaml",
			    enas_repo_workdir(f->repo), f->path->data,
			    f->id) < 0)
				return ENAS_ENOMEM;
			if (lstat(full.data, &st) == 0) {
				*f->mode = S_ISREG(st.st_mode) ? (st.st_mode &
				    0111 ? GIT_FILEMODE_BLOB_EXECUTABLE :
				    GIT_FILEMODE_BLOB) : S_ISLNK(st.st_mode) ?
				    GIT_FILEMODE_LINK : 0;
				if (f->oid)
					memset(f->oid, 0, sizeof(*f->oid));
				rc = 1;
			} else if (errno != ENOENT && errno != ENOTDIR)
				rc = enas_error_set(ENAS_EIO, "%s%s.yaml: %s",
				    f->path->data, f->id, strerror(errno));
		}
		if (rc == 1)
			rc = enas_buf_printf(f->path, "%s.yaml", f->id) < 0 ?
			    ENAS_ENOMEM : 1;
		enas_buf_free(&full);
		return rc;
	}
	segn = (size_t)(slash - tmpl);
	if (segn >= sizeof(seg))
		return 0;
	memcpy(seg, tmpl, segn);
	seg[segn] = '\0';
	if (!strchr(seg, '{'))
		return descend(f, tree, seg, slash + 1, 1);
	/* A directory named by a field: the id's year first, then all. */
	if (seg[0] == '{' && segn > 6 && strcmp(seg + segn - 6, ":year}") ==
	    0 && !strchr(seg + 1, '{') && f->year >= 0) {
		snprintf(year, sizeof(year), "%04d", f->year);
		if ((rc = descend(f, tree, year, slash + 1, 1)) != 0)
			return rc;
	}
	if ((rc = subdirs(f, tree, &names, &n)) < 0)
		goto out;
	for (i = 0, name = names.data; i < n; i++, name += strlen(name) + 1)
		if (strcmp(name, year) != 0 &&
		    (rc = descend(f, tree, name, slash + 1, 0)) != 0)
			goto out;
	rc = 0;
out:
	enas_buf_free(&names);
	return rc;
}

int
enas_find(struct enas_buf *path, unsigned *mode, git_oid *oid,
    struct enas_repo *repo, git_tree *root, const struct enas_rules *r,
    const char *id)
{
	struct finder f = { repo, id, enas_id_year(id), path, mode, oid };
	git_tree_entry *te = NULL;
	git_tree *tree = NULL;
	int rc;

	path->len = 0;
	if (!enas_id_safe(id) || strchr(r->dir, '/') || r->dir[0] == '.')
		return enas_error_set(ENAS_EUSAGE,
		    _("'%.64s' is not a safe id"), id);
	if (enas_buf_printf(path, "%s/", ENAS_RECORDS_DIR) < 0)
		return ENAS_ENOMEM;
	if (!root) {
		if (!enas_repo_workdir(repo))
			return enas_error_set(ENAS_EGIT, _("a bare repository "
			    "has no working tree"));
		rc = work_dir_ok(&f, "");
		if (rc > 0)
			rc = descend(&f, NULL, r->dir, r->path, 1);
	} else {
		rc = git_tree_entry_bypath(&te, root, ENAS_RECORDS_DIR);
		if (rc < 0 && rc != GIT_ENOTFOUND)
			rc = enas_repo_error(_("cannot read the tree"));
		else if (rc == GIT_ENOTFOUND ||
		    git_tree_entry_type(te) != GIT_OBJECT_TREE)
			rc = 0;
		else if (git_tree_lookup(&tree, enas_repo_git(repo),
		    git_tree_entry_id(te)) < 0)
			rc = enas_repo_error(_("cannot read records/"));
		else
			rc = descend(&f, tree, r->dir, r->path, 1);
	}
	git_tree_entry_free(te);
	git_tree_free(tree);
	if (rc <= 0)
		path->len = 0;
	return rc;
}

int
enas_find_place(struct enas_buf *path, char *id, const struct enas_rules *r,
    const char *buf, size_t len, const char *fallback)
{
	struct enas_record *rec = NULL;
	struct enas_buf place = ENAS_BUF_INIT;
	const struct enas_node *n;
	int rc, own = 0;

	path->len = 0;
	snprintf(id, ENAS_ID_MAX + 1, "%s", fallback);
	rc = enas_record_parse(&rec, buf, len, "", 0, NULL, NULL);
	if (rc == ENAS_ENOMEM)
		return rc;
	if (rec && (n = enas_node_get(rec->root, "id")) &&
	    n->type == ENAS_SCALAR && n->len <= ENAS_ID_MAX &&
	    !memchr(n->value, '\0', n->len)) {
		memcpy(id, n->value, n->len);
		id[n->len] = '\0';
		if (enas_id_safe(id))
			own = 1;
		else
			snprintf(id, ENAS_ID_MAX + 1, "%s", fallback);
	}
	/* The template's place only for a record whose id is its own. */
	rc = rec && own ? enas_rules_record_path(&place, r, rec) : ENAS_EDATA;
	if (rc == ENAS_ENOMEM ||
	    enas_buf_printf(path, "%s/%s/%s", ENAS_RECORDS_DIR, r->dir,
	    rc == 0 ? place.data : "") < 0 ||
	    (rc != 0 && enas_buf_printf(path, "%s.yaml", id) < 0))
		rc = ENAS_ENOMEM;
	else
		rc = 0;
	enas_buf_free(&place);
	enas_record_free(rec);
	return rc;
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
enas_find_ids_free(char **ids)
{
	size_t i;

	for (i = 0; ids && ids[i]; i++)
		free(ids[i]);
	free(ids);
}

int
enas_find_ids(char ***out, size_t *count, struct enas_repo *repo,
    enum enas_source source, const struct enas_rules *r)
{
	struct enas_snapshot *snap = NULL;
	struct enas_buf under = ENAS_BUF_INIT;
	const char *base;
	char **ids = NULL;
	size_t i, n = 0, len;
	int rc;

	*out = NULL;
	*count = 0;
	if (enas_buf_printf(&under, "%s/%s", ENAS_RECORDS_DIR, r->dir) < 0)
		return ENAS_ENOMEM;
	if ((rc = enas_snapshot_under(&snap, repo, source, NULL,
	    under.data)) < 0)
		goto out;
	if (!(ids = enas_calloc(snap->n + 1, sizeof(*ids)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	for (i = 0; i < snap->n; i++) {
		base = strrchr(snap->entries[i].path, '/');
		base = base ? base + 1 : snap->entries[i].path;
		len = strlen(base);
		if (base[0] == '.' || len <= 5 ||
		    strcmp(base + len - 5, ".yaml") != 0 ||
		    !enas_rules_id_ok(r, base, len - 5))
			continue;
		if (!(ids[n] = enas_strndup(base, len - 5))) {
			rc = ENAS_ENOMEM;
			goto out;
		}
		n++;
	}
	qsort(ids, n, sizeof(*ids), cmp_id);
	*out = ids;
	*count = n;
	ids = NULL;
	rc = 0;
out:
	enas_find_ids_free(ids);
	enas_snapshot_free(snap);
	enas_buf_free(&under);
	return rc;
}

/* 1 if s ends with suffix, letters compared without case. */
static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return m <= n && strcasecmp(s + n - m, suffix) == 0;
}

/*
 * Whether id names a record of some kind in the working tree (or HEAD
 * in a bare repository): 1, with its kind in *r; 0; or a negative
 * status.
 */
static int
exists(const struct enas_rules **r, const struct enas_kinds *kinds,
    struct enas_repo *repo, const char *id)
{
	struct enas_buf path = ENAS_BUF_INIT;
	const struct enas_rules *k;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_oid head;
	unsigned mode;
	int rc = 0;

	if (!(k = enas_kinds_of_id(kinds, id, strlen(id))))
		return 0;
	if (!enas_repo_workdir(repo)) {
		if (git_reference_name_to_id(&head, enas_repo_git(repo),
		    "HEAD") < 0 || git_commit_lookup(&commit,
		    enas_repo_git(repo), &head) < 0 ||
		    git_commit_tree(&tree, commit) < 0) {
			git_commit_free(commit);
			return 0;
		}
	}
	rc = enas_find(&path, &mode, NULL, repo, tree, k, id);
	git_tree_free(tree);
	git_commit_free(commit);
	enas_buf_free(&path);
	if (rc == 1)
		*r = k;
	return rc;
}

int
enas_find_resolve(char *id, size_t size, const struct enas_rules **kind,
    const struct enas_kinds *kinds, struct enas_repo *repo, const char *arg)
{
	const struct enas_rules *r = NULL, *first;
	char word[ENAS_ID_MAX + 1], upper[ENAS_ID_MAX + 1];
	char **ids = NULL, *found = NULL;
	const char *base = strrchr(arg, '/');
	size_t i, k, n, len, hits = 0;
	int rc = 0;

	/* a path to a record's file: its name without .yaml */
	base = base ? base + 1 : arg;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	else if (base != arg)
		len = 0;	/* a path, but not to a record */
	if (len == 0 || len > ENAS_ID_MAX)
		return enas_error_set(ENAS_EUSAGE, _("'%.64s' is not a record "
		    "id"), arg);
	memcpy(word, base, len);
	word[len] = '\0';
	if (!enas_id_safe(word))
		return enas_error_set(ENAS_EUSAGE, _("'%.64s' is not a record "
		    "id"), arg);
	/*
	 * The id as given, or in capitals (ndr-2024-7k3qp), when there is
	 * such a record; else the end of one id ("7k3qp", which could be a
	 * partner's id too); else the id as given, not found.
	 */
	memcpy(upper, word, len + 1);
	for (i = 0; i < len; i++)
		upper[i] = (char)toupper((unsigned char)upper[i]);
	if ((rc = exists(&r, kinds, repo, word)) == 0 &&
	    (rc = exists(&r, kinds, repo, upper)) == 1)
		memcpy(word, upper, len + 1);
	if (rc < 0)
		return rc;
	if (rc == 1)
		goto found;
	if ((first = enas_kinds_of_id(kinds, word, len)) == NULL &&
	    (first = enas_kinds_of_id(kinds, upper, len)) != NULL)
		memcpy(word, upper, len + 1);
	/* the end of one id: its random part, "7K3QP" */
	for (k = 0; k < enas_kinds_count(kinds) && rc == 0; k++) {
		if ((rc = enas_find_ids(&ids, &n, repo,
		    enas_repo_workdir(repo) ? ENAS_WORKTREE : ENAS_COMMIT,
		    enas_kinds_at(kinds, k))) < 0)
			break;
		for (i = 0; i < n; i++)
			if (ends_with(ids[i], word) &&
			    strlen(ids[i]) > len &&
			    strchr("-_", ids[i][strlen(ids[i]) - len - 1])) {
				if (hits++ == 0) {
					free(found);
					if (!(found = enas_strdup(ids[i])))
						rc = ENAS_ENOMEM;
					r = enas_kinds_at(kinds, k);
				}
			}
		enas_find_ids_free(ids);
		ids = NULL;
	}
	if (rc < 0)
		goto out;
	if (hits == 0 && first) {
		r = first;
		goto found;
	}
	if (hits == 0) {
		rc = enas_error_set(ENAS_EUSAGE, _("'%.64s' is not a record "
		    "id: no kind in %s has ids of its form, and no id ends "
		    "with it"), arg, ENAS_RULES_DIR);
		goto out;
	}
	if (hits > 1) {
		rc = enas_error_set(ENAS_EUSAGE, _("'%.64s' ends %zu ids; give "
		    "more of it (%s, ...)"), arg, hits, found);
		goto out;
	}
	snprintf(word, sizeof(word), "%s", found);
found:
	snprintf(id, size, "%s", word);
	*kind = r;
	rc = 0;
out:
	free(found);
	return rc;
}
