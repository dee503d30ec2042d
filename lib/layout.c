/*
 * layout.c: the closed layout of a records repository, checked over
 * git's raw tree objects (a commit) or a sorted listing of paths (the
 * index, the working tree).
 *
 * Both walks go down the same places: the top, records/, records/rules/
 * and a kind's directory at some depth of its path template.  A name is
 * first judged on its own (hidden, '.git' lookalikes, characters), then
 * by the place it stands in; the first refusal on a path is reported
 * and nothing below it is looked at.  Siblings are compared with each
 * other once per directory (duplicates, names equal once folded).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "layout.h"
#include "repo.h"

#define MODE_TREE 040000u
#define MODE_BLOB 0100644u
#define MODE_EXEC 0100755u
#define MODE_LINK 0120000u
#define MODE_GITLINK 0160000u
#define MAX_DEPTH 32

enum where {
	AT_ROOT,
	AT_RECORDS,
	AT_RULES,
	AT_KIND,
	AT_RECORD	/* a record's file: nothing below */
};

/* A place in the layout: where, and for a kind which segment is next. */
struct place {
	enum where w;
	const struct enas_rules *r;
	size_t seg;
};

/* Who to tell, and how many refusals so far. */
struct out {
	const struct enas_layout_kinds *kinds;
	const char *prefix;
	enas_diag_fn fn;
	void *ctx;
	int refused;
	struct enas_buf name;	/* the quoted path of the last report */
};

/* --- names --- */

/*
 * Decode one UTF-8 character at s (n bytes left) into *cp; returns its
 * length, or 0 when the bytes are not valid UTF-8 (overlong forms and
 * surrogates included).
 */
static size_t
utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

static int
is_bidi(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Invisible: zero-width, and what HFS+ ignores in a name. */
static int
is_invisible(uint32_t c)
{
	return c == 0x00ad || c == 0x034f || (c >= 0x200b && c <= 0x200d) ||
	    c == 0x2060 || (c >= 0x206a && c <= 0x206f) || c == 0xfeff ||
	    (c >= 0xfe00 && c <= 0xfe0f) || c == 0x180e;
}

/* '.git' as git on Windows or macOS could also read it. */
static int
is_dotgit(const char *s, size_t n)
{
	/* Windows drops trailing dots and spaces: ".git. ", ".GIT." */
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	if (n == 4 && strncasecmp(s, ".git", 4) == 0)
		return 1;
	/* NTFS's short name for .git */
	return n == 5 && strncasecmp(s, "git~", 4) == 0 && s[4] >= '1' &&
	    s[4] <= '9';
}

/*
 * Report the problem of a name on its own, if it has one: 1 when it
 * was reported, 0 when the name is acceptable.
 */
static int
name_problem(struct out *o, const char *file, const char *s, size_t n,
    int dir, int top)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *what = dir ? _("directory") : _("file");
	uint32_t c;
	size_t i, len;

#define REFUSE(...) do { \
	if (o) { \
		enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL, \
		    NULL, __VA_ARGS__); \
		o->refused++; \
	} \
	return 1; \
} while (0)
	if (n == 0)
		REFUSE("%s", _("a tree entry with an empty name; git fsck "
		    "refuses it, and so does the layout"));
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		REFUSE(_("a '%.*s' entry: a path may not climb out of its "
		    "directory"), (int)n, s);
	if (is_dotgit(s, n))
		REFUSE("%s", _("a '.git' entry (in some case or spelling): "
		    "it would be a repository's own directory on checkout"));
	for (i = 0; i < n; i += len) {
		if (!(len = utf8(u + i, n - i, &c)))
			REFUSE("%s", _("the name is not valid UTF-8"));
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
			REFUSE(_("the name holds a control character "
			    "(U+%04X)"), (unsigned)c);
		if (is_bidi(c))
			REFUSE(_("the name holds a bidirectional control "
			    "(U+%04X), which shows it as another name"),
			    (unsigned)c);
		if (is_invisible(c))
			REFUSE(_("the name holds an invisible character "
			    "(U+%04X)"), (unsigned)c);
		if (c >= 0x80)
			REFUSE(_("the name holds the non-ASCII character "
			    "U+%04X; names in a records repository are ASCII"),
			    (unsigned)c);
		if (strchr("\\:*?\"<>|", (int)c))
			REFUSE(_("the name holds '%c', which other file "
			    "systems refuse or read otherwise"), (int)c);
	}
	/* the one hidden file of the layout, at the top */
	if (s[0] == '.' && !(top && n == 14 && memcmp(s, ".gitattributes",
	    14) == 0))
		REFUSE(_("a hidden %s (its name starts with '.'); the records "
		    "layout has none"), what);
	if (s[n - 1] == ' ' || s[n - 1] == '.')
		REFUSE("%s", _("the name ends in a space or a dot, which "
		    "Windows drops"));
	return 0;
