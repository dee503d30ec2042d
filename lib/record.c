/*
 * record.c: parse one record, the strict YAML subset of SPEC §3, into a
 * tree of nodes kept in an arena.
 *
 * Parsing is two passes.  The first looks at the raw bytes: size,
 * encoding, control characters, line ends, conflict markers and tabs in
 * indentation, reporting every offending line with its true line and
 * column (libyaml would only give a byte offset, or accept them).  The
 * second drives libyaml's event parser and refuses, at the first
 * problem, every construct outside the subset; our own depth limit stops
 * a deeply nested input as soon as it is seen.  A few things libyaml
 * gets wrong are checked on the text around its events (the YAML test
 * suite found them, tests/unit/yamlsuite.c): a '#' with no space before
 * it after a quoted scalar or a block indicator, flow values continued
 * on lines indented no more than their key, and the last line break of
 * a block scalar that ends the file in a line of spaces.
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "enas.h"
#include "i18n.h"
#include "record.h"

#define BYTE_DIAG_MAX 20	/* byte-level problems reported per file */
#define ARENA_FIRST 8192	/* the first block of a record's arena */
#define ARENA_BIGGEST (256 * 1024)	/* blocks double up to this */
#define DUP_SCAN_MAX 16		/* larger mappings use the hash */

/*
 * The arena: a chain of blocks, newest first.  struct arena and the
 * record itself live at the start of the first block, so a small record
 * costs one malloc and enas_record_free() one free per block.
 */
struct block {
	struct block *next;
	size_t cap;
	size_t used;
};

#define BLOCK_HDR ((sizeof(struct block) + alignof(max_align_t) - 1) & \
	~(alignof(max_align_t) - 1))

struct arena {
	struct block *head;
	size_t next_cap;
};

/*
 * Byte-level problems: each kind is reported at most once per line, so
 * a Latin-1 file gives one diagnostic per offending line.
 */
enum {
	BK_NUL = 1 << 0,
	BK_UTF8 = 1 << 1,
	BK_CR = 1 << 2,
	BK_CTRL = 1 << 3,
	BK_LSEP = 1 << 4,
	BK_NONCHAR = 1 << 5
};

struct bytecheck {
	enas_diag_fn fn;
	void *ctx;
	const char *file;
	int n;			/* problems found */
};

/* One open collection while the event loop runs. */
struct frame {
	struct enas_node *node;
	struct enas_node *last;	/* its last child, to append in O(1) */
	const char *key;	/* a mapping's key waiting for its value */
	int key_line, key_col;
	int hashed;		/* a mapping whose keys are hashed */
	int items;		/* a sequence's item type so far, or -1 */
	int flow;		/* a flow collection, or inside one */
	int indent;		/* a flow collection in a block: the spaces
				   its continuation lines need, else 0 */
	int start_line;		/* where it starts, from 1 */
	size_t start;		/* its offset in the buffer */
};

/* Keys of large mappings, to find duplicates in O(1). */
struct dupent {
	const struct enas_node *map;
	const struct enas_node *member;
};

struct duphash {
	struct dupent *tab;
	size_t cap;		/* a power of 2, or 0 */
	size_t n;
};

struct parse {
	const char *buf;	/* the input, len bytes */
	size_t len;
	struct arena *arena;
	enas_diag_fn fn;
	void *ctx;
	const char *file;
	unsigned flags;
	struct frame stack[ENAS_RECORD_DEPTH + 1];
	int depth;		/* frames in use */
	int ndocs;
	struct enas_node *root;
	struct duphash dup;
};

/*
 * Allocate n bytes aligned to align (a power of 2) from a.  Returns NULL
 * with the last error set when memory runs out.
 */
static void *
arena_alloc(struct arena *a, size_t n, size_t align)
{
	struct block *b = a->head;
	size_t off, cap;

	off = (b->used + align - 1) & ~(align - 1);
	if (off <= b->cap && n <= b->cap - off) {
		b->used = off + n;
		return (char *)b + BLOCK_HDR + off;
	}
	cap = a->next_cap;
	if (n > cap - alignof(max_align_t))
		cap = n + alignof(max_align_t);
	if (cap > (size_t)-1 - BLOCK_HDR) {
		enas_error_nomem();
		return NULL;
	}
	if (!(b = enas_malloc(BLOCK_HDR + cap)))
		return NULL;
	b->cap = cap;
	b->used = n;
	b->next = a->head;
	a->head = b;
	if (a->next_cap < ARENA_BIGGEST)
		a->next_cap *= 2;
	return (char *)b + BLOCK_HDR;
}

