/*
 * fastrec.c: the plain form of a record, read line by line.
 *
 * What it accepts, and nothing more: bytes 0x20-0x7e and newlines, the
 * last byte a newline, no blank line, at most ENAS_RECORD_MAX bytes.
 * Each line is "KEY: VALUE"; "KEY:" opening a mapping or a list
 * indented by exactly two more spaces; "- VALUE" or "- KEY: VALUE" in a
 * list.  KEY is as record.h allows and unique in its mapping; nesting
 * stops at MAXDEPTH levels.  A VALUE is a plain scalar of letters,
 * digits and _ . / + @ ( ) - with single inner spaces, starting with a
 * letter, a digit or _, or a flow list "[a, b]" of such scalars.
 * Everything that YAML could read another way (quotes, comments,
 * anchors, tags, documents, other indentation, empty values) is
 * declined, not guessed.
 */
#include <stdlib.h>
#include <string.h>

#include "fastrec.h"

/* Well inside ENAS_RECORD_DEPTH: deeper records take the full parser. */
#define MAXDEPTH 6

struct enas_fastrec {
	struct enas_node *nodes;
	size_t nnodes, capnodes;
	char *text;
	size_t ntext, captext;
};

struct fp {
	struct enas_fastrec *f;
	const char *s, *p, *end;	/* the buffer, where we are, its end */
	const char *bol;		/* the start of the current line */
	int line;
};

int
enas_fastrec_new(struct enas_fastrec **out)
{
	if (!(*out = enas_calloc(1, sizeof(**out))))
		return ENAS_ENOMEM;
	return 0;
}

void
enas_fastrec_free(struct enas_fastrec *f)
{
	if (!f)
		return;
	free(f->nodes);
	free(f->text);
	free(f);
}

