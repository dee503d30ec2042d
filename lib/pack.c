/*
 * pack.c: offsets of objects from pack index files (version 2):
 *
 *	"\377tOc", u32 2, u32 fanout[256], 20-byte ids[n], u32 crc[n],
 *	u32 offset[n] (high bit: an index into the 64-bit offsets that
 *	follow), u64 large[], then two checksums.  Big-endian.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pack.h"

struct idx {
	const unsigned char *map;
	size_t size;
	uint32_t n;
	const unsigned char *ids, *off, *large;
	size_t nlarge;
};

struct enas_packs {
	struct idx *v;
	size_t n;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Map and check one index; 0 when it is not one (then ignored). */
static int
map_idx(struct idx *x, const char *path)
{
	struct stat st;
	void *m;
	size_t base;
	int fd;

	memset(x, 0, sizeof(*x));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) < 0 || st.st_size < 8 + 1024 + 40) {
		close(fd);
		return 0;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 0;
	x->map = m;
	x->size = (size_t)st.st_size;
	x->n = be32(x->map + 8 + 255 * 4);
	base = 8 + 1024;
	if (memcmp(x->map, "\377tOc", 4) != 0 || be32(x->map + 4) != 2 ||
	    (x->size - base - 40) / 28 < x->n) {
		munmap((void *)x->map, x->size);
		x->map = NULL;
		return 0;
	}
	x->ids = x->map + base;
	x->off = x->ids + (size_t)x->n * 24;
	x->large = x->off + (size_t)x->n * 4;
	x->nlarge = (x->size - 40 - (size_t)(x->large - x->map)) / 8;
	return 1;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

int
enas_packs_open(struct enas_packs **out, const char *objdir)
{
	struct enas_buf path = ENAS_BUF_INIT;
	struct enas_packs *p;
	struct dirent *d;
	struct idx *nv;
	size_t cap = 0;
	DIR *dp;
	int rc = 0;

	*out = NULL;
	if (!(p = enas_calloc(1, sizeof(*p))))
		return ENAS_ENOMEM;
	if ((rc = enas_buf_printf(&path, "%s/pack", objdir)) < 0)
		goto fail;
	if (!(dp = opendir(path.data))) {
		enas_buf_free(&path);
		*out = p;
		return 0;
	}
	while ((d = readdir(dp))) {
		if (!ends_with(d->d_name, ".idx"))
			continue;
		if (p->n == cap) {
			cap = cap ? cap * 2 : 4;
			if (!(nv = enas_realloc(p->v, cap * sizeof(*nv)))) {
				rc = ENAS_ENOMEM;
				break;
			}
			p->v = nv;
		}
		path.len = 0;
		if ((rc = enas_buf_printf(&path, "%s/pack/%s", objdir,
		    d->d_name)) < 0)
			break;
		p->n += map_idx(&p->v[p->n], path.data);
	}
	closedir(dp);
	enas_buf_free(&path);
	if (rc < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	enas_buf_free(&path);
	enas_packs_free(p);
	return rc;
}

void
enas_packs_free(struct enas_packs *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		munmap((void *)p->v[i].map, p->v[i].size);
	free(p->v);
	free(p);
}

uint64_t
enas_packs_where(const struct enas_packs *p, const git_oid *id)
{
	const struct idx *x;
	uint32_t lo, hi, mid, o;
	uint64_t big;
	size_t i;
	int c;

	for (i = 0; i < p->n; i++) {
		x = &p->v[i];
		lo = id->id[0] ? be32(x->map + 8 + (id->id[0] - 1) * 4) : 0;
		hi = be32(x->map + 8 + id->id[0] * 4);
		if (hi > x->n || lo > hi)
			continue;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = memcmp(x->ids + (size_t)mid * 20, id->id, 20);
			if (c == 0) {
				o = be32(x->off + (size_t)mid * 4);
				if (!(o & 0x80000000U))
					return (uint64_t)i << 48 | o;
				o &= 0x7fffffffU;
				if (o >= x->nlarge)
					return UINT64_MAX;
				big = (uint64_t)be32(x->large + (size_t)o *
				    8) << 32 | be32(x->large + (size_t)o * 8 + 4);
				return big >> 48 ? UINT64_MAX :
				    (uint64_t)i << 48 | big;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return UINT64_MAX;
}