/* A NUL-terminated copy of s (n bytes) in a, or NULL. */
static char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == (size_t)-1) {
		enas_error_nomem();
		return NULL;
	}
	if (!(p = arena_alloc(a, n + 1, 1)))
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * A new arena holding, at its start, a zeroed object of size n: the
 * record.  *objp receives the object.  Returns NULL when out of memory.
 */
static struct arena *
arena_new(size_t n, void **objp)
{
	struct block *b;
	struct arena *a;
	size_t off;

	if (!(b = enas_malloc(BLOCK_HDR + ARENA_FIRST)))
		return NULL;
	b->next = NULL;
	b->cap = ARENA_FIRST;
	b->used = 0;
	a = (struct arena *)((char *)b + BLOCK_HDR);
	a->head = b;
	a->next_cap = ARENA_FIRST * 2;
	off = (sizeof(*a) + alignof(max_align_t) - 1) &
	    ~(alignof(max_align_t) - 1);
	b->used = off + n;
	*objp = (char *)a + off;
	memset(*objp, 0, n);
	return a;
}

/* Free every block of a (which lives in one of them); a may be NULL. */
static void
arena_free(struct arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
}

void
enas_record_free(struct enas_record *r)
{
	if (r)
		arena_free(r->arena);
}

/*
 * Report one byte-level problem, or, past the cap, say once that more
 * were left out.
 */
static void
byte_report(struct bytecheck *bc, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
byte_report(struct bytecheck *bc, int line, int col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (bc->n < BYTE_DIAG_MAX) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		enas_diag_report(bc->fn, bc->ctx, bc->file, line, col,
		    ENAS_ERROR, NULL, NULL, "%s", msg);
	} else if (bc->n == BYTE_DIAG_MAX)
		enas_diag_report(bc->fn, bc->ctx, bc->file, 0, 0, ENAS_ERROR,
		    NULL, NULL, _("too many problems; only the first %d are "
		    "shown"), BYTE_DIAG_MAX);
	bc->n++;
}

/*
 * Decode one UTF-8 character at p (avail bytes, at least 1) into *cp.
 * Returns its length, or 0 if the bytes there are not well-formed UTF-8
 * (Unicode table 3-7: no overlongs, no surrogates, nothing above
 * U+10FFFF, no truncated sequence).
 */
static size_t
utf8_decode(const unsigned char *p, size_t avail, uint32_t *cp)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t n, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		v = v << 6 | (p[i] & 0x3F);
	}
	*cp = v;
	return n;
}

/*
 * If the line at p (n bytes to the end of the buffer) starts with a git
 * conflict marker, seven of <, |, = or > then the end of the line or a
 * space, return 1.
 */
static int
conflict_marker(const unsigned char *p, size_t n)
{
	size_t i;

	if (n < 7 || (p[0] != '<' && p[0] != '|' && p[0] != '=' &&
	    p[0] != '>'))
		return 0;
	for (i = 1; i < 7; i++)
		if (p[i] != p[0])
			return 0;
	return n == 7 || p[7] == '\n' || p[7] == ' ' || p[7] == '\r';
}

/*
 * If the line at p (n bytes to the end of the buffer) has a tab in its
 * leading white space, report it and return 1; else return 0.  libyaml
 * refuses such a tab even on a blank line, with a less helpful message.
 * The message says what the tab is: indentation when it starts the
 * line, white space on a line that is otherwise blank, or, after the
 * indentation spaces, the start of the text (content or separation),
 * where the subset still wants spaces.
 */
static int
indent_tab(struct bytecheck *bc, int line, const unsigned char *p, size_t n)
{
	size_t i, tab = 0;

	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		if (p[i] == '\t' && !tab)
			tab = i + 1;
	if (!tab)
		return 0;
	if (i == n || p[i] == '\n' || p[i] == '\r')
		byte_report(bc, line, (int)tab, "%s", _("tab on a blank line; "
		    "remove it"));
	else if (tab == 1)
		byte_report(bc, line, 1, "%s", _("tab used for indentation; "
		    "indent with spaces"));
	else
		byte_report(bc, line, (int)tab, "%s", _("tab after the "
		    "indentation, at the start of the text; write spaces "
		    "there"));
	return 1;
}

/*
 * The byte-level checks of the whole buffer.  Returns the number of
 * problems reported (0 if the bytes are fit for libyaml).
 */
