/*
 * merge.h: a three-way merge of two versions of a record, field by
 * field, for git's merge driver (enas-merge).
 *
 * The merge works on the parsed trees and writes its result as text
 * that keeps "ours" wherever it can: each top-level field, nested field
 * and list item is a range of lines, and the result is ours' lines, with
 * theirs' lines (re-indented to ours) where only theirs changed a field,
 * and git-style conflict markers around the one field both changed.
 */
#ifndef ENAS_MERGE_H
#define ENAS_MERGE_H

#include "enas.h"
#include "repo.h"
#include "rules.h"

/* What enas_merge_records() found. */
enum enas_merge_status {
	ENAS_MERGE_CLEAN = 0,	/* merged; out holds the result */
	ENAS_MERGE_CONFLICT = 1,	/* out holds conflict markers */
	ENAS_MERGE_NOT_RECORD = 2	/* not a record: merge as text */
};

/* One version of the file: bytes, not necessarily NUL-terminated. */
struct enas_merge_input {
	const char *buf;
	size_t len;
};

/*
 * Merge ours and theirs, two versions of a record that descend from
 * base, into out (replaced).  name is the file's path, for messages.
 * Returns an enum enas_merge_status, or a negative status on failure
 * (memory).
 *
 * Fields that one side changed take that side's value; fields both
 * changed alike are kept; nested mappings merge member by member;
 * lists of values (concerns) merge as sets; lists of mappings
 * (referrals, follow_ups) merge item by item, an item being matched by
 * equality, or as the same item changed when at least half its fields
 * are equal, and items new on theirs side are placed by their date:
 * member.  A field both sides changed differently, or one removed and
 * the other changed, is a conflict: out holds ours' and theirs' lines
 * of that field alone between "<<<<<<< ours", "=======" and ">>>>>>>
 * theirs", and a diagnostic naming the field (never its values) goes to
 * fn at the line of the marker.  An empty base with two different
 * records is two records created with one id: the whole file is a
 * conflict.  When any side is not in the YAML subset, nothing is
 * reported and ENAS_MERGE_NOT_RECORD is returned.
 *
 * A clean result is parsed again and compared with the merged tree, so
 * what is written always means what was merged; when the line-based
 * text cannot say it, the result is written out in the canonical form
 * (two-space indentation, lists of values in [...]).
 */
int enas_merge_records(struct enas_buf *out, const char *name,
    const struct enas_merge_input *base, const struct enas_merge_input *ours,
    const struct enas_merge_input *theirs, enas_diag_fn fn, void *ctx);

/*
 * git's line-based three-way merge (libgit2's git_merge_file), with
 * the labels ours, base and theirs, into out (replaced).  Returns
 * ENAS_MERGE_CLEAN or ENAS_MERGE_CONFLICT, or a negative status.
 */
int enas_merge_text(struct enas_buf *out,
    const struct enas_merge_input *base, const struct enas_merge_input *ours,
    const struct enas_merge_input *theirs);

/*
 * Check a merged record (buf, len bytes) named path on its own: the
 * YAML subset, the kind's rules r, and that its id is its file name.
 * Rules that span records (ref, unique, duplicate ids) are left to the
 * hooks, which see the whole merged tree.  A path under records/rules/
 * is checked as a rules file, and r may then be NULL.  Returns the
 * number of errors reported, or a negative status.
 */
int enas_merge_check(const struct enas_rules *r, const char *path,
    const char *buf, size_t len, enas_diag_fn fn, void *ctx);

#endif
