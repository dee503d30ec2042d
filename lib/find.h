/*
 * find.h: record ids, and where the record with a given id lives.
 *
 * A record's file is <dir>/<...>/<id>.yaml, its place below the kind's
 * directory given by the rules' path template.  A tool finds it from
 * the id alone: the kind is the one whose id pattern matches, and the
 * directories the template names are tried, the year in the id first,
 * without reading any record.
 */
#ifndef ENAS_FIND_H
#define ENAS_FIND_H

#include <git2.h>

#include "kinds.h"
#include "repo.h"
#include "rules.h"

#define ENAS_ID_MAX 64		/* bytes in an id */

/*
 * 1 if id may be put in a path: 1 to ENAS_ID_MAX bytes of ASCII
 * letters, digits, '_' and '-', not starting with '-'.  This holds
 * whatever the rules' id patterns allow.
 */
int enas_id_safe(const char *id);

/*
 * The id a record's path names: its file name without the directory
 * and ".yaml", into buf (always NUL-terminated, cut to size).  Returns
 * buf.
 */
const char *enas_id_of_path(char *buf, size_t size, const char *path);

/* 1 if path names a YAML file: it ends in ".yaml". */
int enas_find_is_yaml(const char *path);

/*
 * The year an id carries: its first run of exactly four digits that
 * stands between '-' separators or the ends, or -1.
 */
int enas_id_year(const char *id);

/*
 * The office code for new ids of kind r into buf: office itself when it
 * is a code (upper-case letters and digits), otherwise, taking office
 * as a site's name, the alternative of the id pattern's leading group
 * ("(CAS|MRK|NDR|OUJ)") whose letters appear in that order in the name
 * (nador: NDR).  ENAS_EUSAGE with a message when there is none, or
 * several.
 */
int enas_id_office(char *buf, size_t size, const struct enas_rules *r,
    const char *office);

/*
 * Draw a new id of kind r into buf: "<PREFIX>-<YEAR>-<5 random Crockford
 * base-32 characters>", PREFIX being office (a code, or NULL), or else
 * the word the id pattern starts with ("SES").  The id is checked
 * against the pattern; ENAS_EUSAGE with a message when no id of this
 * form can match it (the caller must be given one).
 */
int enas_id_new(char *buf, size_t size, const struct enas_rules *r,
    const char *office, int year);

/*
 * Look for the record id of kind r: in tree (the root tree of a commit),
 * or in the working tree when tree is NULL.  Returns 1 when found, with
 * its path from the top of the repository in path
 * ("records/cases/2024/NDR-2024-7K3QP.yaml"), its git file mode in
 * *mode (GIT_FILEMODE_LINK for a link, 0 for something that is not a
 * file) and, in a tree, its blob in *oid; 0 when not found; a negative
 * status on failure.  Only directories are followed, never links: a
 * directory on the way that is a link in the working tree is
 * ENAS_EDATA with a message.  id must be safe (enas_id_safe).
 */
int enas_find(struct enas_buf *path, unsigned *mode, git_oid *oid,
    struct enas_repo *repo, git_tree *tree, const struct enas_rules *r,
    const char *id);

/*
 * Where the record in buf (len bytes) of kind r belongs, from the top
 * of the repository, into path: the place its path template gives
 * ("records/cases/2024/NDR-2024-7K3QP.yaml"); when the record does not
 * parse or lacks what the template needs, records/<dir>/<id>.yaml; its
 * id replaced by fallback when it is not a safe one.  The id used goes
 * to id (ENAS_ID_MAX + 1 bytes).  0 or ENAS_ENOMEM.
 */
int enas_find_place(struct enas_buf *path, char *id,
    const struct enas_rules *r, const char *buf, size_t len,
    const char *fallback);

/*
 * The ids of the records of kind r in source (the working tree, or
 * HEAD), sorted, as a NULL-terminated array in *out (free it with
 * enas_find_ids_free), their number in *n: the files of the kind's
 * directory whose names are ids of the kind.
 */
int enas_find_ids(char ***out, size_t *n, struct enas_repo *repo,
    enum enas_source source, const struct enas_rules *r);
void enas_find_ids_free(char **ids);

/*
 * The record a person means by arg, into id (size bytes) and *kind:
 * an id ("NDR-2024-7K3QP"), the same in lower case, a path to its file
 * ("records/cases/2024/NDR-2024-7K3QP.yaml"), or the end of one id
 * after a '-' ("7K3QP", "2024-7k3qp") when exactly one record of any
 * kind has it.  ENAS_EUSAGE with a message otherwise (no such id; an
 * end several ids share).  The record need not exist when arg is an
 * id of some kind.
 */
int enas_find_resolve(char *id, size_t size, const struct enas_rules **kind,
    const struct enas_kinds *kinds, struct enas_repo *repo, const char *arg);

#endif
