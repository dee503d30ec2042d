/*
 * write.c: atomic writes below a directory, without following links,
 * and the lock between the tools.
 */
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "write.h"

struct enas_lock {
	int fd;
};

/*
 * Open the directory that holds relpath's last component, from top,
 * one component at a time with O_NOFOLLOW (creating missing ones when
 * create is set).  *base points into relpath at the last component.
 * Returns the directory's descriptor, or a negative status.
 */
static int
open_parent(const char *top, const char *relpath, int create,
    const char **base)
{
	const char *s = relpath, *slash;
	char comp[256];
	size_t n;
	int dfd, fd;

	*base = relpath;
	if ((dfd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return enas_error_set(ENAS_EIO, "%s: %s", top, strerror(errno));
	for (;;) {
		slash = strchr(s, '/');
		n = slash ? (size_t)(slash - s) : strlen(s);
		if (n == 0 || n >= sizeof(comp) || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.')) {
			close(dfd);
			return enas_error_set(ENAS_EDATA, _("%s: not a plain "
			    "path below the repository"), relpath);
		}
		if (!slash)
			break;
		memcpy(comp, s, n);
		comp[n] = '\0';
		fd = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && create) {
			if (mkdirat(dfd, comp, 0777) < 0 && errno != EEXIST) {
				fd = -1;
			} else {
				(void)fsync(dfd);
				fd = openat(dfd, comp, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);
			}
		}
		if (fd < 0) {
			int e = errno;

			close(dfd);
			if (e == ELOOP || e == ENOTDIR)
				return enas_error_set(ENAS_EDATA, _("%.*s: is "
				    "a symbolic link or not a directory; "
				    "records live in plain directories"),
				    (int)(slash - relpath), relpath);
			return enas_error_set(ENAS_EIO, "%.*s: %s",
			    (int)(slash - relpath), relpath, strerror(e));
		}
		close(dfd);
		dfd = fd;
		s = slash + 1;
	}
	*base = s;
	return dfd;
}

/* Write all of buf to fd. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
enas_write_atomic(const char *top, const char *relpath, const char *buf,
    size_t len, unsigned flags)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuv";
	unsigned char rnd[7] = { 0 };
	char tmp[300];
	const char *base;
	struct stat st;
	int dfd, fd = -1, rc = 0, i, tries, keep = 0;
	mode_t mode = 0;

	if ((dfd = open_parent(top, relpath, 1, &base)) < 0)
		return dfd;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
			rc = enas_error_set(ENAS_EDATA, S_ISLNK(st.st_mode) ?
			    _("%s: is a symbolic link; records are regular "
			    "files") : _("%s: is not a regular file; records "
			    "are regular files"), relpath);
			goto out;
		}
		if (flags & ENAS_WRITE_NEW) {
			rc = enas_error_set(ENAS_EDATA, _("%s: exists already"),
			    relpath);
			goto out;
		}
		keep = (flags & ENAS_WRITE_KEEP_MODE) != 0;
		mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		rc = enas_error_set(ENAS_EIO, "%s: %s", relpath,
		    strerror(errno));
		goto out;
	}
	for (tries = 0; tries < 100 && fd < 0; tries++) {
		if (getrandom(rnd, 6, 0) != 6)
			memset(rnd, tries, 6);
		for (i = 0; i < 6; i++)
			rnd[i] = (unsigned char)digits[rnd[i] & 31];
		snprintf(tmp, sizeof(tmp), ".%.200s.tmp-%.6s", base,
		    (const char *)rnd);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, flags & ENAS_WRITE_EXEC ? 0777 : 0666);
		if (fd < 0 && errno != EEXIST) {
			rc = enas_error_set(ENAS_EIO, _("%s: cannot create a "
			    "temporary file: %s"), relpath, strerror(errno));
			goto out;
		}
	}
	if (fd < 0) {
		rc = enas_error_set(ENAS_EIO, _("%s: cannot create a "
		    "temporary file"), relpath);
		goto out;
	}
	if (write_all(fd, buf, len) < 0 || (keep && fchmod(fd, mode) < 0) ||
	    fsync(fd) < 0) {
		rc = enas_error_set(ENAS_EIO, "%s: %s", relpath,
		    strerror(errno));
		close(fd);
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	if (close(fd) < 0) {
		rc = enas_error_set(ENAS_EIO, "%s: %s", relpath,
		    strerror(errno));
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	if (renameat(dfd, tmp, dfd, base) < 0) {
		rc = enas_error_set(ENAS_EIO, "%s: %s", relpath,
		    strerror(errno));
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	if (fsync(dfd) < 0)
		rc = enas_error_set(ENAS_EIO, "%s: %s", relpath,
		    strerror(errno));
out:
	close(dfd);
	return rc;
}

int
enas_write_remove(const char *top, const char *relpath)
{
	const char *base;
	int dfd, rc = 0;

	if ((dfd = open_parent(top, relpath, 0, &base)) < 0)
		return dfd;
	if ((unlinkat(dfd, base, 0) < 0 && errno != ENOENT) ||
	    fsync(dfd) < 0)
		rc = enas_error_set(ENAS_EIO, "%s: %s", relpath,
		    strerror(errno));
	close(dfd);
	return rc;
}

int
enas_lock_take(struct enas_lock **out, const char *path, long timeout_ms)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	struct enas_lock *l;
	long waited = 0;
	int fd;

	*out = NULL;
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return enas_error_set(ENAS_EIO, "%s: %s", path,
		    strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return enas_error_set(ENAS_EIO,
			    _("%s: cannot lock: %s"), path, strerror(errno));
		}
		if (waited >= timeout_ms) {
			close(fd);
			/* TRANSLATORS: a lock file, then seconds */
			return enas_error_set(ENAS_EIO, _("%s: locked by "
			    "another enas tool for %ld s; retry in a moment"),
			    path,
			    (timeout_ms + 999) / 1000);
		}
		nanosleep(&nap, NULL);
		waited += 20;
	}
	if (!(l = enas_malloc(sizeof(*l)))) {
		close(fd);
		return ENAS_ENOMEM;
	}
	l->fd = fd;
	*out = l;
	return 0;
}

void
enas_lock_release(struct enas_lock *l)
{
	if (!l)
		return;
	close(l->fd);
	free(l);
}
