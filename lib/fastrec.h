/*
 * fastrec.h: a fast reader for records written in the plain form that
 * the tools and editors usually leave: printable ASCII, two-space
 * indentation, plain scalars, flow lists of plain scalars, block lists
 * of scalars or mappings.  It builds the same tree of nodes as
 * enas_record_parse(), positions included, in a fraction of the time,
 * and declines anything else: then the caller uses the full parser,
 * which also gives every diagnostic.  tests/unit/fastrec.c holds it to
 * that.
 */
#ifndef ENAS_FASTREC_H
#define ENAS_FASTREC_H

#include "record.h"

struct enas_fastrec;

int enas_fastrec_new(struct enas_fastrec **out);

void enas_fastrec_free(struct enas_fastrec *f);

/*
 * The root mapping of the record in buf (len bytes), or NULL when it is
 * not in the plain form (or memory ran out: then *rc is ENAS_ENOMEM,
 * else 0).  The tree belongs to f and lives until its next parse.
 */
const struct enas_node *enas_fastrec_parse(struct enas_fastrec *f,
    const char *buf, size_t len, int *rc);

#endif
