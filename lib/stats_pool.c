/*
 * stats_pool.c: the blobs a run must read (those the cache does not
 * answer), queued once each, and read by one reader or several threads,
 * each with its own repository handle and expressions.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "stats_int.h"

/* --- reading blobs, on one thread or several --- */

struct pool {
	struct run *s;
	const char *gitdir;
	atomic_size_t next;	/* the next block of jobs */
	size_t block;
};

/*
 * Readers take blocks of consecutive jobs in turn, in the order the
 * jobs were listed: a tree's, or a history's from old to new, which
 * suits how git packs objects.  Both find the bases of their deltas in
 * libgit2's cache, which they share (halves of the jobs cost a quarter
 * more: the second half starts with every chain to rebuild; jobs sorted
 * by id cost five times as much).
 */
struct worker {
	struct pool *p;
	unsigned index;
	int own;		/* git is its own */
	size_t lo, hi;		/* its jobs */
	pthread_t th;
	git_repository *git;	/* its own, or the run's */
	struct ex x;
	struct enas_buf data;
	int rc;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct run quiet, *s = w->p->s;
	struct job *j;
	git_odb *odb = NULL;
	git_odb_object *obj;
	size_t i;
	int rc;

	/* The same run, but silent: diagnostics come from a re-run. */
	quiet = *s;
	quiet.fn = NULL;
	if (git_repository_odb(&odb, w->git) < 0) {
		w->rc = enas_repo_error(_("cannot open the object database"));
		return NULL;
	}
	for (i = w->hi; ; i++) {
		if (i >= w->hi) {
			w->lo = atomic_fetch_add(&w->p->next, 1) * w->p->block;
			if (w->lo >= s->njobs)
				break;
			w->hi = w->lo + w->p->block < s->njobs ?
			    w->lo + w->p->block : s->njobs;
			i = w->lo;
		}
		j = &s->jobs[i];
		if (git_odb_read(&obj, odb, &j->id) < 0) {
			j->status = ENAS_EGIT;
			continue;
		}
		if (git_odb_object_type(obj) != GIT_OBJECT_BLOB)
			rc = ENAS_EGIT;
		else
			rc = stats_yield(&quiet, &w->x,
			    git_odb_object_data(obj), git_odb_object_size(obj),
			    s->names.data + j->name, 0);
		git_odb_object_free(obj);
		if (rc == 0 && w->data.len + w->x.out.len > UINT32_MAX)
			rc = enas_error_nomem();
		if (rc == 0)
			rc = enas_buf_add(&w->data, w->x.out.data,
			    w->x.out.len);
		if (rc < 0) {
			j->status = rc;
			continue;
		}
		j->worker = w->index;
		j->off = (uint32_t)(w->data.len - w->x.out.len);
		j->len = (uint32_t)w->x.out.len;
	}
	git_odb_free(odb);
	return NULL;
}

/* Report a job that failed, by doing it again on this thread. */
static int
redo(struct run *s, struct job *j)
{
	git_blob *blob;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	git_oid_tostr(hex, sizeof(hex), &j->id);
	if (git_blob_lookup(&blob, s->git, &j->id) < 0) {
		const git_error *e = git_error_last();

		return enas_error_set(ENAS_EGIT,
		    _("%s: cannot read blob %s: %s"),
		    s->names.data + j->name, hex, e && e->message ?
		    e->message : _("not a blob"));
	}
	rc = stats_yield(s, &s->x, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob), s->names.data + j->name, 1);
	git_blob_free(blob);
	if (rc == 0)
		rc = enas_error_set(ENAS_EGIT, _("%s: blob %s read differently "
		    "twice"), s->names.data + j->name, hex);
	return rc;
}

/*
 * Readers: as asked, else one per idle processor by the load average
 * (on a busy machine a second reader only adds work), and one for a few
 * blobs.
 */
static int
nthreads(const struct run *s)
{
	long n = s->c.q->threads;
	double load;

	if (n <= 0) {
		if (s->njobs < 512)
			return 1;
		n = sysconf(_SC_NPROCESSORS_ONLN);
		/* Less one for this process, which the load counts. */
		if (getloadavg(&load, 1) == 1 && load > 1)
			n -= (long)(load - 1 + 0.5);
	}
	if (n < 1)
		n = 1;
	if (n > MAXTHREADS)
		n = MAXTHREADS;
	return (int)n;
}