static int
check_bytes(struct bytecheck *bc, const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	unsigned seen = 0;
	int line = 1, col = 1, crlf = 0;
	uint32_t cp;

	if (len > ENAS_RECORD_MAX) {
		byte_report(bc, 0, 0, _("file is %zu bytes, larger than the "
		    "%d KiB limit for a record"), len, ENAS_RECORD_MAX / 1024);
		return bc->n;
	}
	if (len >= 4 && ((s[0] == 0 && s[1] == 0 && s[2] == 0xFE &&
	    s[3] == 0xFF) || (s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 &&
	    s[3] == 0) || (s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3]) ||
	    (s[0] && s[1] == 0 && s[2] == 0 && s[3] == 0))) {
		byte_report(bc, 1, 1, _("file is UTF-32; save it as UTF-8"));
		return bc->n;
	}
	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE &&
	    s[1] == 0xFF) || s[0] == 0 || s[1] == 0)) {
		byte_report(bc, 1, 1, _("file is UTF-16; save it as UTF-8"));
		return bc->n;
	}
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		byte_report(bc, 1, 1, _("file starts with a UTF-8 byte-order "
		    "mark; save it without one"));
		i = 3;
	}
	if (i < len && conflict_marker(s + i, len - i))
		byte_report(bc, line, 1, _("git merge-conflict marker; resolve "
		    "the conflict first"));
	if (i < len)
		indent_tab(bc, line, s + i, len - i);
	while (i < len) {
		/* The common case first: printable ASCII and tabs. */
		if ((s[i] >= 0x20 && s[i] < 0x7F) || s[i] == '\t') {
			i++;
			col++;
			continue;
		}
		if (s[i] == '\n') {
			i++;
			line++;
			col = 1;
			seen = 0;
			if (i < len && conflict_marker(s + i, len - i))
				byte_report(bc, line, 1, _("git merge-conflict "
				    "marker; resolve the conflict first"));
			if (i < len)
				indent_tab(bc, line, s + i, len - i);
			continue;
		}
		if (s[i] == '\r') {
			if (i + 1 < len && s[i + 1] == '\n') {
				if (!crlf)
					byte_report(bc, line, col,
					    _("CRLF line end; save the file "
					    "with LF line ends"));
				crlf = 1;
			} else if (!(seen & BK_CR)) {
				byte_report(bc, line, col, _("carriage return "
				    "without a line feed; save the file with "
				    "LF line ends"));
				seen |= BK_CR;
			}
			i++;
			col++;
			continue;
		}
		if (s[i] == 0) {
			if (!(seen & BK_NUL))
				byte_report(bc, line, col, _("NUL byte in the "
				    "file"));
			seen |= BK_NUL;
			i++;
			col++;
			continue;
		}
		if (!(n = utf8_decode(s + i, len - i, &cp))) {
			if (!(seen & BK_UTF8))
				byte_report(bc, line, col, _("invalid UTF-8 "
				    "(byte 0x%02X)"), s[i]);
			seen |= BK_UTF8;
			i++;
			col++;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			if (!(seen & BK_CTRL))
				byte_report(bc, line, col, _("control "
				    "character U+%04X"), (unsigned)cp);
			seen |= BK_CTRL;
		} else if (cp == 0x2028 || cp == 0x2029) {
			/* libyaml counts them as line breaks; editors don't. */
			if (!(seen & BK_LSEP))
				byte_report(bc, line, col, _("Unicode line "
				    "separator U+%04X; use LF line ends"),
				    (unsigned)cp);
			seen |= BK_LSEP;
		} else if (cp == 0xFFFE || cp == 0xFFFF) {
			if (!(seen & BK_NONCHAR))
				byte_report(bc, line, col, _("non-character "
				    "U+%04X"), (unsigned)cp);
			seen |= BK_NONCHAR;
		}
		i += n;
		col++;
	}
	return bc->n;
}