#undef REFUSE
}

/*
 * The next character of a name folded for comparison with its
 * siblings: ASCII letters in lower case, Latin-1 letters without their
 * accents, combining marks dropped (so both Unicode normal forms of a
 * name fold alike).  Returns the bytes consumed, *c the folded
 * character, or 0 at the end.
 */
static size_t
fold_next(const unsigned char *s, size_t n, uint32_t *c)
{
	/* U+00C0..U+00FF without accents; '_' where there is no letter */
	static const char latin[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
	    "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
	size_t len, used = 0;

	while (used < n) {
		if (!(len = utf8(s + used, n - used, c))) {
			*c = 0x110000u + s[used];	/* a byte, as itself */
			return used + 1;
		}
		used += len;
		if (*c >= 0x300 && *c <= 0x36f)
			continue;	/* a combining mark */
		if (*c >= 'A' && *c <= 'Z')
			*c += 'a' - 'A';
		else if (*c >= 0xc0 && *c <= 0xff && latin[*c - 0xc0] != '_')
			*c = (unsigned char)latin[*c - 0xc0];
		return used;
	}
	return 0;
}

/* Compare two names folded: <0, 0 or >0. */
static int
fold_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	uint32_t cx, cy;
	size_t i = 0, j = 0, lx, ly;

	for (;;) {
		lx = fold_next(x + i, an - i, &cx);
		ly = fold_next(y + j, bn - j, &cy);
		if (!lx || !ly)
			return (lx != 0) - (ly != 0);
		if (cx != cy)
			return cx < cy ? -1 : 1;
		i += lx;
		j += ly;
	}
}

/* --- places --- */

/* Segment seg of r's path template, and whether it is the last. */
static int
template_seg(const struct enas_rules *r, size_t seg, const char **t,
    size_t *tl)
{
	const char *s = r->path, *slash;

	for (; seg > 0; seg--) {
		if (!(slash = strchr(s, '/')))
			return -1;
		s = slash + 1;
	}
	*tl = strcspn(s, "/");
	*t = s;
	return s[*tl] == '\0';
}

/* Whether a placeholder {ph} (phl bytes) may stand for s (n bytes). */
static int
placeholder_ok(const struct enas_rules *r, const char *ph, size_t phl,
    const char *s, size_t n)
{
	size_t i;

	if (phl == 2 && memcmp(ph, "id", 2) == 0)
		return enas_rules_id_ok(r, s, n);
	if (phl > 5 && memcmp(ph + phl - 5, ":year", 5) == 0) {
		if (n != 4)
			return 0;
		for (i = 0; i < 4; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
		return 1;
	}
	/* Another field's value, as enas_rules_record_path() writes it. */
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    strchr("_-.", s[i])))
			return 0;
	return n > 0 && s[0] != '.';
}

/* Whether a segment of a template (t, tl bytes) matches a name. */
static int
seg_match(const struct enas_rules *r, const char *t, size_t tl,
    const char *s, size_t n, int depth)
{
	const char *close;
	size_t k, phl;

	if (depth > 16)
		return 0;
	while (tl > 0 && *t != '{') {
		if (n == 0 || *s != *t)
			return 0;
		t++, tl--, s++, n--;
	}
	if (tl == 0)
		return n == 0;
	if (!(close = memchr(t, '}', tl)))
		return 0;
	phl = (size_t)(close - t - 1);
	for (k = n; k >= 1; k--)
		if (placeholder_ok(r, t + 1, phl, s, k) && seg_match(r,
		    close + 1, tl - phl - 2, s + k, n - k, depth + 1))
			return 1;
	return 0;
}

