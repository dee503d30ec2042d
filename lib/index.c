/*
 * index.c: git's index file read directly, for the pre-commit hook.
 *
 * libgit2 1.5 takes about 50 ms to load the index of 100 000 records
 * and as long again to list HEAD's tree; the hook has 50 ms in all.
 * The index format (git's Documentation/gitformat-index) is simple in
 * versions 2 and 3: fixed-size entries with a path, sorted, then
 * extensions.  Its cache-tree extension ("TREE") names the tree each
 * unchanged directory would have, so a directory whose tree equals
 * HEAD's is skipped whole.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "repo.h"

#define HDR 12
#define OIDLEN 20

/* A directory the cache-tree vouches for: its path and its tree. */
struct ctree {
	char *path;		/* "records/cases/2024", no trailing slash */
	git_oid oid;
};

struct idx {
	struct enas_snapshot *s;
	struct ctree *trees;
	size_t ntrees, tcap;
	struct enas_delta *d;
	size_t dcap, ccap;
	char *mark;		/* per entry: accounted for */
	git_repository *git;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
enas_delta_free(struct enas_delta *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->ndeleted; i++)
		free(d->deleted[i]);
	free(d->deleted);
	free(d->changed);
	memset(d, 0, sizeof(*d));
}

static int
add_changed(struct idx *x, size_t i)
{
	size_t *p;

	if (x->mark[i])
		return 0;
	x->mark[i] = 1;
	if (x->d->nchanged == x->ccap) {
		x->ccap = x->ccap ? x->ccap * 2 : 16;
		if (!(p = enas_realloc(x->d->changed, x->ccap * sizeof(*p))))
			return ENAS_ENOMEM;
		x->d->changed = p;
	}
	x->d->changed[x->d->nchanged++] = i;
	return 0;
}

static int
add_deleted(struct idx *x, const char *path)
{
	char **p;

	if (x->d->ndeleted == x->dcap) {
		x->dcap = x->dcap ? x->dcap * 2 : 16;
		if (!(p = enas_realloc(x->d->deleted, x->dcap * sizeof(*p))))
			return ENAS_ENOMEM;
		x->d->deleted = p;
	}
	if (!(x->d->deleted[x->d->ndeleted] = enas_strdup(path)))
		return ENAS_ENOMEM;
	x->d->ndeleted++;
	return 0;
}

/*
 * Parse the cache-tree, depth first: "path NUL count SP subtrees LF"
 * then the tree id when count is not -1, then the subtrees.  Only the
 * valid directories at or below records/ are kept.
 */
static int
parse_tree(struct idx *x, const unsigned char **pp, const unsigned char *end,
    const char *parent, int depth)
{
	const unsigned char *p = *pp, *nul, *sp, *lf;
	char path[4096], num[16];
	long count, subs, i;
	size_t plen, nlen;
	struct ctree *t;
	int rc;

	if (depth > 64 || !(nul = memchr(p, '\0', (size_t)(end - p))) ||
	    !(sp = memchr(nul, ' ', (size_t)(end - nul))) ||
	    !(lf = memchr(sp, '\n', (size_t)(end - sp))))
		return ENAS_EDATA;
	nlen = (size_t)(nul - p);
	plen = strlen(parent);
	if (plen + nlen + 2 > sizeof(path) || (size_t)(sp - nul - 1) >=
	    sizeof(num) || (size_t)(lf - sp - 1) >= sizeof(num))
		return ENAS_EDATA;
	memcpy(path, parent, plen);
	if (plen && nlen)
		path[plen++] = '/';
	memcpy(path + plen, p, nlen);
	path[plen + nlen] = '\0';
	memcpy(num, nul + 1, (size_t)(sp - nul - 1));
	num[sp - nul - 1] = '\0';
	count = strtol(num, NULL, 10);
	memcpy(num, sp + 1, (size_t)(lf - sp - 1));
	num[lf - sp - 1] = '\0';
	subs = strtol(num, NULL, 10);
	p = lf + 1;
	if (count >= 0) {
		if (end - p < OIDLEN)
			return ENAS_EDATA;
		if (strncmp(path, ENAS_RECORDS_DIR, strlen(ENAS_RECORDS_DIR))
		    == 0) {
			if (x->ntrees == x->tcap) {
				x->tcap = x->tcap ? x->tcap * 2 : 32;
				if (!(t = enas_realloc(x->trees, x->tcap *
				    sizeof(*t))))
					return ENAS_ENOMEM;
				x->trees = t;
			}
			t = &x->trees[x->ntrees];
			if (!(t->path = enas_strdup(path)))
				return ENAS_ENOMEM;
			git_oid_fromraw(&t->oid, p);
			x->ntrees++;
		}
		p += OIDLEN;
	}
	if (subs < 0 || subs > 100000)
		return ENAS_EDATA;
	for (i = 0; i < subs; i++)
		if ((rc = parse_tree(x, &p, end, path, depth + 1)) < 0)
			return rc;
	*pp = p;
	return 0;
}