/* Report a structural problem at a libyaml mark. */
static void
yaml_report(struct parse *p, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
yaml_report(struct parse *p, const yaml_mark_t *m, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	enas_diag_report(p->fn, p->ctx, p->file, (int)m->line + 1,
	    (int)m->column + 1, ENAS_ERROR, NULL, NULL, "%s", msg);
}

/*
 * The lines that a flow value (a quoted scalar or a flow collection) in
 * a block collection continues on, from byte from to byte to of the
 * input, starting on line (from 1): each that is not blank must be
 * indented by need spaces at least, more than the key or '-' that holds
 * the value (YAML 1.2, 7.1 and 8.2), which libyaml does not check.
 * Returns 0, or ENAS_EDATA after reporting the first line that is not.
 */
static int
continued_lines(struct parse *p, size_t from, size_t to, int line, int need)
{
	const char *s = p->buf;
	int start = line;
	yaml_mark_t m;
	size_t i, k;

	for (i = from; i < to && i < p->len; i++) {
		if (s[i] != '\n')
			continue;
		line++;
		if (i + 1 >= to)
			break;
		for (k = i + 1; k < p->len && s[k] == ' '; k++)
			;
		if (k == p->len || s[k] == '\n' || (int)(k - i - 1) >= need)
			continue;
		m.index = k;
		m.line = (size_t)line - 1;
		m.column = k - i - 1;
		yaml_report(p, &m, dngettext(ENAS_TEXTDOMAIN, "this line "
		    "continues the value that starts on line %d: indent it "
		    "by at least %d space", "this line continues the value "
		    "that starts on line %d: indent it by at least %d spaces",
		    (unsigned long)need), start, need);
		return ENAS_EDATA;
	}
	return 0;
}

/*
 * The checks of a scalar's text around it that libyaml leaves out: a
 * '#' right after a quoted scalar or a block scalar's indicators is not
 * a comment but an error (YAML 1.2, 6.6: a comment follows white space),
 * and a quoted scalar's continuation lines are indented.  Returns 0, or
 * ENAS_EDATA after reporting.
 */
static int
check_scalar_text(struct parse *p, const struct frame *f,
    const yaml_event_t *ev)
{
	yaml_scalar_style_t style = ev->data.scalar.style;
	size_t i = ev->start_mark.index, end = ev->end_mark.index;
	yaml_mark_t m;

	if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	    style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		if (end < p->len && p->buf[end] == '#') {
			yaml_report(p, &ev->end_mark, "%s", _("'#' right after "
			    "a quoted value: a comment needs a space before "
			    "it"));
			return ENAS_EDATA;
		}
		if (!f->flow && ev->end_mark.line > ev->start_mark.line)
			return continued_lines(p, i, end,
			    (int)ev->start_mark.line + 1, f->node->col);
		return 0;
	}
	if ((style != YAML_LITERAL_SCALAR_STYLE &&
	    style != YAML_FOLDED_SCALAR_STYLE) || i >= p->len)
		return 0;
	for (i++; i < p->len && ((p->buf[i] >= '0' && p->buf[i] <= '9') ||
	    p->buf[i] == '+' || p->buf[i] == '-'); i++)
		;
	if (i < p->len && p->buf[i] == '#') {
		m = ev->start_mark;
		m.column += i - m.index;
		m.index = i;
		yaml_report(p, &m, _("'#' right after '%c': a comment needs a "
		    "space before it"), p->buf[ev->start_mark.index]);
		return ENAS_EDATA;
	}
	return 0;
}

/*
 * 1 if the block scalar of ev, read as value (len bytes), lacks the
 * line break that ends its last line: libyaml drops it when the input
 * ends in a line of spaces without a final newline, although the block
 * keeps it unless its header strips it ('-').
 */
static int
block_lost_break(const struct parse *p, const yaml_event_t *ev,
    const char *value, size_t len)
{
	yaml_scalar_style_t style = ev->data.scalar.style;
	size_t i = ev->start_mark.index;

	if ((style != YAML_LITERAL_SCALAR_STYLE &&
	    style != YAML_FOLDED_SCALAR_STYLE) || len == 0 ||
	    value[len - 1] == '\n' || p->len == 0 ||
	    p->buf[p->len - 1] == '\n')
		return 0;
	for (i++; i < p->len && ((p->buf[i] >= '0' && p->buf[i] <= '9') ||
	    p->buf[i] == '+' || p->buf[i] == '-'); i++)
		if (p->buf[i] == '-')
			return 0;
	for (i = ev->end_mark.index; i < p->len; i++)
		if (p->buf[i] != ' ')
			return 0;
	return 1;
}

/*
 * The length of the word [a-z][a-z0-9_]* that starts s (n bytes), the
 * name of a field; 0 if s does not start with one.
 */
static size_t
word_len(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			break;
	return i;
}

/*
 * 1 if s (n bytes) is a key: a word, or with rules a field path of
 * words each perhaps followed by [], joined by dots.
 */
static int
key_ok(const char *s, size_t n, unsigned flags)
{
	size_t i = 0, w;

	if (!(flags & ENAS_PARSE_RULES))
		return word_len(s, n) == n && n > 0;
	for (;;) {
		if (!(w = word_len(s + i, n - i)))
			return 0;
		i += w;
		if (n - i >= 2 && s[i] == '[' && s[i + 1] == ']')
			i += 2;
		if (i == n)
			return 1;
		if (s[i] != '.')
			return 0;
		i++;
	}
}