static int
is_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/*
 * The place of name (n bytes; a directory when dir) in parent: 1 with
 * *child set, or 0 when the layout has no such place.
 */
static int
place_of(const struct enas_layout_kinds *k, const struct place *parent,
    const char *name, size_t n, int dir, struct place *child)
{
	const char *t;
	size_t i, tl;
	int last;

	memset(child, 0, sizeof(*child));
	switch (parent->w) {
	case AT_ROOT:
		if (dir && n == 7 && memcmp(name, "records", 7) == 0) {
			child->w = AT_RECORDS;
			return 1;
		}
		return !dir && n == 14 && memcmp(name, ".gitattributes", 14) ==
		    0 ? (child->w = AT_RECORD, 1) : 0;
	case AT_RECORDS:
		if (dir && n == 5 && memcmp(name, "rules", 5) == 0) {
			child->w = AT_RULES;
			return 1;
		}
		for (i = 0; dir && k && i < k->n; i++)
			if (strlen(k->rules[i]->dir) == n &&
			    memcmp(k->rules[i]->dir, name, n) == 0) {
				child->w = AT_KIND;
				child->r = k->rules[i];
				return 1;
			}
		return 0;
	case AT_RULES:
		child->w = AT_RECORD;
		return !dir && n > 5 && memcmp(name + n - 5, ".yaml", 5) == 0 &&
		    is_word(name, n - 5);
	case AT_KIND:
		if ((last = template_seg(parent->r, parent->seg, &t, &tl)) < 0 ||
		    last == dir || !seg_match(parent->r, t, tl, name, n, 0))
			return 0;
		child->w = dir ? AT_KIND : AT_RECORD;
		child->r = parent->r;
		child->seg = parent->seg + 1;
		return 1;
	case AT_RECORD:
		break;
	}
	return 0;
}

int
enas_layout_kind_path(const struct enas_rules *r, const char *rel)
{
	struct place p = { AT_KIND, r, 0 }, c;
	const char *slash;
	size_t n;
	int dir;

	for (;;) {
		slash = strchr(rel, '/');
		n = slash ? (size_t)(slash - rel) : strlen(rel);
		dir = slash != NULL;
		if (name_problem(NULL, NULL, rel, n, dir, 0) ||
		    !place_of(NULL, &p, rel, n, dir, &c))
			return 0;
		if (!dir)
			return c.w == AT_RECORD;
		p = c;
		rel = slash + 1;
	}
}

int
enas_layout_record_path(const struct enas_layout_kinds *kinds,
    const char *path, const struct enas_rules **rules)
{
	size_t i, n, plen = strlen(ENAS_RECORDS_DIR "/");

	if (rules)
		*rules = NULL;
	if (strncmp(path, ENAS_RECORDS_DIR "/", plen) != 0)
		return 0;
	path += plen;
	for (i = 0; kinds && i < kinds->n; i++) {
		n = strlen(kinds->rules[i]->dir);
		if (strncmp(path, kinds->rules[i]->dir, n) != 0 ||
		    path[n] != '/')
			continue;
		if (!enas_layout_kind_path(kinds->rules[i], path + n + 1))
			return 0;
		if (rules)
			*rules = kinds->rules[i];
		return 1;
	}
	return 0;
}

/* --- reporting --- */

/*
 * prefix + path as it names the entry in diagnostics: bytes that are
 * not printable ASCII as git quotes them (\302\240), so that no name
 * can reorder or hide the text of the message.
 */
static const char *
quoted(struct out *o, const char *path, size_t n)
{
	static const char hex[] = "01234567";
	const unsigned char *u = (const unsigned char *)path;
	char esc[4];
	size_t i;

	o->name.len = 0;
	if (enas_buf_puts(&o->name, o->prefix) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (u[i] >= 0x20 && u[i] < 0x7f && u[i] != '\\') {
			if (enas_buf_add(&o->name, path + i, 1) < 0)
				return NULL;
			continue;
		}
		esc[0] = '\\';
		esc[1] = hex[u[i] >> 6];
		esc[2] = hex[u[i] >> 3 & 7];
		esc[3] = hex[u[i] & 7];
		if (u[i] == '\\' ? enas_buf_add(&o->name, "\\\\", 2) < 0 :
		    enas_buf_add(&o->name, esc, 4) < 0)
			return NULL;
	}
	return o->name.data;
}