static int
is_key0(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_key(int c)
{
	return is_key0(c) || (c >= '0' && c <= '9') || c == '_';
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
is_plain(int c)
{
	return is_alnum(c) || c == '_' || c == '.' || c == '/' || c == '+' ||
	    c == '@' || c == '(' || c == ')' || c == '-';
}

static struct enas_node *
node(struct fp *fp, enum enas_node_type type, const char *at)
{
	struct enas_node *n;

	if (fp->f->nnodes == fp->f->capnodes)
		return NULL;	/* not with the room made for it */
	n = &fp->f->nodes[fp->f->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = fp->line;
	n->col = (int)(at - fp->bol) + 1;
	return n;
}

static const char *
text(struct fp *fp, const char *p, size_t n)
{
	char *t = fp->f->text + fp->f->ntext;

	memcpy(t, p, n);
	t[n] = '\0';
	fp->f->ntext += n + 1;
	return t;
}

static void
append(struct enas_node *parent, struct enas_node **last,
    struct enas_node *n)
{
	if (*last)
		(*last)->next = n;
	else
		parent->child = n;
	*last = n;
	parent->nchild++;
}

/*
 * The length of a plain scalar at p, ending at a newline, or in a flow
 * list also at a comma or a bracket; 0 when there is none.
 */
static size_t
plain(const char *p, const char *end, int flow)
{
	const char *q = p;

	if (q >= end || !(is_alnum(*q) || *q == '_'))
		return 0;
	while (q < end && *q != '\n' && !(flow && (*q == ',' || *q == ']'))) {
		if (*q == ' ') {
			if (q + 1 >= end || !is_plain(q[1]))
				return 0;
		} else if (!is_plain(*q))
			return 0;
		q++;
	}
	return (size_t)(q - p);
}

/* Move to the next line; 1 if there is one. */
static int
next_line(struct fp *fp)
{
	fp->p = (const char *)memchr(fp->p, '\n',
	    (size_t)(fp->end - fp->p)) + 1;
	fp->bol = fp->p;
	fp->line++;
	return fp->p < fp->end;
}

/* The indentation of the current line. */
static int
indent(const struct fp *fp)
{
	const char *q = fp->p;

	while (q < fp->end && *q == ' ')
		q++;
	return (int)(q - fp->p);
}

static struct enas_node *parse_map(struct fp *, int, int);
static struct enas_node *parse_seq(struct fp *, int, int);

/* A value after "KEY: " or "- ", to the end of the line. */
static struct enas_node *
value(struct fp *fp)
{
	struct enas_node *n, *item, *last = NULL;
	size_t len;

	if (*fp->p == '[') {
		if (!(n = node(fp, ENAS_SEQ, fp->p)))
			return NULL;
		fp->p++;
		if (*fp->p == ']') {
			fp->p++;
			return *fp->p == '\n' ? n : NULL;
		}
		for (;;) {
			if (!(len = plain(fp->p, fp->end, 1)))
				return NULL;
			if (!(item = node(fp, ENAS_SCALAR, fp->p)))
				return NULL;
			item->value = text(fp, fp->p, len);
			item->len = len;
			append(n, &last, item);
			fp->p += len;
			if (fp->p[0] == ']' && fp->p[1] == '\n') {
				fp->p++;
				return n;
			}
			if (fp->p[0] != ',' || fp->p[1] != ' ')
				return NULL;
			fp->p += 2;
		}
	}
	if (!(len = plain(fp->p, fp->end, 0)) ||
	    !(n = node(fp, ENAS_SCALAR, fp->p)))
		return NULL;
	n->value = text(fp, fp->p, len);
	n->len = len;
	fp->p += len;
	return n;
}

/*
 * A block mapping whose keys stand at column col (from 0); fp->p is at
 * its first key, perhaps after "- ".  Returns with fp->p at the start
 * of the first line that is not its own, or at the end.
 */
static struct enas_node *
parse_map(struct fp *fp, int col, int depth)
{
	struct enas_node *map, *n, *last = NULL, *m;
	const char *key, *kp;
	size_t klen;
	int kline, kcol, in;

	if (depth > MAXDEPTH || !(map = node(fp, ENAS_MAP, fp->p)))
		return NULL;
	for (;;) {
		kp = fp->p;
		if (!is_key0(*kp))
			return NULL;
		while (is_key(*fp->p))
			fp->p++;
		klen = (size_t)(fp->p - kp);
		if (*fp->p != ':')
			return NULL;
		for (m = map->child; m; m = m->next)
			if (m->key[0] == kp[0] && strncmp(m->key, kp,
			    klen) == 0 && m->key[klen] == '\0')
				return NULL;
		key = text(fp, kp, klen);
		kline = fp->line;
		kcol = (int)(kp - fp->bol) + 1;
		fp->p++;
		if (fp->p[0] == ' ') {
			fp->p++;
			if (!(n = value(fp)) || *fp->p != '\n')
				return NULL;
			next_line(fp);
		} else if (fp->p[0] == '\n') {
			if (!next_line(fp) || indent(fp) != col + 2)
				return NULL;
			fp->p += col + 2;
			if (fp->p[0] == '-' && fp->p[1] == ' ')
				n = parse_seq(fp, col + 2, depth + 1);
			else
				n = parse_map(fp, col + 2, depth + 1);
			if (!n)
				return NULL;
		} else
			return NULL;
		n->key = key;
		n->key_line = kline;
		n->key_col = kcol;
		append(map, &last, n);
		if (fp->p >= fp->end)
			return map;
		in = indent(fp);
		if (in < col)
			return map;
		if (in != col)
			return NULL;
		fp->p += col;
	}
}

/* A block list whose dashes stand at column col; fp->p at the first. */
static struct enas_node *
parse_seq(struct fp *fp, int col, int depth)
{
	struct enas_node *seq, *n, *last = NULL;
	const char *q;
	int in;

	/* Items are all scalars or all mappings; never lists. */
	if (depth > MAXDEPTH || !(seq = node(fp, ENAS_SEQ, fp->p)))
		return NULL;
	for (;;) {
		if (fp->p[0] != '-' || fp->p[1] != ' ')
			return NULL;
		fp->p += 2;
		for (q = fp->p; is_key(*q); q++)
			;
		if (is_key0(*fp->p) && *q == ':') {
			if (!(n = parse_map(fp, col + 2, depth + 1)))
				return NULL;
		} else {
			if (*fp->p == '[' || !(n = value(fp)) ||
			    *fp->p != '\n')
				return NULL;
			next_line(fp);
		}
		if (last && last->type != n->type)
			return NULL;
		append(seq, &last, n);
		if (fp->p >= fp->end)
			return seq;
		in = indent(fp);
		if (in < col)
			return seq;
		if (in != col)
			return NULL;
		fp->p += col;
	}
}

const struct enas_node *
enas_fastrec_parse(struct enas_fastrec *f, const char *buf, size_t len,
    int *rc)
{
	struct enas_node *root;
	struct fp fp;
	size_t i, lines = 0, commas = 0;
	void *p;

	*rc = 0;
	if (len == 0 || len > ENAS_RECORD_MAX || buf[len - 1] != '\n')
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n') {
			if (i == 0 || buf[i - 1] == '\n')
				return NULL;
			lines++;
		} else if (c == ',')
			commas++;
		else if (c < 0x20 || c > 0x7e)
			return NULL;
	}
	/* Nodes: at most four a line ("- k: [" opens three), one a comma. */
	if (4 * lines + commas + 4 > f->capnodes) {
		if (!(p = enas_realloc(f->nodes, (4 * lines + commas + 4) *
		    sizeof(*f->nodes)))) {
			*rc = ENAS_ENOMEM;
			return NULL;
		}
		f->nodes = p;
		f->capnodes = 4 * lines + commas + 4;
	}
	if (2 * len + 1 > f->captext) {
		if (!(p = enas_realloc(f->text, 2 * len + 1))) {
			*rc = ENAS_ENOMEM;
			return NULL;
		}
		f->text = p;
		f->captext = 2 * len + 1;
	}
	f->nnodes = 0;
	f->ntext = 0;
	fp.f = f;
	fp.s = fp.p = fp.bol = buf;
	fp.end = buf + len;
	fp.line = 1;
	if (!(root = parse_map(&fp, 0, 0)) || fp.p != fp.end)
		return NULL;
	return root;
}