/* Mix a mapping's address and a key into a hash. */
static size_t
dup_hashval(const struct enas_node *map, const char *key)
{
	uint64_t h = 14695981039346656037ULL ^ (uint64_t)(uintptr_t)map;

	while (*key)
		h = (h ^ (unsigned char)*key++) * 1099511628211ULL;
	return (size_t)(h ^ h >> 29);
}

/*
 * The member of map already in the hash with key, if any; with add set,
 * member is added when the key is new.  Returns ENAS_ENOMEM if growing
 * fails; else 0 with *found set.
 */
static int
dup_find(struct duphash *d, const struct enas_node *map,
    const struct enas_node *member, const char *key, int add,
    const struct enas_node **found)
{
	struct dupent *tab, *e;
	size_t i, j, cap;

	*found = NULL;
	if (add && (d->n + 1) * 2 > d->cap) {
		cap = d->cap ? d->cap * 2 : 256;
		if (!(tab = enas_calloc(cap, sizeof(*tab))))
			return ENAS_ENOMEM;
		for (i = 0; i < d->cap; i++) {
			if (!d->tab[i].map)
				continue;
			j = dup_hashval(d->tab[i].map, d->tab[i].member->key);
			while (tab[j & (cap - 1)].map)
				j++;
			tab[j & (cap - 1)] = d->tab[i];
		}
		free(d->tab);
		d->tab = tab;
		d->cap = cap;
	}
	if (!d->cap)
		return 0;
	for (i = dup_hashval(map, key); ; i++) {
		e = &d->tab[i & (d->cap - 1)];
		if (!e->map)
			break;
		if (e->map == map && strcmp(e->member->key, key) == 0) {
			*found = e->member;
			return 0;
		}
	}
	if (add) {
		e->map = map;
		e->member = member;
		d->n++;
	}
	return 0;
}

/*
 * The earlier member of the mapping in frame f with key, or NULL.
 * Small mappings are scanned; a mapping that grows past DUP_SCAN_MAX
 * members moves its keys into the hash.
 */
static int
dup_lookup(struct parse *p, struct frame *f, const char *key,
    const struct enas_node **found)
{
	const struct enas_node *c;

	*found = NULL;
	if (f->hashed)
		return dup_find(&p->dup, f->node, NULL, key, 0, found);
	for (c = f->node->child; c; c = c->next)
		if (strcmp(c->key, key) == 0) {
			*found = c;
			break;
		}
	return 0;
}

/* Record member m of the mapping in frame f for later duplicate checks. */
static int
dup_add(struct parse *p, struct frame *f, const struct enas_node *m)
{
	const struct enas_node *c, *found;

	if (f->hashed)
		return dup_find(&p->dup, f->node, m, m->key, 1, &found);
	if (f->node->nchild <= DUP_SCAN_MAX)
		return 0;
	f->hashed = 1;
	for (c = f->node->child; c; c = c->next)
		if (dup_find(&p->dup, f->node, c, c->key, 1, &found) < 0)
			return ENAS_ENOMEM;
	return 0;
}

/*
 * The checks every node event shares: anchors, tags, and what the
 * parent allows here.  Returns 0, or ENAS_EDATA after reporting.
 */