/* Read every job's blob and put its yield in the cache. */
int
stats_read_jobs(struct run *s)
{
	struct worker w[MAXTHREADS];
	struct pool p;
	size_t i;
	int n, k, rc = 0, started = 0;

	if (!s->njobs)
		return 0;
	n = nthreads(s);
	memset(w, 0, sizeof(w));
	p.s = s;
	atomic_init(&p.next, 0);
	p.block = 256;
	p.gitdir = git_repository_path(s->git);
	for (k = 0; k < n; k++) {
		w[k].p = &p;
		w[k].index = (unsigned)k;
		w[k].lo = w[k].hi = 0;
		if ((rc = stats_ex_init(&w[k].x, &s->c)) < 0)
			goto out;
		if (n == 1) {
			w[k].git = s->git;
			continue;
		}
		if (git_repository_open_ext(&w[k].git, p.gitdir,
		    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
			rc = enas_repo_error(_("cannot open the repository"));
			goto out;
		}
		w[k].own = 1;
	}
	if (n == 1)
		work(&w[0]);
	else {
		for (k = 0; k < n; k++) {
			if (pthread_create(&w[k].th, NULL, work, &w[k]) != 0) {
				rc = enas_error_set(ENAS_EIO,
				    _("cannot start a thread"));
				break;
			}
			started++;
		}
		for (k = 0; k < started; k++)
			pthread_join(w[k].th, NULL);
		if (rc < 0)
			goto out;
	}
	for (k = 0; k < n; k++)
		if (w[k].rc < 0) {
			rc = w[k].rc;
			goto out;
		}
	for (i = 0; i < s->njobs; i++) {
		struct job *j = &s->jobs[i];

		if (j->status == ENAS_ENOMEM) {
			rc = enas_error_nomem();
			goto out;
		}
		if (j->status < 0) {
			rc = redo(s, j);
			goto out;
		}
		if ((rc = enas_blobcache_put(s->cache, &j->id,
		    w[j->worker].data.data + j->off, j->len)) < 0)
			goto out;
	}
	s->read += s->njobs;
out:
	for (k = 0; k < n; k++) {
		stats_ex_free(&w[k].x);
		enas_buf_free(&w[k].data);
		if (w[k].own)
			git_repository_free(w[k].git);
	}
	s->njobs = 0;
	s->names.len = 0;
	free(s->pending);
	s->pending = NULL;
	s->npending = 0;
	return rc;
}

/* Queue blob id (at path) for reading unless known or queued. */
int
stats_need(struct run *s, const git_oid *id, const char *path)
{
	struct job *nj;
	size_t len, j, i, n;
	uint32_t *np;

	if (enas_blobcache_get(s->cache, id, &len)) {
		s->cached++;
		return 0;
	}
	if ((s->njobs + 1) * 2 > s->npending) {
		n = s->npending ? s->npending * 2 : 1024;
		if (!(np = enas_calloc(n, sizeof(*np))))
			return ENAS_ENOMEM;
		for (i = 0; i < s->njobs; i++) {
			for (j = stats_hash(s->jobs[i].id.id, 8) & (n - 1);
			    np[j]; j = (j + 1) & (n - 1))
				;
			np[j] = (uint32_t)i + 1;
		}
		free(s->pending);
		s->pending = np;
		s->npending = n;
	}
	for (j = stats_hash(id->id, 8) & (s->npending - 1); s->pending[j];
	    j = (j + 1) & (s->npending - 1))
		if (git_oid_equal(&s->jobs[s->pending[j] - 1].id, id))
			return 0;
	if (s->njobs == s->capjobs) {
		n = s->capjobs ? s->capjobs * 2 : 1024;
		if (!(nj = enas_realloc(s->jobs, n * sizeof(*nj))))
			return ENAS_ENOMEM;
		s->jobs = nj;
		s->capjobs = n;
	}
	memset(&s->jobs[s->njobs], 0, sizeof(*s->jobs));
	git_oid_cpy(&s->jobs[s->njobs].id, id);
	s->jobs[s->njobs].name = s->names.len;
	if (enas_buf_puts(&s->names, s->prefix) < 0 ||
	    enas_buf_add(&s->names, path, strlen(path) + 1) < 0)
		return ENAS_ENOMEM;
	s->pending[j] = (uint32_t)++s->njobs;
	return 0;
}
