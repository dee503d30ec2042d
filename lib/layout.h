/*
 * layout.h: the closed layout of a records repository (SPEC §2, §9).
 *
 * A records repository holds only: the rules files
 * records/rules/<kind>.yaml; each kind's records at the places its
 * rules' path template allows below records/<dir>/ (the file named by
 * the record's id); and .gitattributes with exactly the line enas init
 * writes.  Everything else is refused, each with a diagnostic that
 * names the path: other files and directories, hidden files (a name
 * starting with '.'), '.git' and its lookalikes, links, submodules,
 * executable or odd modes, duplicate tree entries, names that differ
 * from a sibling's only by case or Unicode normalisation, and names
 * with control, bidirectional, invisible or other non-ASCII
 * characters.  The check is in this one place: the pre-commit hook,
 * enas-check in every mode and the server all use it, and the readers
 * (statistics, listings) use enas_layout_record_path() so that they see
 * exactly the records that the check accepts.
 */
#ifndef ENAS_LAYOUT_H
#define ENAS_LAYOUT_H

#include <git2.h>

#include "enas.h"
#include "rules.h"

/* The one .gitattributes a records repository may hold (enas init's). */
#define ENAS_LAYOUT_ATTRIBUTES "records/**/*.yaml eol=lf merge=enas\n"

/*
 * The kinds a layout is made of: the rules of every kind of a snapshot
 * (borrowed).  Broken rules files are not kinds; their records are then
 * refused as outside the layout, which the rules' own errors explain.
 */
struct enas_layout_kinds {
	const struct enas_rules *const *rules;
	size_t n;
};

/*
 * Whether path (from the top of the repository, "records/cases/2024/
 * NDR-2024-7K3QP.yaml") is a record's place in the layout: below a
 * kind's directory, where its path template allows, named by an id of
 * the kind, every name acceptable.  Returns 1 and sets *rules (when
 * rules is not NULL) to the kind's rules, or 0.  Rules files are not
 * records: 0 for them.
 */
int enas_layout_record_path(const struct enas_layout_kinds *kinds,
    const char *path, const struct enas_rules **rules);

/*
 * Like enas_layout_record_path() for rel, a path below the kind's
 * directory ("2024/NDR-2024-7K3QP.yaml"), for readers that walk one
 * kind's tree.
 */
int enas_layout_kind_path(const struct enas_rules *rules, const char *rel);

/*
 * Check every path of the tree tree (a commit's root tree) against the
 * layout, reading git's tree objects as they are stored (so duplicate
 * entries, modes and order are seen as git sees them, not as libgit2's
 * lookup shows them).  Each refusal is reported through fn, named
 * prefix + path ("3f2a9c1:records/kids").  base is the root tree of the
 * commit's parent, already checked, or NULL: a subtree whose id is the
 * same at the same path in base is not walked again, so the work is
 * proportional to what changed.  The caller passes NULL when the kinds
 * differ from base's.  Returns the number of refusals, or a negative
 * status for a failure that is not the data's (a missing object).
 */
int enas_layout_check_tree(git_repository *repo, const git_oid *tree,
    const git_oid *base, const struct enas_layout_kinds *kinds,
    const char *prefix, enas_diag_fn fn, void *ctx);

/*
 * One path of a listing (the index, the working tree): its git mode
 * (0 for something that is neither a file, a link nor a submodule),
 * and its blob id when known (the index), else NULL.
 */
struct enas_layout_path {
	const char *path;
	unsigned mode;
	const git_oid *oid;
};

/*
 * Check the paths of a sorted listing (bytewise, as git sorts them),
 * each reported as prefix + path.  When only (non-NULL) is given, only
 * the paths whose only[i] is set are checked, but against every path
 * of the listing as siblings (so a staged file that differs only by
 * case from a committed one is refused).  A directory outside the
 * layout is reported once, not each file below it.  The content of
 * .gitattributes is checked by its blob id, or read from workdir when
 * oid is NULL and workdir is not.  Returns the number of refusals, or a
 * negative status.
 */
int enas_layout_check_paths(const struct enas_layout_path *paths, size_t n,
    const char *only, const struct enas_layout_kinds *kinds,
    const char *workdir, const char *prefix, enas_diag_fn fn, void *ctx);

#endif