/* What the place holds, for the message that refuses an entry there. */
static void
refuse_place(struct out *o, const char *file, const struct place *parent,
    int dir)
{
	const char *what = dir ? _("a directory") : _("a file");
	struct enas_buf dirs = ENAS_BUF_INIT;
	size_t i;

	o->refused++;
	switch (parent->w) {
	case AT_ROOT:
		enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL,
		    NULL, _("%s outside the records layout: a records "
		    "repository holds only records/ and .gitattributes; remove "
		    "it (git rm)"), what);
		break;
	case AT_RECORDS:
		for (i = 0; o->kinds && i < o->kinds->n; i++)
			if (enas_buf_printf(&dirs, ", %s/", o->kinds->rules[i]->
			    dir) < 0)
				break;
		enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL,
		    NULL, _("%s outside the records layout: records/ holds "
		    "only rules/%s; remove it (git rm)"), what, dirs.data ?
		    dirs.data : "");
		break;
	case AT_RULES:
		enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL,
		    NULL, _("%s outside the records layout: records/rules/ "
		    "holds only <kind>.yaml files; remove it (git rm)"), what);
		break;
	case AT_KIND:
		enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL,
		    NULL, _("%s outside the records layout: a %s record "
		    "stands at records/%s/%s, named by its id"), what,
		    parent->r->kind, parent->r->dir, parent->r->path);
		break;
	case AT_RECORD:
		break;
	}
	enas_buf_free(&dirs);
}

/*
 * The mode's problem, if any: 1 when reported.  Directories are
 * 040000 and files 100644, written as git writes them.
 */
static int
mode_problem(struct out *o, const char *file, unsigned mode, int padded)
{
	const char *msg;

	if ((mode == MODE_TREE || mode == MODE_BLOB) && !padded)
		return 0;
	if (mode == MODE_EXEC)
		msg = _("an executable file (mode 100755); records are plain "
		    "files: git update-index --chmod=-x, or chmod -x and git "
		    "add");
	else if (mode == MODE_LINK)
		msg = _("a symbolic link; the records layout holds only "
		    "plain files");
	else if (mode == MODE_GITLINK)
		msg = _("a submodule (gitlink); the records layout holds only "
		    "plain files");
	else
		msg = NULL;
	o->refused++;
	if (msg)
		enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL,
		    NULL, "%s", msg);
	else
		enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL,
		    NULL, _("an odd file mode %s%o; the records layout holds "
		    "only plain files (100644)"), padded ? "0" : "", mode);
	return 1;
}

/* --- siblings --- */

struct sib {
	const char *name;
	size_t len;
	int dir;
	int bad;	/* refused on its own: named rather than its twin */
	size_t at;	/* its order among the siblings */
};

