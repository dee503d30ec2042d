/*
 * rules.h: the schema of one kind of record, records/rules/<kind>.yaml
 * (SPEC §4), loaded and compiled once, then applied to records.
 */
#ifndef ENAS_RULES_H
#define ENAS_RULES_H

#include "date.h"	/* dates as days since 1970 */
#include "enas.h"
#include "record.h"

enum enas_type {
	ENAS_TEXT,
	ENAS_INT,
	ENAS_DATE,
	ENAS_BOOL,
	ENAS_LIST,
	ENAS_MAPPING,	/* a container: a prefix of other declared paths */
	ENAS_ITEMS	/* a sequence of mappings: "a" when "a[].b" exists */
};

/* A bound of min: or max:, a literal, another field, or today. */
struct enas_bound {
	int set;
	int today;
	const char *field;	/* another field's path, or NULL */
	long long num;		/* an int, or a date as days since 1970 */
};

struct enas_band {
	const char *name;	/* "12-14" */
	long long lo, hi;	/* inclusive */
};

/*
 * One declared field.  path is as written in the rules ("referrals[].to").
 * Compiled patterns and expressions are private to the module.
 */
struct enas_field {
	const char *path;
	int line, col;		/* of its key in the rules file */
	enum enas_type type;
	int required;
	int unique;
	enum enas_level level;
	const char *ref;	/* a kind name, or NULL */
	const char *message;	/* in the user's language (lang.h), or NULL */
	const char **enums;	/* NULL-terminated, or NULL */
	size_t nenums;
	const char **labels;	/* each enum value's label in the user's
				   language, or NULL; NULL when none */
	struct enas_bound min, max;
	struct enas_band *bands;
	size_t nbands;
	const char *match_src, *deny_src;
	const char *required_if_src, *forbidden_if_src;
	void *priv;
};

/*
 * The commit: section of a rules file: what the server lets a commit or
 * tag message, and an author, committer or tagger, hold (lib/receive
 * applies it to every pushed commit).  deny[i] is the compiled pattern
 * (struct enas_pattern) of deny_src[i], named deny_name[i].
 */
struct enas_commit_rules {
	int set;
	size_t max_length;	/* bytes of a message; 0: no limit */
	size_t max_name;	/* bytes of a name or e-mail; 0: no limit */
	const char *message;	/* the hint, or NULL */
	const char **deny_name;
	const char **deny_src;
	void **deny;
	size_t ndeny;
};

struct enas_rules {
	const char *file;	/* records/rules/case.yaml */
	const char *kind;	/* case */
	const char *dir;	/* cases */
	const char *path;	/* {registered:year}/{id}.yaml */
	const char *id_src;	/* the id pattern as written */
	const char *date;	/* the dating field, or NULL */
	struct enas_field *fields;
	size_t nfields;
	void *priv;
	struct enas_commit_rules commit;
};

/*
 * Load and compile a rules file from buf (len bytes) named file.  Every
 * problem (bad YAML, unknown keyword, bad pattern, bad bound) is
 * reported through fn at its own line and column; then ENAS_ERULES is
 * returned and *out is NULL.
 */
int enas_rules_load(struct enas_rules **out, const char *buf, size_t len,
    const char *file, enas_diag_fn fn, void *ctx);

void enas_rules_free(struct enas_rules *r);

/*
 * Warn, through fn, where a language that the rules file r uses for a
 * message or labels is incomplete: a message or an enum value without
 * it (English excepted: a plain message is English, and a value without
 * a label is shown as its code).  Warnings only; enas-check asks.
 */
void enas_rules_lint(const struct enas_rules *r, enas_diag_fn fn,
    void *ctx);

/* The declared field at path, or NULL. */
const struct enas_field *enas_rules_field(const struct enas_rules *r,
    const char *path);

/*
 * The label of value, one of f's enum values, in the user's language
 * (lang.h): the first of the user's languages that labels it; NULL when
 * none does (then the value, a code, is what a person is shown).
 */
const char *enas_rules_label(const struct enas_field *f, const char *value);

/*
 * Copy the record rec, parsed from buf (len bytes), into out, with the
 * label of each enum value in the user's language after it, as a
 * comment at the end of its line ("sex: male  # garçon").  Lines with
 * no labelled value are copied as they are.  ENAS_ENOMEM or 0.
 */
int enas_rules_annotate(struct enas_buf *out, const struct enas_rules *r,
    const struct enas_record *rec, const char *buf, size_t len);

/* 1 if id matches the kind's id pattern (whole string), else 0. */
int enas_rules_id_ok(const struct enas_rules *r, const char *id, size_t len);

/*
 * Check one record against the rules, on its own: declared fields,
 * types, enums, bounds, patterns, conditions, and that it has an id of
 * the kind's pattern.  Cross-record rules (ref, unique, paths) are
 * lib/check's.  Returns the number of errors reported (warnings are
 * reported but not counted), or a negative status.
 */
int enas_rules_check(const struct enas_rules *r,
    const struct enas_record *rec, enas_diag_fn fn, void *ctx);

/*
 * The path below the kind's directory where a record belongs
 * ("2024/NDR-2024-7K3QP.yaml"), from the path template, into b.
 * ENAS_EDATA when a field the template needs is absent or not of its
 * type.
 */
int enas_rules_record_path(struct enas_buf *b, const struct enas_rules *r,
    const struct enas_record *rec);

/* Parse a decimal int of len bytes into *out; 0 ok, -1 if not one. */
int enas_int_parse(long long *out, const char *s, size_t len);

#endif
