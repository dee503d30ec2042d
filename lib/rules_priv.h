/*
 * rules_priv.h: what a field's rules keep beside struct enas_field, for
 * rules.c, which builds it, and validate.c, which checks records with
 * it.  Nothing else looks inside.
 */
#ifndef ENAS_RULES_PRIV_H
#define ENAS_RULES_PRIV_H

#include "expr.h"
#include "pattern.h"
#include "record.h"

#define ENAS_TR_MAX 16	/* languages of one field's texts */

/* One language's text (a scalar) or labels (a mapping). */
struct tr {
	const char *lang;
	const struct enas_node *n;
};

struct field_priv {
	struct enas_pattern *match;
	struct enas_pattern *deny;
	struct enas_expr *required_if;
	struct enas_expr *forbidden_if;
	const struct enas_node *message;	/* the message: as written */
	const struct enas_node *enums;
	const struct enas_node *labels;
	struct tr msg[ENAS_TR_MAX];	/* each language's message */
	struct tr lab[ENAS_TR_MAX];	/* each language's labels mapping */
	size_t nmsg, nlab;
};

#endif