/* The tree the cache-tree vouches for at dir, or NULL. */
static const git_oid *
valid_tree(const struct idx *x, const char *dir)
{
	size_t i;

	for (i = 0; i < x->ntrees; i++)
		if (strcmp(x->trees[i].path, dir) == 0)
			return &x->trees[i].oid;
	return NULL;
}

/*
 * Parse an index file of version 2 or 3 into x->s: the entries under
 * records/, paths in one block.  ENAS_EUSAGE for a form this does not
 * read, so the caller falls back to libgit2.
 */
static int
parse_index(struct idx *x, const unsigned char *m, size_t len)
{
	const unsigned char *p, *end = m + len - OIDLEN, *name;
	struct enas_snapshot *s = x->s;
	uint32_t version, n, i, flags, sig, size;
	size_t nlen, elen, ocap = 0, plen = strlen(ENAS_RECORDS_DIR "/");
	int rc;

	if (len < HDR + OIDLEN || memcmp(m, "DIRC", 4) != 0)
		return enas_error_set(ENAS_EGIT,
		    _("the index is not a git index"));
	version = be32(m + 4);
	n = be32(m + 8);
	if (version != 2 && version != 3)
		return ENAS_EUSAGE;
	if (!(s->entries = enas_calloc(n + 1, sizeof(*s->entries))) ||
	    !(x->mark = enas_calloc(n + 1, 1)))
		return ENAS_ENOMEM;
	p = m + HDR;
	for (i = 0; i < n; i++) {
		if (end - p < 62)
			goto bad;
		flags = (uint32_t)p[60] << 8 | p[61];
		name = p + 62;
		if (flags & 0x4000) {
			if (version < 3)
				goto bad;
			name += 2;
		}
		if (name >= end || !memchr(name, '\0', (size_t)(end - name)))
			goto bad;
		nlen = strlen((const char *)name);
		/* entries are padded with 1 to 8 NULs to a multiple of 8 */
		elen = ((size_t)(name - p) + nlen + 8) & ~(size_t)7;
		if ((size_t)(end - p) < elen)
			goto bad;
		if (nlen > plen && memcmp(name, ENAS_RECORDS_DIR "/", plen)
		    == 0) {
			struct enas_entry *e = &s->entries[s->n];

			/* the path, NUL-terminated in the mapped file */
			e->path = (char *)name;
			git_oid_fromraw(&e->oid, p + 40);
			e->mode = be32(p + 24);
			e->conflict = (flags >> 12 & 3) != 0;
			/* unmerged stages of one path: one entry */
			if (!(s->n && e->conflict &&
			    strcmp(s->entries[s->n - 1].path, e->path) == 0))
				s->n++;
		} else if (!(s->nothers && (flags >> 12 & 3) != 0 &&
		    strcmp(s->others[s->nothers - 1].path,
		    (const char *)name) == 0)) {
			/* outside records/: for the layout's check */
			struct enas_entry *e;

			if (s->nothers == ocap) {
				ocap = ocap ? ocap * 2 : 8;
				if (!(e = enas_realloc(s->others, ocap *
				    sizeof(*e))))
					return ENAS_ENOMEM;
				s->others = e;
			}
			e = &s->others[s->nothers++];
			e->path = (char *)name;
			git_oid_fromraw(&e->oid, p + 40);
			e->mode = be32(p + 24);
			e->conflict = (flags >> 12 & 3) != 0;
		}
		p += elen;
	}
	while (end - p >= 8) {
		sig = be32(p);
		size = be32(p + 4);
		p += 8;
		if ((size_t)(end - p) < size)
			goto bad;
		if (memcmp(p - 8, "link", 4) == 0 ||
		    memcmp(p - 8, "sdir", 4) == 0)
			return ENAS_EUSAGE;
		if (memcmp(p - 8, "TREE", 4) == 0) {
			const unsigned char *t = p;

			if ((rc = parse_tree(x, &t, p + size, "", 0)) ==
			    ENAS_ENOMEM)
				return rc;
			if (rc < 0)
				x->ntrees = 0;	/* not vouched: compare all */
		} else if (sig >> 24 >= 'A' && sig >> 24 <= 'Z')
			;	/* an optional extension we need not read */
		else
			return ENAS_EUSAGE;
		p += size;
	}
	return 0;
bad:
	return enas_error_set(ENAS_EGIT, _("the index is damaged (see git "
	    "fsck); enas cannot read it"));
}

