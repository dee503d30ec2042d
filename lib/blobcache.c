/*
 * blobcache.c: an object-id keyed cache in memory and in one file.
 *
 * The file, all numbers little-endian:
 *
 *	"ENASBLC1"	magic and format version
 *	u64 siglen, u64 n, u64 datalen, u64 checksum
 *	signature	siglen bytes
 *	index		n entries of: oid (20 bytes), u32 offset, u32 length,
 *			sorted by oid, no duplicates
 *	data		datalen bytes
 *
 * The checksum covers everything after the header.  Any inconsistency
 * makes the whole file ignored.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blobcache.h"
#include "i18n.h"

/* The first 8 bytes of a cache file (no NUL). */
static const unsigned char magic[8] = {
	'E', 'N', 'A', 'S', 'B', 'L', 'C', '1'
};
#define HEADER (8 + 4 * 8)
#define ENTRY (GIT_OID_RAWSZ + 8)
#define CACHE_MAX ((size_t)64 << 20)

struct entry {
	git_oid id;
	uint32_t off, len;
	int used;		/* asked for or added in this run */
};

struct enas_blobcache {
	char *path;
	unsigned char *sig;
	size_t siglen;
	struct entry *v;
	size_t n, cap, loaded;
	uint32_t *slots;	/* index + 1 into v, 0 when empty */
	size_t nslots;
	struct enas_buf data;
	size_t nused;
	int dirty;
};

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* A 64-bit checksum: detects damage, not malice. */
static uint64_t
checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		w = get64(p + i);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	return h * 0xc4ceb9fe1a85ec53ULL ^ (uint64_t)n;
}

/*
 * Ids are random, but a file's entries come sorted: mix the bits, or
 * the low bits of the first bytes would fill the table in one run.
 */
static size_t
hash(const git_oid *id)
{
	uint64_t v;

	memcpy(&v, id->id + 8, sizeof(v));
	v *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(v ^ v >> 32);
}