static int
check_node(struct parse *p, const yaml_event_t *ev, const char *anchor,
    const char *tag)
{
	struct frame *f;
	int kind;

	if (anchor) {
		yaml_report(p, &ev->start_mark, _("anchors (&name) are not "
		    "allowed"));
		return ENAS_EDATA;
	}
	if (tag) {
		yaml_report(p, &ev->start_mark, _("tags (!x, !!x) are not "
		    "allowed"));
		return ENAS_EDATA;
	}
	if (p->depth == 0) {
		if (ev->type != YAML_MAPPING_START_EVENT) {
			yaml_report(p, &ev->start_mark, _("a record is a "
			    "mapping of fields, one per line (`field: "
			    "value`)"));
			return ENAS_EDATA;
		}
		if (ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE) {
			yaml_report(p, &ev->start_mark, _("the top level must "
			    "be a block mapping, not a flow mapping {…}"));
			return ENAS_EDATA;
		}
		return 0;
	}
	f = &p->stack[p->depth - 1];
	/* Every open frame has its node: on_node() pushes it with one. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	if (f->node->type == ENAS_MAP) {
		if (!f->key && ev->type != YAML_SCALAR_EVENT) {
			yaml_report(p, &ev->start_mark, _("keys must be plain "
			    "words, not mappings or sequences"));
			return ENAS_EDATA;
		}
	} else {
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			yaml_report(p, &ev->start_mark, _("a list inside a "
			    "list is not allowed"));
			return ENAS_EDATA;
		}
		kind = ev->type == YAML_SCALAR_EVENT ? ENAS_SCALAR : ENAS_MAP;
		if (f->items >= 0 && f->items != kind) {
			yaml_report(p, &ev->start_mark, _("a list mixes values "
			    "and mappings"));
			return ENAS_EDATA;
		}
		f->items = kind;
	}
	if (ev->type != YAML_SCALAR_EVENT && p->depth > ENAS_RECORD_DEPTH) {
		yaml_report(p, &ev->start_mark, _("nesting deeper than %d "
		    "levels"), ENAS_RECORD_DEPTH);
		return ENAS_EDATA;
	}
	return 0;
}

/*
 * Take a scalar in key position: check it and keep it in the frame
 * until its value comes.
 */
static int
take_key(struct parse *p, struct frame *f, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const struct enas_node *prev;
	int rc;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		yaml_report(p, &ev->start_mark, _("key '%.*s' is quoted; write "
		    "keys without quotes"), n > 64 ? 64 : (int)n, v);
		return ENAS_EDATA;
	}
	if (n == 0) {
		yaml_report(p, &ev->start_mark, _("a field has no key before "
		    "its ':'"));
		return ENAS_EDATA;
	}
	if (!key_ok(v, n, p->flags)) {
		if (p->flags & ENAS_PARSE_RULES)
			yaml_report(p, &ev->start_mark, _("key '%.*s' is not a "
			    "field path: words of lower-case letters, digits "
			    "and _ (starting with a letter), each perhaps "
			    "followed by [], joined by '.'"),
			    n > 64 ? 64 : (int)n, v);
		else if (n <= 64 && memchr(v, '.', n) && !memchr(v, '[', n) &&
		    memchr(v, '.', n) == memrchr(v, '.', n) &&
		    key_ok(v, n, ENAS_PARSE_RULES)) {
			const char *dot = memchr(v, '.', n);

			/* consent.reporting: as the rules and errors write */
			yaml_report(p, &ev->start_mark, _("key '%.*s': a dot "
			    "means nesting; write '%.*s:' on a line of its own "
			    "under '%.*s:', indented by two spaces"), (int)n,
			    v, (int)(n - (size_t)(dot - v) - 1), dot + 1,
			    (int)(dot - v), v);
		} else
			yaml_report(p, &ev->start_mark, _("key '%.*s' is not "
			    "lower-case letters, digits and _ (starting with "
			    "a letter)"), n > 64 ? 64 : (int)n, v);
		return ENAS_EDATA;
	}
	if ((rc = dup_lookup(p, f, v, &prev)) < 0)
		return rc;
	if (prev) {
		yaml_report(p, &ev->start_mark, _("duplicate key '%s' (first "
		    "at line %d)"), v, prev->key_line);
		return ENAS_EDATA;
	}
	if (!(f->key = arena_strndup(p->arena, v, n)))
		return ENAS_ENOMEM;
	f->key_line = (int)ev->start_mark.line + 1;
	f->key_col = (int)ev->start_mark.column + 1;
	return 0;
}

/*
 * A double-quoted scalar may spell control characters as escapes
 * ("\0", "\x01", "\u0085"); they are refused as in the raw file.
 * Returns the first one's code point, or -1.
 */
static long
escaped_control(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') ||
		    s[i] == 0x7F)
			return s[i];
		if (s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9F)
			return s[i + 1];
	}
	return -1;
}

/*
 * A new node for a node event, appended to its parent (or made the
 * root).  Returns it, or NULL when out of memory.
 */
static struct enas_node *
add_node(struct parse *p, const yaml_event_t *ev, enum enas_node_type type)
{
	struct enas_node *n;
	struct frame *f;

	n = arena_alloc(p->arena, sizeof(*n), alignof(struct enas_node));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	if (p->depth == 0) {
		p->root = n;
		return n;
	}
	f = &p->stack[p->depth - 1];
	if (f->node->type == ENAS_MAP) {
		n->key = f->key;
		n->key_line = f->key_line;
		n->key_col = f->key_col;
		f->key = NULL;
	}
	if (f->last)
		f->last->next = n;
	else
		f->node->child = n;
	f->last = n;
	f->node->nchild++;
	if (f->node->type == ENAS_MAP && dup_add(p, f, n) < 0)
		return NULL;
	return n;
}