static int
cmp_sib(const void *a, const void *b)
{
	const struct sib *x = a, *y = b;
	int d = fold_cmp(x->name, x->len, y->name, y->len);

	if (d)
		return d;
	if (x->bad != y->bad)
		return x->bad - y->bad;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Refuse the siblings of dir (path, plen bytes) that repeat a name or
 * fold to another's: the later of each pair, naming the earlier.
 * v is reordered.
 */
static int
check_siblings(struct out *o, const char *dir, size_t dlen, struct sib *v,
    size_t n, const struct place *here)
{
	struct enas_buf path = ENAS_BUF_INIT, other = ENAS_BUF_INIT;
	struct place child;
	size_t i;
	int rc = 0;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		v[i].bad = !here || name_problem(NULL, NULL, v[i].name,
		    v[i].len, v[i].dir, here->w == AT_ROOT) ||
		    !place_of(o->kinds, here, v[i].name, v[i].len, v[i].dir,
		    &child);
	qsort(v, n, sizeof(*v), cmp_sib);
	for (i = 1; i < n; i++) {
		if (fold_cmp(v[i - 1].name, v[i - 1].len, v[i].name,
		    v[i].len) != 0)
			continue;
		path.len = other.len = 0;
		if (enas_buf_add(&path, dir, dlen) < 0 ||
		    (dlen && enas_buf_add(&path, "/", 1) < 0) ||
		    enas_buf_add(&path, v[i].name, v[i].len) < 0 ||
		    !quoted(o, v[i - 1].name, v[i - 1].len) ||
		    enas_buf_puts(&other, o->name.data + strlen(o->prefix)) <
		    0 || !quoted(o, path.data, path.len)) {
			rc = ENAS_ENOMEM;
			break;
		}
		o->refused++;
		if (v[i].len == v[i - 1].len && memcmp(v[i].name,
		    v[i - 1].name, v[i].len) == 0)
			enas_diag_report(o->fn, o->ctx, o->name.data, 0, 0,
			    ENAS_ERROR, NULL, NULL, _("a duplicate tree entry: "
			    "the directory names '%s' twice, and git and "
			    "libgit2 would each read another"), other.data);
		else
			enas_diag_report(o->fn, o->ctx, o->name.data, 0, 0,
			    ENAS_ERROR, NULL, NULL, _("the name differs only "
			    "by case or accents from its sibling '%s', which "
			    "some file systems would take for it"),
			    other.data);
	}
	enas_buf_free(&path);
	enas_buf_free(&other);
	return rc;
}

/* --- .gitattributes --- */

static int
attributes_ok(const git_oid *oid)
{
	git_oid want;

	if (git_odb_hash(&want, ENAS_LAYOUT_ATTRIBUTES,
	    strlen(ENAS_LAYOUT_ATTRIBUTES), GIT_OBJECT_BLOB) < 0)
		return 0;
	return git_oid_equal(&want, oid);
}

static void
refuse_attributes(struct out *o, const char *file)
{
	o->refused++;
	enas_diag_report(o->fn, o->ctx, file, 0, 0, ENAS_ERROR, NULL, NULL,
	    _("differs from the one line enas init writes (%.*s); a change "
	    "here would change how every office's git reads the records"),
	    (int)strlen(ENAS_LAYOUT_ATTRIBUTES) - 1, ENAS_LAYOUT_ATTRIBUTES);
}

/* --- raw trees --- */

struct tent {
	const char *name;
	size_t len;
	unsigned mode;
	int padded;		/* a mode written with a leading 0 */
	const unsigned char *oid;
};

struct rawtree {
	git_odb_object *obj;
	struct tent *v;
	size_t n;
	int damaged;
};

static void
rawtree_free(struct rawtree *t)
{
	git_odb_object_free(t->obj);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/*
 * git's order of tree entries: by name, a directory's name as if it
 * ended in '/'.
 */
static int
git_order(const struct tent *a, const struct tent *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(a->name, b->name, n);
	unsigned ca, cb;

	if (d)
		return d;
	ca = a->len > n ? (unsigned char)a->name[n] : a->mode == MODE_TREE ?
	    '/' : 0;
	cb = b->len > n ? (unsigned char)b->name[n] : b->mode == MODE_TREE ?
	    '/' : 0;
	return ca < cb ? -1 : ca > cb;
}

/* Read and split a tree object as stored: "MODE SP NAME NUL OID". */
static int
read_tree(struct rawtree *t, git_odb *odb, const git_oid *id)
{
	const unsigned char *p, *end, *nul;
	struct tent *v;
	size_t cap = 0;
	char hex[GIT_OID_HEXSZ + 1];
	unsigned mode;

	memset(t, 0, sizeof(*t));
	if (git_odb_read(&t->obj, odb, id) < 0 ||
	    git_odb_object_type(t->obj) != GIT_OBJECT_TREE) {
		git_oid_tostr(hex, sizeof(hex), id);
		return enas_repo_error(hex);
	}
	p = git_odb_object_data(t->obj);
	end = p + git_odb_object_size(t->obj);
	while (p < end) {
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(v = enas_realloc(t->v, cap * sizeof(*v))))
				return ENAS_ENOMEM;
			t->v = v;
		}
		v = &t->v[t->n];
		v->padded = *p == '0';
		for (mode = 0; p < end && *p >= '0' && *p <= '7' && mode <
		    01000000; p++)
			mode = mode * 8 + (unsigned)(*p - '0');
		if (p >= end || *p != ' ' ||
		    !(nul = memchr(p + 1, '\0', (size_t)(end - p - 1))) ||
		    (size_t)(end - nul - 1) < GIT_OID_RAWSZ) {
			t->damaged = 1;
			break;
		}
		v->mode = mode;
		v->name = (const char *)p + 1;
		v->len = (size_t)(nul - p - 1);
		v->oid = nul + 1;
		p = nul + 1 + GIT_OID_RAWSZ;
		/* equal names are duplicates, which the siblings' check says */
		if (t->n && git_order(&t->v[t->n - 1], v) > 0)
			t->damaged = 1;
		t->n++;
	}
	return 0;
}

