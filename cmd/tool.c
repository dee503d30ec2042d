/*
 * tool.c: the start-up, diagnostics, failure exit, TSV cell and output
 * check that every enas tool shares (tool.h).
 */
#include <sys/stat.h>

#include <err.h>
#include <limits.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "tool.h"

#ifndef ENAS_VERSION
#define ENAS_VERSION "unknown"
#endif
#ifndef ENAS_LOCALEDIR
#define ENAS_LOCALEDIR "/usr/local/share/locale"
#endif

const char *tool_progname = "enas";
int tool_colour;
int tool_nerrors;
int tool_nwarnings;

static void (*at_fail)(void *);
static void *at_fail_arg;

int
tool_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
tool_exe_dir(void)
{
	static char dir[PATH_MAX];
	char *slash;
	ssize_t n;

	if (!dir[0]) {
		if ((n = readlink("/proc/self/exe", dir, sizeof(dir) - 1)) <= 0)
			return NULL;
		dir[n] = '\0';
		if (!(slash = strrchr(dir, '/'))) {
			dir[0] = '\0';
			return NULL;
		}
		*slash = '\0';
	}
	return dir;
}

/*
 * Where the compiled message catalogues (LOCALEDIR/LANG/LC_MESSAGES/
 * enas.mo) are: ENAS_LOCALEDIR from the environment; else beside the
 * program, as make install puts them (PREFIX/bin/../share/locale, when
 * PREFIX/share/enas is there too: installed elsewhere than built for),
 * or as make leaves them (build/locale); else the one the Makefile
 * installs to.
 */
static const char *
locale_dir(void)
{
	static char dir[PATH_MAX + 32];
	char probe[PATH_MAX + 32];
	const char *env = getenv("ENAS_LOCALEDIR"), *exe = tool_exe_dir();

	if (env && *env)
		return env;
	if (exe) {
		snprintf(probe, sizeof(probe), "%s/../share/enas", exe);
		snprintf(dir, sizeof(dir), "%s/../share/locale", exe);
		if (tool_is_dir(dir) && tool_is_dir(probe))
			return dir;
		snprintf(dir, sizeof(dir), "%s/locale", exe);
		if (tool_is_dir(dir))
			return dir;
	}
	return ENAS_LOCALEDIR;
}

void
tool_init(const char *prog, int argc, char **argv)
{
	const char *nc;
	int i;

	tool_progname = prog;
	/* err(3) and warn(3) name the program the same way we do. */
	program_invocation_short_name = (char *)prog;
	setlocale(LC_MESSAGES, "");
	setlocale(LC_CTYPE, "");
	bindtextdomain(ENAS_TEXTDOMAIN, locale_dir());
	nc = getenv("NO_COLOR");
	tool_colour = isatty(2) && !(nc && *nc);
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--version") == 0) {
			printf("%s %s\n", prog, ENAS_VERSION);
			tool_flush_stdout();
			exit(0);
		}
}

void
tool_print_diag(void *ctx, const struct enas_diag *d)
{
	struct enas_diag where = *d;
	const char *lv = d->level == ENAS_WARNING ? "warning" : "error";
	char line[4096], head[1280];
	int n;

	(void)ctx;
	if (d->level == ENAS_WARNING)
		tool_nwarnings++;
	else
		tool_nerrors++;
	enas_diag_format(line, sizeof(line), d);
	/*
	 * The level word ends the "FILE:LINE:COL: error: " head; its place
	 * is found from the head alone, never by searching the line (a
	 * file may be named error.yaml).
	 */
	where.field = NULL;
	where.msg = "";
	where.hint = NULL;
	n = enas_diag_format(head, sizeof(head), &where);
	if (tool_colour && n > (int)strlen(lv) + 2 &&
	    (size_t)n < sizeof(head) && strncmp(line, head, (size_t)n) == 0) {
		n -= (int)strlen(lv) + 2;
		fprintf(stderr, "%.*s\033[%sm%s\033[0m%s\n", n, line,
		    d->level == ENAS_WARNING ? "1;35" : "1;31", lv,
		    line + n + strlen(lv));
	} else
		fprintf(stderr, "%s\n", line);
}

/* A signal that ends the tool runs at_fail first, then ends it. */
static void
on_signal(int sig)
{
	if (at_fail)
		at_fail(at_fail_arg);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
tool_at_fail(void (*fn)(void *), void *arg)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	at_fail = fn;
	at_fail_arg = arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn ? on_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int
tool_again(void)
{
	char answer[16];

	if (!isatty(0))
		return 0;
	for (;;) {
		/*
		 * TRANSLATORS: the answers read are the letters e (edit)
		 * and a (abandon), in every language: keep "(e)" and "(a)".
		 */
		fprintf(stderr, _("%s: (e)dit again or (a)bandon? "),
		    tool_progname);
		if (!fgets(answer, sizeof(answer), stdin))
			return 0;
		if (answer[0] == 'e')
			return 1;
		if (answer[0] == 'a')
			return 0;
	}
}

struct tool_draft tool_draft = { ENAS_BUF_INIT, ENAS_BUF_INIT,
	ENAS_DIAGS_INIT, NULL, NULL };

void
tool_draft_diag(void *ctx, const struct enas_diag *d)
{
	struct enas_diag w = *d;
	struct tool_draft *t = &tool_draft;

	if (t->seen && t->blanked && w.line > 0)
		w.line = enas_editor_line(t->seen->data, t->seen->len,
		    t->blanked->data, t->blanked->len, w.line);
	tool_print_diag(ctx, &w);
	enas_diags_add(&t->shown, d);
}

void
tool_draft_remove(void *arg)
{
	(void)arg;
	if (tool_draft.dir.data)
		enas_tmpdir_remove(tool_draft.dir.data, tool_draft.copy.data);
}

_Noreturn void
tool_fail(int rc)
{
	if (at_fail)
		at_fail(at_fail_arg);
	if (rc != ENAS_ERULES)
		fprintf(stderr, "%s: %s\n", tool_progname, enas_error_last());
	exit(2);
}

int
tool_kinds(struct enas_kinds **out, const struct enas_snapshot *snap)
{
	int rc;

	if ((rc = enas_kinds_load(out, snap, tool_print_diag, NULL)) < 0)
		return rc;
	if (enas_kinds_errors(*out)) {
		enas_kinds_free(*out);
		*out = NULL;
		return ENAS_ERULES;
	}
	return 0;
}

int
tool_tsv_cell(struct enas_buf *b, const char *s, size_t n)
{
	const char *esc;
	size_t i, run;

	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && !strchr("\t\n\r\\",
		    s[i + run]) && s[i + run] != '\0'; run++)
			;
		if (run) {
			if (enas_buf_add(b, s + i, run) < 0)
				return ENAS_ENOMEM;
			continue;
		}
		switch (s[i]) {
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\\':
			esc = "\\\\";
			break;
		default:
			esc = "\\0";
		}
		if (enas_buf_puts(b, esc) < 0)
			return ENAS_ENOMEM;
		run = 1;
	}
	return 0;
}

void
tool_flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		err(2, "%s", _("standard output"));
}
