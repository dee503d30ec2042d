/*
 * enas.c: diagnostics, the last error, allocation and byte buffers.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enas.h"
#include "i18n.h"

static _Thread_local char last_error[1024];

const char *
enas_error_last(void)
{
	return last_error[0] ? last_error : _("no error");
}

/*
 * Both setters format into a buffer of their own, then copy: an argument
 * may be enas_error_last() itself (the message being wrapped), which
 * vsnprintf must never read while it writes over it.
 */
int
enas_error_set(int status, const char *fmt, ...)
{
	char tmp[sizeof(last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memcpy(last_error, tmp, sizeof(tmp));
	return status;
}

int
enas_error_prefix(int status, const char *fmt, ...)
{
	char tmp[sizeof(last_error)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(tmp))
		n = (int)sizeof(tmp) - 1;
	snprintf(tmp + n, sizeof(tmp) - (size_t)n, "%s", enas_error_last());
	memcpy(last_error, tmp, sizeof(tmp));
	return status;
}

static int nomem_seen;

int
enas_error_nomem(void)
{
	nomem_seen = 1;
	return enas_error_set(ENAS_ENOMEM, _("out of memory"));
}

int
enas_alloc_failed(void)
{
	return nomem_seen;
}

/*
 * ENAS_FAIL_ALLOC=N (read once) makes the N-th allocation and every
 * one after it fail, so that tests can prove each failure is handled;
 * ENAS_FAIL_ALLOC=N:K makes K allocations fail from the N-th, then
 * lets the rest succeed, as a passing shortage would.
 */
static long fail_at = -1;
static long fail_count;
static long nalloc;

static int
alloc_fails(void)
{
	const char *s;
	char *end;

	if (fail_at == -1) {
		s = getenv("ENAS_FAIL_ALLOC");
		fail_at = s && *s ? strtol(s, &end, 10) : 0;
		fail_count = fail_at > 0 && *end == ':' ?
		    strtol(end + 1, NULL, 10) : 0;
	}
	if (fail_at <= 0 || ++nalloc < fail_at)
		return 0;
	return fail_count <= 0 || nalloc < fail_at + fail_count;
}

void *
enas_malloc(size_t n)
{
	void *p;

	if (alloc_fails() || !(p = malloc(n ? n : 1))) {
		enas_error_nomem();
		return NULL;
	}
	return p;
}

void *
enas_calloc(size_t n, size_t size)
{
	void *p;

	if (alloc_fails() || !(p = calloc(n ? n : 1, size ? size : 1))) {
		enas_error_nomem();
		return NULL;
	}
	return p;
}

void *
enas_realloc(void *p, size_t n)
{
	void *q;

	if (alloc_fails() || !(q = realloc(p, n ? n : 1))) {
		enas_error_nomem();
		return NULL;
	}
	return q;
}

char *
enas_strndup(const char *s, size_t n)
{
	char *p;

	if (!(p = enas_malloc(n + 1)))
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
enas_strdup(const char *s)
{
	return enas_strndup(s, strlen(s));
}

void
enas_diag_report(enas_diag_fn fn, void *ctx, const char *file, int line,
    int col, enum enas_level level, const char *field, const char *hint,
    const char *fmt, ...)
{
	struct enas_diag d;
	char msg[1024];
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d.file = file;
	d.line = line;
	d.col = col;
	d.level = level;
	d.field = field;
	d.msg = msg;
	d.hint = hint;
	fn(ctx, &d);
}

/*
 * A file name (or message) as one printable line: control characters (a newline in
 * a file name would split the diagnostic) become C escapes, like git's
 * quoted paths.
 */
static void
quote_name(char *buf, size_t size, const char *name)
{
	size_t n = 0;

	for (; *name && n + 5 < size; name++) {
		unsigned char ch = (unsigned char)*name;

		if (ch == '\n' || ch == '\t' || ch < 0x20 || ch == 0x7f) {
			n += (size_t)snprintf(buf + n, size - n, ch == '\n' ?
			    "\\n" : ch == '\t' ? "\\t" : "\\%03o", ch);
		} else
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
}

void
enas_diag_counting(void *ctx, const struct enas_diag *d)
{
	struct enas_diag_count *c = ctx;

	if (d->level == ENAS_ERROR)
		c->errors++;
	if (c->fn)
		c->fn(c->ctx, d);
}

int
enas_diag_format(char *buf, size_t size, const struct enas_diag *d)
{
	const char *lv = d->level == ENAS_WARNING ? "warning" : "error";
	char file[1024], msg[2048], hint[1024];
	int n;

	quote_name(file, sizeof(file), d->file ? d->file : "");
	quote_name(msg, sizeof(msg), d->msg);
	/* A rule's message: a folded YAML string may hold a newline. */
	quote_name(hint, sizeof(hint), d->hint ? d->hint : "");
	if (d->line > 0)
		n = snprintf(buf, size, "%s:%d:%d: %s: ", file, d->line,
		    d->col > 0 ? d->col : 1, lv);
	else
		n = snprintf(buf, size, "%s: %s: ", file, lv);
	if (n < 0)
		return n;
	n += snprintf(size > (size_t)n ? buf + n : NULL,
	    size > (size_t)n ? size - n : 0, "%s%s%s%s%s%s",
	    d->field ? d->field : "", d->field ? ": " : "", msg,
	    d->hint ? " (" : "", hint, d->hint ? ")" : "");
	return n;
}

int
enas_buf_grow(struct enas_buf *b, size_t extra)
{
	size_t want, cap;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len)
		return enas_error_nomem();
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap *= 2;
	if (!(p = enas_realloc(b->data, cap)))
		return ENAS_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
enas_buf_add(struct enas_buf *b, const void *p, size_t n)
{
	if (enas_buf_grow(b, n) < 0)
		return ENAS_ENOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
enas_buf_puts(struct enas_buf *b, const char *s)
{
	return enas_buf_add(b, s, strlen(s));
}

int
enas_buf_printf(struct enas_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return enas_error_set(ENAS_EIO, _("cannot format a message"));
	if (enas_buf_grow(b, (size_t)n) < 0)
		return ENAS_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
enas_buf_free(struct enas_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int
enas_file_read(struct enas_buf *b, const char *path, size_t max)
{
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	b->len = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			return enas_error_set(ENAS_EDATA,
			    _("%s: is a symbolic link; records are regular "
			    "files"), path);
		return enas_error_set(ENAS_EIO, "%s: %s", path,
		    strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		rc = enas_error_set(ENAS_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = enas_error_set(ENAS_EDATA, S_ISDIR(st.st_mode) ?
		    _("%s: is a directory; records are regular files") :
		    _("%s: is not a regular file; records are regular files"),
		    path);
		goto out;
	}
	if ((rc = enas_buf_grow(b, max < (size_t)st.st_size ? max :
	    (size_t)st.st_size)) < 0)
		goto out;
	while (b->len < max) {
		if ((rc = enas_buf_grow(b, 4096)) < 0)
			goto out;
		n = read(fd, b->data + b->len, (b->cap - 1 - b->len) <
		    (max - b->len) ? b->cap - 1 - b->len : max - b->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = enas_error_set(ENAS_EIO, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	if (b->data)
		b->data[b->len] = '\0';
	else
		rc = enas_buf_add(b, "", 0);
out:
	close(fd);
	return rc;
}

int
enas_buf_json(struct enas_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7];
	size_t i;
	unsigned char ch;

	if (enas_buf_add(b, "\"", 1) < 0)
		return ENAS_ENOMEM;
	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			if (enas_buf_add(b, esc, 2) < 0)
				return ENAS_ENOMEM;
		} else if (ch < 0x20 || ch == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			if (enas_buf_add(b, esc, 6) < 0)
				return ENAS_ENOMEM;
		} else if (enas_buf_add(b, s + i, 1) < 0)
			return ENAS_ENOMEM;
	}
	return enas_buf_add(b, "\"", 1);
}

static int
json_opt(struct enas_buf *b, const char *s)
{
	return s ? enas_buf_json(b, s, strlen(s)) : enas_buf_puts(b, "null");
}

int
enas_diag_json(struct enas_buf *b, const struct enas_diag *d)
{
	if (enas_buf_puts(b, "{\"file\":") < 0 ||
	    json_opt(b, d->file) < 0 ||
	    enas_buf_printf(b, ",\"line\":%d,\"col\":%d,\"level\":\"%s\","
	    "\"field\":", d->line, d->col, d->level == ENAS_WARNING ?
	    "warning" : "error") < 0 || json_opt(b, d->field) < 0 ||
	    enas_buf_puts(b, ",\"message\":") < 0 ||
	    json_opt(b, d->msg) < 0 || enas_buf_puts(b, ",\"hint\":") < 0 ||
	    json_opt(b, d->hint) < 0 || enas_buf_puts(b, "}") < 0)
		return ENAS_ENOMEM;
	return 0;
}