struct walk {
	struct out *o;
	git_repository *repo;
	git_odb *odb;
	struct enas_buf path;
};

static int walk_tree(struct walk *w, const git_oid *id, const git_oid *base,
    const struct place *here, int depth);

/*
 * The entry of base with e's name and kind, or NULL; base's entries are
 * in git's order, which at is where the search resumes.
 */
static const struct tent *
base_entry(const struct rawtree *base, size_t *at, const struct tent *e)
{
	while (*at < base->n && git_order(&base->v[*at], e) < 0)
		(*at)++;
	if (*at < base->n && git_order(&base->v[*at], e) == 0)
		return &base->v[*at];
	return NULL;
}

static int
walk_entry(struct walk *w, const struct tent *e, const struct tent *old,
    const struct place *here, int depth)
{
	struct out *o = w->o;
	struct place child;
	const char *file;
	git_oid id, bid;
	int dir = e->mode == MODE_TREE, rc = 0;

	if (!(file = quoted(o, w->path.data, w->path.len)))
		return ENAS_ENOMEM;
	if (name_problem(o, file, e->name, e->len, dir, here->w == AT_ROOT))
		return 0;
	if (!place_of(o->kinds, here, e->name, e->len, dir, &child)) {
		refuse_place(o, file, here, dir);
		return 0;
	}
	if (mode_problem(o, file, e->mode, e->padded))
		return 0;
	git_oid_fromraw(&id, e->oid);
	if (dir) {
		if (old && old->mode == MODE_TREE)
			git_oid_fromraw(&bid, old->oid);
		rc = walk_tree(w, &id, old && old->mode == MODE_TREE ? &bid :
		    NULL, &child, depth + 1);
	} else if (here->w == AT_ROOT && !attributes_ok(&id))
		refuse_attributes(o, file);
	return rc;
}

