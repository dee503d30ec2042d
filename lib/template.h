/*
 * template.h: the text of a new record, generated from its kind's
 * rules: the id, the required fields, then the optional ones, each
 * with a comment saying what it takes; and the tidying that removes
 * that scaffolding once the record is filled in.
 */
#ifndef ENAS_TEMPLATE_H
#define ENAS_TEMPLATE_H

#include "kinds.h"
#include "enas.h"
#include "repo.h"
#include "rules.h"

/* FIELD=VALUE from a command line. */
struct enas_setting {
	const char *path;	/* "site", "consent.reporting" */
	const char *value;	/* a list's items separated by ',' */
};

/*
 * The ids of the records of one kind, listed in the guidance of the
 * fields that refer to it (ref: partner): an array of these ends with
 * a NULL kind.  A kind with too many records is not listed.
 */
struct enas_template_refs {
	const char *kind;
	char **ids;
	size_t n;
};

/*
 * The ids of the kinds r's fields refer to, as the records of source
 * (the working tree, or HEAD) have them, into *out: free it with
 * enas_template_refs_free().  A kind whose records cannot be listed is
 * left out.  0 or ENAS_ENOMEM.
 */
int enas_template_refs(struct enas_template_refs **out,
    struct enas_repo *repo, const struct enas_kinds *kinds,
    const struct enas_rules *r, enum enas_source source);
void enas_template_refs_free(struct enas_template_refs *refs);

/*
 * Check that set (n settings) names fields a template can fill: each
 * declared in r, a single value or a list (not a mapping, not inside a
 * sequence, not "id"), set once, its value free of control characters.
 * ENAS_EUSAGE with a message naming the first that is not.
 */
int enas_template_check(const struct enas_rules *r,
    const struct enas_setting *set, size_t n);

/*
 * Append the template of a new record of kind r with this id to b:
 * "id: ID" first, then the required fields, then the optional ones, in
 * the order of the rules, each under a comment line that gives its
 * type, allowed values, bounds and the rule's message; the values of
 * set (checked with enas_template_check) filled in, the others empty.
 * Sequences of mappings are shown as commented-out items to copy.  The
 * ids of refs (NULL, or ended by a NULL kind) are listed for the fields
 * that refer to their kinds.
 */
int enas_template(struct enas_buf *b, const struct enas_rules *r,
    const char *id, const struct enas_setting *set, size_t n,
    const struct enas_template_refs *refs);

/*
 * The text of record id of kind r (len bytes) as enas edit shows it,
 * into out (replaced): a header, and the template's guidance as
 * comment lines: above each field what it takes, above each list of
 * items what an item holds and below it one to copy, below each
 * mapping and at the end the fields the record lacks, commented out.
 * Only comment lines are added: without them (enas_editor_strip) the
 * text is exactly the record's.  A record that does not parse gets
 * the header alone.  0 or ENAS_ENOMEM.
 */
int enas_template_annotate(struct enas_buf *out, const struct enas_rules *r,
    const char *id, const char *text, size_t len,
    const struct enas_template_refs *refs);

/*
 * The record in buf (len bytes) without the template's scaffolding:
 * lines that hold only a comment, and fields left empty ("key:" alone,
 * "key: []", "key: {}"), with the mappings that this empties.  Returns
 * 1 with the tidied text in out when it parses and holds exactly the
 * same fields and values as buf; 0 with buf's text in out when it
 * would not (or buf does not parse); ENAS_ENOMEM.
 */
int enas_template_tidy(struct enas_buf *out, const char *buf, size_t len);

#endif