/* The first entry at or after path (entries are sorted). */
static size_t
lower(const struct enas_snapshot *s, const char *path)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(s->entries[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Compare HEAD's directory dir (tree, or NULL when HEAD lacks it) with
 * the index entries below it, skipping it whole when the cache-tree
 * vouches that it is unchanged.
 */
static int
diff_dir(struct idx *x, git_tree *tree, char *dir, size_t dlen)
{
	const git_oid *vouched = valid_tree(x, dir);
	const struct enas_snapshot *s = x->s;
	const git_tree_entry *te;
	const struct enas_entry *e;
	git_tree *subtree;
	size_t i, n, at, next, nlen;
	const char *name, *rest, *slash;
	char sub[256];
	int rc = 0;

	if (tree && vouched && git_oid_equal(vouched, git_tree_id(tree)))
		return 0;
	/* HEAD's side: each file and subdirectory */
	n = tree ? git_tree_entrycount(tree) : 0;
	for (i = 0; i < n && rc == 0; i++) {
		te = git_tree_entry_byindex(tree, i);
		name = git_tree_entry_name(te);
		nlen = strlen(name);
		if (dlen + nlen + 2 >= 4096)
			return ENAS_EDATA;
		dir[dlen] = '/';
		memcpy(dir + dlen + 1, name, nlen + 1);
		if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
			if (git_tree_lookup(&subtree, x->git,
			    git_tree_entry_id(te)) < 0) {
				rc = enas_repo_error(
				    _("cannot read HEAD's tree"));
				break;
			}
			rc = diff_dir(x, subtree, dir, dlen + 1 + nlen);
			git_tree_free(subtree);
		} else {
			at = lower(s, dir);
			e = at < s->n ? &s->entries[at] : NULL;
			if (!e || strcmp(e->path, dir) != 0)
				rc = add_deleted(x, dir);
			else if (!git_oid_equal(&e->oid, git_tree_entry_id(te)) ||
			    e->mode != (unsigned)git_tree_entry_filemode(te) ||
			    e->conflict)
				rc = add_changed(x, at);
			else
				x->mark[at] = 1;
		}
	}
	dir[dlen] = '\0';
	if (rc < 0)
		return rc;
	/* the index's side: what HEAD lacks at this level */
	dir[dlen] = '/';
	dir[dlen + 1] = '\0';
	at = lower(s, dir);
	while (at < s->n && strncmp(s->entries[at].path, dir, dlen + 1) ==
	    0) {
		rest = s->entries[at].path + dlen + 1;
		if (!(slash = strchr(rest, '/'))) {
			if (!x->mark[at] && (rc = add_changed(x, at)) < 0)
				return rc;
			at++;
			continue;
		}
		nlen = (size_t)(slash - rest);
		if (nlen >= sizeof(sub) || dlen + nlen + 3 >= 4096)
			return ENAS_EDATA;
		memcpy(sub, rest, nlen);
		sub[nlen] = '\0';
		/* the first path past "dir/sub/" is "dir/sub0": '/' + 1 */
		memcpy(dir + dlen + 1, sub, nlen);
		dir[dlen + 1 + nlen] = '/' + 1;
		dir[dlen + 2 + nlen] = '\0';
		next = lower(s, dir);
		dir[dlen + 1] = '\0';
		/* a subdirectory HEAD lacks is new, all of it */
		if (!tree || !git_tree_entry_byname(tree, sub))
			for (; at < next; at++)
				if ((rc = add_changed(x, at)) < 0)
					return rc;
		at = next;
	}
	dir[dlen] = '\0';
	return 0;
}

int
enas_delta_between(struct enas_delta *d, const struct enas_snapshot *s,
    const struct enas_snapshot *base)
{
	struct idx x;
	size_t i = 0, j = 0;
	int c, rc = 0;

	memset(d, 0, sizeof(*d));
	memset(&x, 0, sizeof(x));
	x.s = (struct enas_snapshot *)s;
	x.d = d;
	if (!base) {
		d->all = 1;
		return 0;
	}
	if (!(x.mark = enas_calloc(s->n + 1, 1)))
		return ENAS_ENOMEM;
	while (rc == 0 && (i < s->n || j < base->n)) {
		c = i == s->n ? 1 : j == base->n ? -1 :
		    strcmp(s->entries[i].path, base->entries[j].path);
		if (c > 0)
			rc = add_deleted(&x, base->entries[j++].path);
		else if (c < 0)
			rc = add_changed(&x, i++);
		else {
			if (!git_oid_equal(&s->entries[i].oid,
			    &base->entries[j].oid) || s->entries[i].mode !=
			    base->entries[j].mode || s->entries[i].conflict)
				rc = add_changed(&x, i);
			i++;
			j++;
		}
	}
	free(x.mark);
	return rc;
}

/* Without the fast path: libgit2's index and HEAD's whole tree. */
static int
staged_slow(struct enas_snapshot **out, struct enas_delta *d,
    struct enas_repo *repo)
{
	struct enas_snapshot *base = NULL;
	int rc;

	if ((rc = enas_snapshot_open(out, repo, ENAS_INDEX, NULL)) < 0)
		return rc;
	if (git_repository_head_unborn(enas_repo_git(repo)) == 1) {
		memset(d, 0, sizeof(*d));
		d->all = 1;
		return 0;
	}
	if ((rc = enas_snapshot_open(&base, repo, ENAS_COMMIT, NULL)) == 0)
		rc = enas_delta_between(d, *out, base);
	enas_snapshot_free(base);
	if (rc < 0) {
		enas_snapshot_free(*out);
		*out = NULL;
	}
	return rc;
}

int
enas_snapshot_staged(struct enas_snapshot **out, struct enas_delta *d,
    struct enas_repo *repo)
{
	struct idx x;
	struct enas_buf path = ENAS_BUF_INIT;
	git_commit *head = NULL;
	git_tree *root = NULL, *records = NULL;
	git_tree_entry *te = NULL;
	const char *env = getenv("GIT_INDEX_FILE");
	char dir[4096];
	struct stat st;
	void *m = MAP_FAILED;
	int fd = -1, rc;
	size_t i;
	git_oid id;

	*out = NULL;
	memset(d, 0, sizeof(*d));
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.git = enas_repo_git(repo);
	if (git_repository_is_bare(x.git))
		return enas_error_set(ENAS_EGIT, _("a bare repository has no "
		    "index"));
	if (env && *env)
		rc = enas_buf_puts(&path, env);
	else
		rc = enas_buf_printf(&path, "%sindex",
		    git_repository_path(x.git));
	if (rc < 0)
		return rc;
	if (!(x.s = enas_calloc(1, sizeof(*x.s)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	x.s->repo = repo;
	x.s->source = ENAS_INDEX;
	if ((fd = open(path.data, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT) {
			rc = enas_error_set(ENAS_EIO, "%s: %s", path.data,
			    strerror(errno));
			goto out;
		}
		st.st_size = 0;	/* no index yet: nothing staged */
		if (!(x.mark = enas_calloc(1, 1))) {
			rc = ENAS_ENOMEM;
			goto out;
		}
	} else {
		if (fstat(fd, &st) < 0 || (st.st_size > 0 && (m = mmap(NULL,
		    (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) ==
		    MAP_FAILED)) {
			rc = enas_error_set(ENAS_EIO, "%s: %s", path.data,
			    strerror(errno));
			goto out;
		}
		rc = st.st_size > 0 ? parse_index(&x, m, (size_t)st.st_size) :
		    (x.mark = enas_calloc(1, 1)) ? 0 : ENAS_ENOMEM;
		if (m != MAP_FAILED) {
			/* the snapshot's paths point into the map: it owns it */
			x.s->map = m;
			x.s->maplen = (size_t)st.st_size;
			m = MAP_FAILED;
		}
		if (rc == ENAS_EUSAGE) {
			enas_snapshot_free(x.s);
			x.s = NULL;
			rc = staged_slow(out, d, repo);
			goto out;
		}
		if (rc < 0)
			goto out;
	}
	if (git_repository_head_unborn(x.git) == 1) {
		d->all = 1;
		goto done;
	}
	if (git_reference_name_to_id(&id, x.git, "HEAD") < 0 ||
	    git_commit_lookup(&head, x.git, &id) < 0 ||
	    git_commit_tree(&root, head) < 0) {
		rc = enas_repo_error(_("cannot read HEAD"));
		goto out;
	}
	rc = git_tree_entry_bypath(&te, root, ENAS_RECORDS_DIR);
	if (rc == 0 && git_tree_entry_type(te) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&records, x.git, git_tree_entry_id(te)) < 0) {
		rc = enas_repo_error(_("cannot read HEAD's records/"));
		goto out;
	}
	strcpy(dir, ENAS_RECORDS_DIR);
	if ((rc = diff_dir(&x, records, dir, strlen(dir))) < 0)
		goto out;
done:
	*out = x.s;
	x.s = NULL;
	rc = 0;
out:
	if (rc < 0)
		enas_delta_free(d);
	for (i = 0; i < x.ntrees; i++)
		free(x.trees[i].path);
	free(x.trees);
	free(x.mark);
	git_tree_free(records);
	git_tree_entry_free(te);
	git_tree_free(root);
	git_commit_free(head);
	if (m != MAP_FAILED)
		munmap(m, (size_t)st.st_size);
	if (fd >= 0)
		close(fd);
	enas_snapshot_free(x.s);
	enas_buf_free(&path);
	return rc;
}