/* Handle one node event.  Returns 0, ENAS_EDATA or ENAS_ENOMEM. */
static int
on_node(struct parse *p, const yaml_event_t *ev)
{
	const char *anchor = NULL, *tag = NULL, *v;
	struct enas_node *n;
	struct frame *f;
	char *value;
	size_t len;
	long c;
	int rc, flow;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = (const char *)ev->data.scalar.anchor;
		tag = (const char *)ev->data.scalar.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = (const char *)ev->data.mapping_start.anchor;
		tag = (const char *)ev->data.mapping_start.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = (const char *)ev->data.sequence_start.anchor;
		tag = (const char *)ev->data.sequence_start.tag;
		break;
	default:
		break;
	}
	if ((rc = check_node(p, ev, anchor, tag)) < 0)
		return rc;
	f = p->depth ? &p->stack[p->depth - 1] : NULL;
	if (ev->type == YAML_SCALAR_EVENT) {
		if ((rc = check_scalar_text(p, f, ev)) < 0)
			return rc;
		if (f->node->type == ENAS_MAP && !f->key)
			return take_key(p, f, ev);
		if ((c = escaped_control(ev->data.scalar.value,
		    ev->data.scalar.length)) >= 0) {
			yaml_report(p, &ev->start_mark, _("control character "
			    "U+%04lX in a value"), (unsigned long)c);
			return ENAS_EDATA;
		}
		if (!(n = add_node(p, ev, ENAS_SCALAR)))
			return ENAS_ENOMEM;
		v = (const char *)ev->data.scalar.value;
		len = ev->data.scalar.length;
		if (block_lost_break(p, ev, v, len)) {
			if (len > (size_t)-1 - 2 || !(value = arena_alloc(
			    p->arena, len + 2, 1)))
				return enas_error_nomem();
			memcpy(value, v, len);
			value[len++] = '\n';
			value[len] = '\0';
			n->value = value;
		} else if (!(n->value = arena_strndup(p->arena, v, len)))
			return ENAS_ENOMEM;
		n->len = len;
		n->quoted = ev->data.scalar.style ==
		    YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		return 0;
	}
	if (!(n = add_node(p, ev, ev->type == YAML_MAPPING_START_EVENT ?
	    ENAS_MAP : ENAS_SEQ)))
		return ENAS_ENOMEM;
	flow = ev->type == YAML_MAPPING_START_EVENT ?
	    ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE :
	    ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	f = &p->stack[p->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->items = -1;
	if (flow && p->depth > 1 && !p->stack[p->depth - 2].flow) {
		/* Its lines are checked when it ends. */
		f->indent = p->stack[p->depth - 2].node->col;
		f->start = ev->start_mark.index;
		f->start_line = (int)ev->start_mark.line + 1;
	}
	f->flow = flow || (p->depth > 1 && p->stack[p->depth - 2].flow);
	return 0;
}

/*
 * The line and column (from 1, in characters) of byte offset off of s,
 * for libyaml's reader errors, which only know the offset.
 */
static void
offset_mark(const char *s, size_t len, size_t off, yaml_mark_t *m)
{
	size_t i;

	m->line = 0;
	m->column = 0;
	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			m->line++;
			m->column = 0;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80)
			m->column++;
	}
}

/* Report libyaml's own error, the parser having failed. */
static int
syntax_error(struct parse *p, const yaml_parser_t *yp, const char *buf,
    size_t len)
{
	yaml_mark_t m;

	if (yp->error == YAML_MEMORY_ERROR)
		return enas_error_nomem();
	if (yp->error == YAML_READER_ERROR)
		offset_mark(buf, len, yp->problem_offset, &m);
	else
		m = yp->problem_mark;
	yaml_report(p, &m, _("syntax error: %s%s%s"),
	    yp->problem ? yp->problem : _("unknown problem"),
	    yp->context ? " " : "", yp->context ? yp->context : "");
	return ENAS_EDATA;
}

/*
 * Run libyaml's event parser over buf and build the tree.  Returns 0,
 * ENAS_EDATA after reporting the first problem, or ENAS_ENOMEM.
 */
