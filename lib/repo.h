/*
 * repo.h: a records repository through libgit2, and snapshots of its
 * records/ directory as the working tree, the index or a commit has it.
 */
#ifndef ENAS_REPO_H
#define ENAS_REPO_H

#include <git2.h>

#include "enas.h"

struct enas_lock;		/* write.h */

#define ENAS_RECORDS_DIR "records"
#define ENAS_RULES_DIR "records/rules"

struct enas_repo;

/* Flags for enas_repo_open(). */
#define ENAS_REPO_FROM_ENV 0x1	/* honour GIT_DIR, GIT_OBJECT_DIRECTORY... */

/*
 * Open the repository containing dir (NULL: the current directory),
 * searching upwards like git.  With ENAS_REPO_FROM_ENV the repository
 * is opened as git's environment describes it, which is how a hook sees
 * the objects of a push still in quarantine.  ENAS_EGIT with a message
 * when there is none, or it is shallow.
 */
int enas_repo_open(struct enas_repo **out, const char *dir, unsigned flags);

void enas_repo_free(struct enas_repo *r);

git_repository *enas_repo_git(const struct enas_repo *r);

/* The working tree with a trailing '/', or NULL for a bare repository. */
const char *enas_repo_workdir(const struct enas_repo *r);

/* Set the last error from libgit2's, prefixed by what failed. */
int enas_repo_error(const char *what);

enum enas_source {
	ENAS_WORKTREE,
	ENAS_INDEX,
	ENAS_COMMIT
};

/*
 * One file under records/: its path from the top of the repository, its
 * blob id (zero in the working tree) and its git file mode (in the
 * working tree, made from lstat: a link is GIT_FILEMODE_LINK, anything
 * not a regular file or directory is 0).
 */
struct enas_entry {
	char *path;
	git_oid oid;
	unsigned mode;
	int conflict;	/* the index holds unmerged stages for it */
};

/*
 * Every file under records/ in one source, sorted by path (bytewise, as
 * git sorts them).  prefix is what names its files in diagnostics:
 * empty for the working tree, the index and HEAD, "3f2a9c1:" for
 * another commit.
 */
struct enas_snapshot {
	struct enas_repo *repo;
	enum enas_source source;
	git_oid commit;		/* for ENAS_COMMIT */
	char prefix[16];
	struct enas_entry *entries;
	size_t n;
	char *block;		/* when set, every path points into it */
	void *map;		/* or into this mapped index file */
	size_t maplen;
	/*
	 * The paths outside records/, sorted, for the layout's check
	 * (lib/layout): every other entry of the index; the working
	 * tree's other top-level names (a directory as one entry of mode
	 * GIT_FILEMODE_TREE, .git left out).  A commit's tree is checked
	 * whole through tree (set when has_tree).
	 */
	struct enas_entry *others;
	size_t nothers;
	git_oid tree;
	int has_tree;
};

/*
 * What differs between a snapshot and its base: the entries added or
 * changed (indices into the snapshot's entries) and the paths the base
 * had that are gone.  all is set when the difference is unknown and
 * everything must be checked.
 */
struct enas_delta {
	size_t *changed;
	size_t nchanged;
	char **deleted;
	size_t ndeleted;
	int all;
};

void enas_delta_free(struct enas_delta *d);

/* The delta from base to s, by their sorted entries; NULL base: all. */
int enas_delta_between(struct enas_delta *d, const struct enas_snapshot *s,
    const struct enas_snapshot *base);

/*
 * The index as the next commit will have it, and how it differs from
 * HEAD, read fast: git's index file is parsed here, and its cache-tree
 * lets whole directories that did not change be skipped, so a commit
 * of one record in a repository of 100 000 reads a few directories,
 * not every entry twice.  Where the index is of a form this does not
 * read (version 4, split or sparse), it falls back to libgit2 and a
 * full comparison with HEAD.  An unborn HEAD gives d->all.
 */
int enas_snapshot_staged(struct enas_snapshot **out, struct enas_delta *d,
    struct enas_repo *repo);

/*
 * A snapshot of the working tree, the index, or the commit that rev
 * names (ENAS_COMMIT; NULL means HEAD).  An unborn HEAD, a revision
 * that names no commit, or a missing or corrupt object is ENAS_EGIT
 * with a message.
 */
int enas_snapshot_open(struct enas_snapshot **out, struct enas_repo *repo,
    enum enas_source source, const char *rev);

/* A snapshot of one commit given by id. */
int enas_snapshot_commit(struct enas_snapshot **out, struct enas_repo *repo,
    const git_oid *commit);

/*
 * A snapshot of a tree given by id (one that is not committed yet: what
 * a tool is about to commit), with no prefix in diagnostics.
 */
int enas_snapshot_tree(struct enas_snapshot **out, struct enas_repo *repo,
    const git_oid *tree);

/*
 * Like enas_snapshot_open(), but only the files below the directory
 * under ("records/rules", "records/cases"), so that a tool that needs
 * one directory does not list them all.
 */
int enas_snapshot_under(struct enas_snapshot **out, struct enas_repo *repo,
    enum enas_source source, const char *rev, const char *under);

void enas_snapshot_free(struct enas_snapshot *s);

/* The entry at path, or NULL (binary search). */
const struct enas_entry *enas_snapshot_find(const struct enas_snapshot *s,
    const char *path);

/*
 * Read an entry's bytes into b: at most max bytes from the working tree
 * (see enas_file_read), the whole blob otherwise.  A missing or corrupt
 * object is ENAS_EGIT; a link or other non-regular file ENAS_EDATA.
 */
int enas_snapshot_read(const struct enas_snapshot *s,
    const struct enas_entry *e, struct enas_buf *b, size_t max);

/* The git config value name as a boolean, or dflt when unset. */
int enas_config_bool(struct enas_repo *repo, const char *name, int dflt);

/*
 * The git config value name into b: 1 when set, 0 when not, or a
 * negative status.
 */
int enas_config_string(struct enas_buf *b, struct enas_repo *repo,
    const char *name);

/*
 * Take the repository's lock (enas.lock in its git directory, shared
 * by its worktrees), waiting up to ENAS_LOCK_TIMEOUT seconds (default
 * 30) for another enas tool to finish.
 */
int enas_repo_lock(struct enas_lock **out, struct enas_repo *repo);

#endif