static int
grow_slots(struct enas_blobcache *c)
{
	uint32_t *s;
	size_t i, j, n = c->nslots ? c->nslots * 2 : 1024;

	if (!(s = enas_calloc(n, sizeof(*s))))
		return ENAS_ENOMEM;
	for (i = 0; i < c->n; i++) {
		for (j = hash(&c->v[i].id) & (n - 1); s[j]; j = (j + 1) &
		    (n - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
	return 0;
}

/* Add an entry whose bytes are already in data. */
static int
add(struct enas_blobcache *c, const git_oid *id, uint32_t off, uint32_t len)
{
	struct entry *v;
	size_t j;

	if (c->n >= UINT32_MAX - 1)
		return enas_error_nomem();
	if ((c->n + 1) * 2 > c->nslots && grow_slots(c) < 0)
		return ENAS_ENOMEM;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		if (!(v = enas_realloc(c->v, c->cap * sizeof(*v))))
			return ENAS_ENOMEM;
		c->v = v;
	}
	git_oid_cpy(&c->v[c->n].id, id);
	c->v[c->n].off = off;
	c->v[c->n].len = len;
	c->v[c->n].used = 0;
	for (j = hash(id) & (c->nslots - 1); c->slots[j]; j = (j + 1) &
	    (c->nslots - 1))
		;
	c->slots[j] = (uint32_t)++c->n;
	return 0;
}

static struct entry *
find(const struct enas_blobcache *c, const git_oid *id)
{
	size_t j;

	if (!c->nslots)
		return NULL;
	for (j = hash(id) & (c->nslots - 1); c->slots[j]; j = (j + 1) &
	    (c->nslots - 1))
		if (git_oid_equal(&c->v[c->slots[j] - 1].id, id))
			return &c->v[c->slots[j] - 1];
	return NULL;
}

/* Load the file if it is a valid cache of our signature. */
static int
load(struct enas_blobcache *c)
{
	struct enas_buf b = ENAS_BUF_INIT;
	const unsigned char *p, *idx, *data;
	uint64_t siglen, n, datalen, i;
	uint32_t off, len;
	git_oid id;
	int rc = 0;

	if (enas_file_read(&b, c->path, (size_t)1 << 40) < 0 ||
	    b.len < HEADER)
		goto ignore;
	p = (const unsigned char *)b.data;
	siglen = get64(p + 8);
	n = get64(p + 16);
	datalen = get64(p + 24);
	if (memcmp(p, magic, sizeof(magic)) != 0 || siglen != c->siglen ||
	    n > b.len / ENTRY || datalen > b.len ||
	    HEADER + siglen + n * ENTRY + datalen != b.len ||
	    checksum(p + HEADER, b.len - HEADER) != get64(p + 32) ||
	    memcmp(p + HEADER, c->sig, c->siglen) != 0 ||
	    datalen > UINT32_MAX)
		goto ignore;
	idx = p + HEADER + siglen;
	data = idx + n * ENTRY;
	for (i = 0; i < n; i++) {
		off = get32(idx + i * ENTRY + GIT_OID_RAWSZ);
		len = get32(idx + i * ENTRY + GIT_OID_RAWSZ + 4);
		if ((uint64_t)off + len > datalen || (i > 0 &&
		    memcmp(idx + (i - 1) * ENTRY, idx + i * ENTRY,
		    GIT_OID_RAWSZ) >= 0))
			goto ignore;
	}
	if ((rc = enas_buf_add(&c->data, data, (size_t)datalen)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		memcpy(id.id, idx + i * ENTRY, GIT_OID_RAWSZ);
		if ((rc = add(c, &id, get32(idx + i * ENTRY + GIT_OID_RAWSZ),
		    get32(idx + i * ENTRY + GIT_OID_RAWSZ + 4))) < 0)
			goto out;
	}
	c->loaded = c->n;
	goto out;
ignore:
	rc = 0;
out:
	enas_buf_free(&b);
	return rc;
}

int
enas_blobcache_open(struct enas_blobcache **out, const char *path,
    const void *sig, size_t len)
{
	struct enas_blobcache *c;
	int rc;

	*out = NULL;
	if (!(c = enas_calloc(1, sizeof(*c))))
		return ENAS_ENOMEM;
	if ((path && !(c->path = enas_strdup(path))) ||
	    !(c->sig = enas_malloc(len)) || enas_buf_grow(&c->data, 0) < 0) {
		enas_blobcache_free(c);
		return ENAS_ENOMEM;
	}
	memcpy(c->sig, sig, len);
	c->siglen = len;
	if (path && (rc = load(c)) < 0) {
		enas_blobcache_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void
enas_blobcache_free(struct enas_blobcache *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->sig);
	free(c->v);
	free(c->slots);
	enas_buf_free(&c->data);
	free(c);
}

const unsigned char *
enas_blobcache_get(struct enas_blobcache *c, const git_oid *id, size_t *len)
{
	struct entry *e = find(c, id);

	if (!e)
		return NULL;
	if (!e->used) {
		e->used = 1;
		c->nused++;
	}
	*len = e->len;
	return (const unsigned char *)c->data.data + e->off;
}

int
enas_blobcache_put(struct enas_blobcache *c, const git_oid *id,
    const void *p, size_t len)
{
	size_t off = c->data.len;
	int rc;

	if (find(c, id))
		return 0;
	if (off + len > UINT32_MAX)
		return enas_error_set(ENAS_ENOMEM, _("the blob cache is full"));
	if ((rc = enas_buf_add(&c->data, p, len)) < 0)
		return rc;
	if ((rc = add(c, id, (uint32_t)off, (uint32_t)len)) < 0) {
		c->data.len = off;
		return rc;
	}
	c->v[c->n - 1].used = 1;
	c->nused++;
	c->dirty = 1;
	return 0;
}

size_t
enas_blobcache_count(const struct enas_blobcache *c)
{
	return c->n;
}

size_t
enas_blobcache_loaded(const struct enas_blobcache *c)
{
	return c->loaded;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return git_oid_cmp(&x->id, &y->id);
}

static int
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, s, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
mkdirs(char *path)
{
	char *slash;

	for (slash = strchr(path + 1, '/'); slash;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			*slash = '/';
			return -1;
		}
		*slash = '/';
	}
	return 0;
}

/* Remove the oldest files of dir beyond keep. */
static void
prune(const char *dir, size_t keep)
{
	struct {
		char name[256];
		time_t mtime;
	} *v = NULL, *nv, t;
	struct enas_buf p = ENAS_BUF_INIT;
	struct dirent *d;
	struct stat st;
	size_t n = 0, cap = 0, i, j;
	DIR *dp;

	if (!(dp = opendir(dir)))
		return;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= sizeof(t.name))
			continue;
		p.len = 0;
		if (enas_buf_printf(&p, "%s/%s", dir, d->d_name) < 0 ||
		    lstat(p.data, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(nv = realloc(v, cap * sizeof(*v))))
				break;
			v = nv;
		}
		snprintf(v[n].name, sizeof(v[n].name), "%s", d->d_name);
		v[n++].mtime = st.st_mtime;
	}
	closedir(dp);
	/* Newest first; few files, so insertion sort. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1].mtime < v[j].mtime; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = keep; i < n; i++) {
		p.len = 0;
		if (enas_buf_printf(&p, "%s/%s", dir, v[i].name) == 0)
			unlink(p.data);
	}
	free(v);
	enas_buf_free(&p);
}

int
enas_blobcache_save(struct enas_blobcache *c, size_t keep)
{
	struct enas_buf tmp = ENAS_BUF_INIT, b = ENAS_BUF_INIT;
	unsigned char *p;
	struct entry *sorted = NULL;
	size_t i, n = 0, datalen = 0, off;
	char *slash;
	int fd = -1, rc = 0;

	if (!c->path || !c->dirty)
		return 0;
	if (!(sorted = enas_malloc((c->n ? c->n : 1) * sizeof(*sorted))))
		return ENAS_ENOMEM;
	/*
	 * Entries not asked for in this run (old versions of records) are
	 * dropped when the file would pass CACHE_MAX bytes.
	 */
	for (i = 0; i < c->n; i++)
		datalen += ENTRY + c->v[i].len;
	for (i = 0; i < c->n; i++)
		if (c->v[i].used || datalen <= CACHE_MAX)
			sorted[n++] = c->v[i];
	datalen = 0;
	qsort(sorted, n, sizeof(*sorted), cmp_entry);
	for (i = 0; i < n; i++)
		datalen += sorted[i].len;
	if ((rc = enas_buf_grow(&b, HEADER + c->siglen + n * ENTRY +
	    datalen + 8)) < 0)
		goto out;
	p = (unsigned char *)b.data;
	memcpy(p, magic, sizeof(magic));
	put64(p + 8, c->siglen);
	put64(p + 16, n);
	put64(p + 24, datalen);
	memcpy(p + HEADER, c->sig, c->siglen);
	b.len = HEADER + c->siglen;
	off = b.len + n * ENTRY;
	datalen = 0;
	for (i = 0; i < n; i++) {
		memcpy(p + b.len, sorted[i].id.id, GIT_OID_RAWSZ);
		put32(p + b.len + GIT_OID_RAWSZ, (uint32_t)datalen);
		put32(p + b.len + GIT_OID_RAWSZ + 4, sorted[i].len);
		b.len += ENTRY;
		memcpy(p + off + datalen, c->data.data + sorted[i].off,
		    sorted[i].len);
		datalen += sorted[i].len;
	}
	b.len += datalen;
	put64(p + 32, checksum(p + HEADER, b.len - HEADER));

	if ((rc = enas_buf_printf(&tmp, "%s.tmp%ld", c->path,
	    (long)getpid())) < 0)
		goto out;
	if (mkdirs(tmp.data) < 0 || (fd = open(tmp.data, O_WRONLY | O_CREAT |
	    O_TRUNC | O_CLOEXEC, 0666)) < 0 || write_all(fd, b.data,
	    b.len) < 0 || fsync(fd) < 0) {
		rc = enas_error_set(ENAS_EIO, "%s: %s", tmp.data,
		    strerror(errno));
		if (fd >= 0)
			unlink(tmp.data);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.data, c->path) < 0) {
		fd = -1;
		rc = enas_error_set(ENAS_EIO, "%s: %s", c->path,
		    strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	fd = -1;
	c->dirty = 0;
	slash = strrchr(tmp.data, '/');
	if (slash) {
		*slash = '\0';
		if ((fd = open(tmp.data, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
		fd = -1;
		prune(tmp.data, keep);
	}
out:
	if (fd >= 0)
		close(fd);
	free(sorted);
	enas_buf_free(&tmp);
	enas_buf_free(&b);
	return rc;
}
