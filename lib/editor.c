/*
 * editor.c: run the user's editor; private temporary directories.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "editor.h"
#include "i18n.h"

int
enas_editor_run(const char *file)
{
	struct sigaction ign, oint, oquit;
	struct enas_buf cmd = ENAS_BUF_INIT;
	const char *ed = getenv("VISUAL");
	pid_t pid;
	int status, rc = 0;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	if (enas_buf_printf(&cmd, "%s \"$@\"", ed) < 0)
		return ENAS_ENOMEM;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		rc = enas_error_set(ENAS_EIO, _("cannot start the editor: %s"),
		    strerror(errno));
		goto out;
	}
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execl("/bin/sh", "sh", "-c", cmd.data, ed, file, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			rc = enas_error_set(ENAS_EIO,
			    _("waiting for the editor: %s"), strerror(errno));
			goto out;
		}
	/* TRANSLATORS: %.60s is the editor's command */
	if (WIFSIGNALED(status))
		rc = enas_error_set(ENAS_EIO, _("the editor (%.60s) was killed "
		    "by signal %d"), ed, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		rc = enas_error_set(ENAS_EIO, _("the editor (%.60s) exited "
		    "with status %d"), ed, WEXITSTATUS(status));
out:
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	enas_buf_free(&cmd);
	return rc;
}

int
enas_tmpdir_make(struct enas_buf *b, struct enas_repo *repo)
{
	b->len = 0;
	if (enas_buf_printf(b, "%senas-tmp-XXXXXX",
	    git_repository_path(enas_repo_git(repo))) < 0)
		return ENAS_ENOMEM;
	if (!mkdtemp(b->data))
		return enas_error_set(ENAS_EIO, "%s: %s", b->data,
		    strerror(errno));
	return 0;
}

void
enas_tmpdir_remove(const char *dir, const char *file)
{
	if (file)
		unlink(file);
	rmdir(dir);
}

void
enas_diags_add(void *ctx, const struct enas_diag *d)
{
	struct enas_diags *l = ctx;
	struct enas_diag *p, *c;

	if (l->n == l->cap) {
		if (!(p = enas_realloc(l->d, (l->cap ? l->cap * 2 : 8) *
		    sizeof(*p)))) {
			l->nomem = 1;
			return;
		}
		l->d = p;
		l->cap = l->cap ? l->cap * 2 : 8;
	}
	c = &l->d[l->n];
	*c = *d;
	c->file = NULL;
	c->field = d->field ? enas_strdup(d->field) : NULL;
	c->msg = enas_strdup(d->msg ? d->msg : "");
	c->hint = d->hint ? enas_strdup(d->hint) : NULL;
	if (!c->msg || (d->field && !c->field) || (d->hint && !c->hint)) {
		free((char *)c->field);
		free((char *)c->msg);
		free((char *)c->hint);
		l->nomem = 1;
		return;
	}
	l->n++;
}

void
enas_diags_clear(struct enas_diags *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free((char *)l->d[i].field);
		free((char *)l->d[i].msg);
		free((char *)l->d[i].hint);
	}
	free(l->d);
	l->d = NULL;
	l->n = l->cap = 0;
	l->nomem = 0;
}

/* Where the line at s ends (its '\n', or end). */
static const char *
eol(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl ? nl : end;
}

static size_t
indent(const char *s, const char *e)
{
	const char *p = s;

	while (p < e && *p == ' ')
		p++;
	return (size_t)(p - s);
}

/*
 * Where the comment of the line s..e starts (e when none), given and
 * updating *quote: the quote character of a quoted scalar that runs
 * over from the line before, or 0.
 */