static int
parse_events(struct parse *p, const char *buf, size_t len)
{
	yaml_mark_t top = { 0, 0, 0 };
	yaml_parser_t yp;
	yaml_event_t ev;
	struct frame *f;
	int rc = 0, done = 0;

	if (!yaml_parser_initialize(&yp))
		return enas_error_nomem();
	yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&yp, &ev)) {
			rc = syntax_error(p, &yp, buf, len);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			if (p->ndocs == 0) {
				/* Nothing but comments: point at the top. */
				yaml_report(p, &top, _("a record is a "
				    "mapping of fields, one per line (`field: "
				    "value`)"));
				rc = ENAS_EDATA;
			}
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++p->ndocs > 1) {
				yaml_report(p, &ev.start_mark, _("more than "
				    "one document in the file"));
				rc = ENAS_EDATA;
			} else if (ev.data.document_start.version_directive ||
			    ev.data.document_start.tag_directives.start !=
			    ev.data.document_start.tag_directives.end) {
				yaml_report(p, &ev.start_mark, _("directives "
				    "(%%YAML, %%TAG) are not allowed"));
				rc = ENAS_EDATA;
			}
			break;
		case YAML_ALIAS_EVENT:
			yaml_report(p, &ev.start_mark, _("aliases (*name) are "
			    "not allowed"));
			rc = ENAS_EDATA;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			rc = on_node(p, &ev);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			f = &p->stack[p->depth - 1];
			if (f->indent && ev.end_mark.line + 1 >
			    (size_t)f->start_line)
				rc = continued_lines(p, f->start,
				    ev.end_mark.index, f->start_line,
				    f->indent);
			p->depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	return rc;
}

int
enas_record_parse(struct enas_record **out, const char *buf, size_t len,
    const char *file, unsigned flags, enas_diag_fn fn, void *ctx)
{
	struct bytecheck bc = { fn, ctx, file, 0 };
	struct enas_record *r = NULL;
	struct parse p;
	struct arena *a;
	void *obj;
	int rc;

	*out = NULL;
	if (!buf) {
		if (len)
			return enas_error_set(ENAS_EUSAGE,
			    _("no buffer to parse"));
		buf = "";
	}
	if (!file)
		file = "";
	if (check_bytes(&bc, (const unsigned char *)buf, len) > 0)
		return ENAS_EDATA;
	if (!(a = arena_new(sizeof(*r), &obj)))
		return ENAS_ENOMEM;
	r = obj;
	r->arena = a;
	memset(&p, 0, sizeof(p));
	p.buf = buf;
	p.len = len;
	p.arena = a;
	p.fn = fn;
	p.ctx = ctx;
	p.file = file;
	p.flags = flags;
	if (!(r->file = arena_strndup(a, file, strlen(file)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	if ((rc = parse_events(&p, buf, len)) < 0)
		goto out;
	r->root = p.root;
	*out = r;
	r = NULL;
out:
	free(p.dup.tab);
	enas_record_free(r);
	return rc;
}

/*
 * The member of map whose key is the n bytes at key, or NULL.
 */
static const struct enas_node *
get_n(const struct enas_node *map, const char *key, size_t n)
{
	const struct enas_node *c;

	if (!map || map->type != ENAS_MAP)
		return NULL;
	for (c = map->child; c; c = c->next)
		if (strncmp(c->key, key, n) == 0 && c->key[n] == '\0')
			return c;
	return NULL;
}

const struct enas_node *
enas_node_get(const struct enas_node *map, const char *key)
{
	return key ? get_n(map, key, strlen(key)) : NULL;
}

const struct enas_node *
enas_node_path(const struct enas_node *map, const char *path)
{
	const char *dot;

	if (!path)
		return NULL;
	while ((dot = strchr(path, '.'))) {
		if (!(map = get_n(map, path, (size_t)(dot - path))))
			return NULL;
		path = dot + 1;
	}
	return get_n(map, path, strlen(path));
}

int
enas_node_each(const struct enas_node *map, const char *path,
    int (*fn)(void *ctx, const struct enas_node *n), void *ctx)
{
	const struct enas_node *n, *item;
	const char *rest;
	size_t seg;
	int items, rc;

	if (!path || !*path)
		return 0;
	seg = strcspn(path, ".[");
	rest = path + seg;
	items = rest[0] == '[' && rest[1] == ']';
	if (items)
		rest += 2;
	if (*rest && (*rest != '.' || !rest[1]))
		return 0;
	if (*rest)
		rest++;
	if (!(n = get_n(map, path, seg)))
		return 0;
	if (!items)
		return *rest ? enas_node_each(n, rest, fn, ctx) : fn(ctx, n);
	if (n->type != ENAS_SEQ)
		return 0;
	for (item = n->child; item; item = item->next) {
		rc = *rest ? enas_node_each(item, rest, fn, ctx) :
		    fn(ctx, item);
		if (rc)
			return rc;
	}
	return 0;
}

int
enas_node_empty(const struct enas_node *n)
{
	if (!n)
		return 1;
	if (n->type == ENAS_SCALAR)
		return n->len == 0;
	return n->nchild == 0;
}