static int
walk_tree(struct walk *w, const git_oid *id, const git_oid *base,
    const struct place *here, int depth)
{
	struct rawtree t, b;
	const struct tent *old;
	struct sib *sibs = NULL;
	size_t i, at = 0, len = w->path.len;
	int rc;

	memset(&b, 0, sizeof(b));
	if (base && git_oid_equal(id, base))
		return 0;	/* checked with the parent */
	if (depth > MAX_DEPTH)
		return 0;	/* place_of() refused deeper already */
	if ((rc = read_tree(&t, w->odb, id)) < 0)
		goto out;
	if (t.damaged) {
		w->o->refused++;
		enas_diag_report(w->o->fn, w->o->ctx, quoted(w->o,
		    w->path.data, w->path.len), 0, 0, ENAS_ERROR, NULL, NULL,
		    "%s", _("a damaged tree object (entries malformed or out "
		    "of order; see git fsck)"));
	}
	/* An unchanged entry need not be judged again; damage voids that. */
	if (base && !t.damaged && (rc = read_tree(&b, w->odb, base)) < 0)
		goto out;
	if (b.damaged)
		rawtree_free(&b);
	if (t.n && !(sibs = enas_calloc(t.n, sizeof(*sibs)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	for (i = 0; i < t.n && rc == 0; i++) {
		sibs[i].name = t.v[i].name;
		sibs[i].len = t.v[i].len;
		sibs[i].dir = t.v[i].mode == MODE_TREE;
		sibs[i].at = i;
		old = b.obj ? base_entry(&b, &at, &t.v[i]) : NULL;
		if (old && old->mode == t.v[i].mode && old->padded ==
		    t.v[i].padded && memcmp(old->oid, t.v[i].oid,
		    GIT_OID_RAWSZ) == 0)
			continue;
		w->path.len = len;
		if ((len && enas_buf_add(&w->path, "/", 1) < 0) ||
		    enas_buf_add(&w->path, t.v[i].name, t.v[i].len) < 0) {
			rc = ENAS_ENOMEM;
			break;
		}
		rc = walk_entry(w, &t.v[i], old, here, depth);
	}
	w->path.len = len;
	if (w->path.data)
		w->path.data[len] = '\0';
	if (rc == 0)
		rc = check_siblings(w->o, w->path.data ? w->path.data : "",
		    len, sibs, t.n, here);
out:
	free(sibs);
	rawtree_free(&t);
	rawtree_free(&b);
	return rc;
}

int
enas_layout_check_tree(git_repository *repo, const git_oid *tree,
    const git_oid *base, const struct enas_layout_kinds *kinds,
    const char *prefix, enas_diag_fn fn, void *ctx)
{
	struct out o = { kinds, prefix ? prefix : "", fn, ctx, 0,
	    ENAS_BUF_INIT };
	struct walk w = { &o, repo, NULL, ENAS_BUF_INIT };
	struct place root = { AT_ROOT, NULL, 0 };
	int rc;

	if (git_repository_odb(&w.odb, repo) < 0)
		return enas_repo_error(_("cannot read the object database"));
	if ((rc = enas_buf_puts(&w.path, "")) == 0)
		rc = walk_tree(&w, tree, base, &root, 0);
	git_odb_free(w.odb);
	enas_buf_free(&w.path);
	enas_buf_free(&o.name);
	return rc < 0 ? rc : o.refused;
}

/* --- listings --- */

/* The first path at or after key (len bytes, compared as a prefix). */
static size_t
lower(const struct enas_layout_path *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The place of the directory dir (dlen bytes): 1, or 0 if it has none. */
static int
place_at(const struct out *o, const char *dir, size_t dlen,
    struct place *here)
{
	struct place child;
	const char *end = dir + dlen, *slash;

	memset(here, 0, sizeof(*here));
	here->w = AT_ROOT;
	while (dir < end) {
		if (!(slash = memchr(dir, '/', (size_t)(end - dir))))
			slash = end;
		if (!place_of(o->kinds, here, dir, (size_t)(slash - dir), 1,
		    &child))
			return 0;
		*here = child;
		dir = slash + 1;
	}
	return 1;
}

/*
 * Compare the children of the directory dir (dlen bytes, "" for the
 * top) in a sorted listing: each child once, found by skipping past
 * the paths below it.
 */
static int
listing_siblings(struct out *o, const struct enas_layout_path *v, size_t n,
    const char *dir, size_t dlen)
{
	struct enas_buf key = ENAS_BUF_INIT;
	struct sib *sibs = NULL, *grown;
	struct place here;
	size_t i, end, cap = 0, ns = 0, clen;
	const char *child, *slash;
	int rc = 0;

	i = 0;
	end = n;
	if (dlen) {
		/* the paths from "dir/" up to "dir0" ('/' + 1) */
		if (enas_buf_add(&key, dir, dlen) < 0 ||
		    enas_buf_add(&key, "/", 1) < 0)
			return ENAS_ENOMEM;
		i = lower(v, n, key.data);
		key.data[dlen] = '/' + 1;
		end = lower(v, n, key.data);
	}
	while (i < end) {
		child = v[i].path + dlen + (dlen ? 1 : 0);
		slash = strchr(child, '/');
		clen = slash ? (size_t)(slash - child) : strlen(child);
		if (ns == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(grown = enas_realloc(sibs, cap * sizeof(*sibs)))) {
				rc = ENAS_ENOMEM;
				goto out;
			}
			sibs = grown;
		}
		sibs[ns].name = child;
		sibs[ns].len = clen;
		sibs[ns].dir = slash != NULL;
		sibs[ns].at = ns;
		ns++;
		if (!slash) {
			i++;
			continue;
		}
		/* past "dir/child/...": the first path at "dir/child0" */
		key.len = 0;
		if (enas_buf_add(&key, v[i].path, (size_t)(slash -
		    v[i].path)) < 0 || enas_buf_add(&key, "0", 1) < 0) {
			rc = ENAS_ENOMEM;
			goto out;
		}
		i = lower(v, end, key.data);
	}
	rc = check_siblings(o, dir, dlen, sibs, ns, place_at(o, dir, dlen,
	    &here) ? &here : NULL);
out:
	free(sibs);
	enas_buf_free(&key);
	return rc;
}

/* Read the working tree's .gitattributes: 1 when it is enas init's. */
static int
worktree_attributes_ok(const char *workdir)
{
	struct enas_buf full = ENAS_BUF_INIT, b = ENAS_BUF_INIT;
	int ok;

	if (enas_buf_printf(&full, "%s.gitattributes", workdir) < 0)
		return 0;
	ok = enas_file_read(&b, full.data, 4096) == 0 &&
	    b.len == strlen(ENAS_LAYOUT_ATTRIBUTES) && memcmp(b.data,
	    ENAS_LAYOUT_ATTRIBUTES, b.len) == 0;
	enas_buf_free(&full);
	enas_buf_free(&b);
	return ok;
}

/* Check one path of a listing from the top; 1 when it was refused. */
static int
listing_path(struct out *o, const struct enas_layout_path *p,
    const char *workdir, size_t *refused_len)
{
	struct place here = { AT_ROOT, NULL, 0 }, child;
	const char *seg = p->path, *slash, *file;
	size_t n;
	int dir, before = o->refused;

	for (;;) {
		slash = strchr(seg, '/');
		n = slash ? (size_t)(slash - seg) : strlen(seg);
		dir = slash != NULL || p->mode == MODE_TREE;
		*refused_len = (size_t)(seg - p->path) + n;
		if (!(file = quoted(o, p->path, *refused_len)))
			return ENAS_ENOMEM;
		if (name_problem(o, file, seg, n, dir, here.w == AT_ROOT))
			return 1;
		if (!place_of(o->kinds, &here, seg, n, dir, &child)) {
			refuse_place(o, file, &here, dir);
			return 1;
		}
		if (!slash)
			break;
		here = child;
		seg = slash + 1;
	}
	if (p->mode != MODE_TREE && mode_problem(o, file, p->mode, 0))
		return 1;
	if (here.w == AT_ROOT && p->mode == MODE_BLOB && (p->oid ?
	    !attributes_ok(p->oid) : workdir &&
	    !worktree_attributes_ok(workdir)))
		refuse_attributes(o, file);
	return o->refused > before;
}

int
enas_layout_check_paths(const struct enas_layout_path *v, size_t n,
    const char *only, const struct enas_layout_kinds *kinds,
    const char *workdir, const char *prefix, enas_diag_fn fn, void *ctx)
{
	struct out o = { kinds, prefix ? prefix : "", fn, ctx, 0,
	    ENAS_BUF_INIT };
	const char *skip = NULL, *prev = NULL, *p;
	size_t i, k, common, skiplen = 0, rlen;
	int rc = 0;

	for (i = 0; i < n && rc >= 0; i++) {
		if (only && !only[i])
			continue;
		/* below a directory refused already: said once */
		if (skip && strncmp(v[i].path, skip, skiplen) == 0 &&
		    v[i].path[skiplen] == '/')
			continue;
		if ((rc = listing_path(&o, &v[i], workdir, &rlen)) < 0)
			break;
		if (rc == 1 && v[i].path[rlen] == '/') {
			skip = v[i].path;
			skiplen = rlen;
		}
	}
	/* Then the siblings, so that the order is the same in every mode. */
	for (i = 0; i < n && rc >= 0; i++) {
		if (only && !only[i])
			continue;
		rc = 0;
		/*
		 * The directories above it that the previous path checked
		 * did not share (sorted paths leave a directory for good):
		 * each directory's children are compared once.
		 */
		p = v[i].path;
		common = 0;
		if (!prev)
			rc = listing_siblings(&o, v, n, "", 0);
		else
			for (k = 0; prev[k] && prev[k] == p[k]; k++)
				if (p[k] == '/')
					common = k + 1;
		for (k = common; rc >= 0 && p[k]; k++)
			if (p[k] == '/')
				rc = listing_siblings(&o, v, n, p, k);
		prev = p;
	}
	enas_buf_free(&o.name);
	return rc < 0 ? rc : o.refused;
}