static const char *
comment_at(const char *s, const char *e, char *quote)
{
	const char *p = s;
	int start = 1;	/* where a scalar may start: a quote opens it */

	for (; p < e; p++) {
		if (*quote == '\'') {
			if (*p == '\'' && p + 1 < e && p[1] == '\'')
				p++;
			else if (*p == '\'')
				*quote = 0;
			continue;
		}
		if (*quote == '"') {
			if (*p == '\\' && p + 1 < e)
				p++;
			else if (*p == '"')
				*quote = 0;
			continue;
		}
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t'))
			return p;
		if (start && (*p == '\'' || *p == '"')) {
			*quote = *p;
			start = 0;
			continue;
		}
		if (*p == ' ' || *p == '\t')
			continue;
		start = strchr("[{,", *p) || ((*p == '-' || *p == ':' ||
		    *p == '?') && (p + 1 == e || p[1] == ' '));
	}
	return e;
}

/*
 * 1 if the line s..e (its comment cut) ends in a block scalar's
 * header: "key: |", "- >-", "key: |2".
 */
static int
block_header(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	while (e > s && (e[-1] == '-' || e[-1] == '+' ||
	    (e[-1] >= '0' && e[-1] <= '9')))
		e--;
	if (e == s || (e[-1] != '|' && e[-1] != '>'))
		return 0;
	e--;
	return e == s || e[-1] == ' ';
}

int
enas_editor_strip(struct enas_buf *out, const char *buf, size_t len,
    unsigned flags)
{
	const char *s, *e, *end = buf + len, *c;
	size_t ind, block = 0;
	int in_block = 0;
	char quote = 0;

	out->len = 0;
	if (enas_buf_add(out, "", 0) < 0)
		return ENAS_ENOMEM;
	for (s = buf; s < end; s = e + 1) {
		e = eol(s, end);
		ind = indent(s, e);
		if (in_block && (ind == (size_t)(e - s) || ind > block))
			c = e;		/* content of a block scalar */
		else {
			in_block = 0;
			c = quote || ind < (size_t)(e - s) ?
			    comment_at(s, e, &quote) : e;
			if (c < e && indent(s, c) == (size_t)(c - s)) {
				/* a line that holds only a comment */
				if ((flags & ENAS_STRIP_BLANK) && e < end &&
				    enas_buf_add(out, "\n", 1) < 0)
					return ENAS_ENOMEM;
				continue;
			}
			while (c > s && c < e && (c[-1] == ' ' ||
			    c[-1] == '\t'))
				c--;
			if (!quote && block_header(s, c)) {
				in_block = 1;
				block = ind;
			}
		}
		if (enas_buf_add(out, s, (size_t)(c - s)) < 0 ||
		    (e < end && enas_buf_add(out, "\n", 1) < 0))
			return ENAS_ENOMEM;
	}
	return 0;
}

int
enas_editor_blank(const char *buf, size_t len)
{
	const char *s, *e, *end = buf + len;
	size_t ind;

	for (s = buf; s < end; s = e + 1) {
		e = eol(s, end);
		ind = indent(s, e);
		while (s + ind < e && (s[ind] == '\t' || s[ind] == ' ' ||
		    s[ind] == '\r'))
			ind++;
		if (s + ind < e && s[ind] != '#')
			return 0;
	}
	return 1;
}

size_t
enas_editor_unmark(const char *buf, size_t len)
{
	const char *s = buf, *e, *end = buf + len;
	size_t mark = strlen(ENAS_EDITOR_MARK) - 1;	/* "#!" */

	while (s < end && (size_t)(end - s) >= mark &&
	    memcmp(s, ENAS_EDITOR_MARK, mark) == 0) {
		e = eol(s, end);
		s = e < end ? e + 1 : e;
	}
	return (size_t)(s - buf);
}

#define WRAP 76	/* columns of the lines of the error block */

/*
 * Append text to b as marked comment lines of at most WRAP columns
 * (a longer word stands alone), the lines after the first indented by
 * two spaces.  The number of lines into *lines.  0 or ENAS_ENOMEM.
 */
static int
wrap(struct enas_buf *b, const char *text, size_t *lines)
{
	size_t lead = strlen(ENAS_EDITOR_MARK), col, w;
	const char *p = text;
	int first = 1;	/* the first word of a line */

	if (enas_buf_puts(b, ENAS_EDITOR_MARK) < 0)
		return ENAS_ENOMEM;
	col = lead;
	(*lines)++;
	while (*p) {
		while (*p == ' ')
			p++;
		for (w = 0; p[w] && p[w] != ' '; w++)
			;
		if (!w)
			break;
		if (!first && col + 1 + w > WRAP) {
			if (enas_buf_printf(b, "\n%s  ", ENAS_EDITOR_MARK) < 0)
				return ENAS_ENOMEM;
			col = lead + 2;
			(*lines)++;
		} else if (!first) {
			if (enas_buf_puts(b, " ") < 0)
				return ENAS_ENOMEM;
			col++;
		}
		if (enas_buf_add(b, p, w) < 0)
			return ENAS_ENOMEM;
		col += w;
		p += w;
		first = 0;
	}
	return enas_buf_puts(b, "\n") < 0 ? ENAS_ENOMEM : 0;
}

int
enas_editor_mark(struct enas_buf *out, const char *text, size_t len,
    const struct enas_diags *l)
{
	struct enas_buf head = ENAS_BUF_INIT, one = ENAS_BUF_INIT;
	size_t i, lines = 0, pass;
	int rc = ENAS_ENOMEM, tries = 0;

	out->len = 0;
	/*
	 * Twice: the first pass counts the block's lines, which the
	 * second adds to each diagnostic's line.
	 */
	for (pass = 0; pass < 2; pass++) {
		size_t before = lines;	/* the last pass's count */

		head.len = 0;
		lines = 0;
		if (wrap(&head, dngettext(ENAS_TEXTDOMAIN, "Not written yet: "
		    "the error below. Fix it, then save and quit; quit "
		    "without saving to give up.", "Not written yet: the errors "
		    "below. Fix them, then save and quit; quit without saving "
		    "to give up.", (unsigned long)l->n), &lines) < 0)
			goto out;
		for (i = 0; i < l->n; i++) {
			const struct enas_diag *d = &l->d[i];

			one.len = 0;
			if ((d->line > 0 && enas_buf_printf(&one,
			    _("line %zu: "), (size_t)d->line + before) < 0) ||
			    enas_buf_printf(&one, "%s%s%s%s%s%s%s",
			    d->level == ENAS_WARNING ? _("warning: ") : "",
			    d->field ? d->field : "", d->field ? ": " : "",
			    d->msg, d->hint ? " (" : "",
			    d->hint ? d->hint : "", d->hint ? ")" : "") < 0 ||
			    wrap(&head, one.data, &lines) < 0)
				goto out;
		}
		if (wrap(&head, _("Lines that start with # are never "
		    "written."), &lines) < 0)
			goto out;
		lines++;	/* the mark alone, between block and text */
		if (enas_buf_puts(&head, "#!\n") < 0)
			goto out;
		if (pass == 1 && lines != before && tries++ < 3)
			pass = 0;	/* a number grew a digit: again */
	}
	if (enas_buf_add(out, head.data, head.len) < 0 ||
	    enas_buf_add(out, text, len) < 0)
		goto out;
	rc = 0;
out:
	enas_buf_free(&head);
	enas_buf_free(&one);
	return rc;
}

int
enas_editor_line(const char *text, size_t len, const char *blanked,
    size_t blen, int line)
{
	const char *s = text, *b = blanked, *end = text + len;
	const char *bend = blanked + blen, *e, *be;
	int i, gone = 0;

	for (i = 1; i < line && s < end && b < bend; i++) {
		e = eol(s, end);
		be = eol(b, bend);
		if (be == b && e > s)
			gone++;		/* a comment line, blanked */
		s = e + 1;
		b = be + 1;
	}
	return line - gone;
}
