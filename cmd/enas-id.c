/*
 * enas-id: children's identities, encrypted with age for the office
 * that works the case, in a repository of their own (enas-id(1)).
 *
 *	enas id keygen [-o keyfile]
 *	enas id encrypt -r recipient... [-R file]... [file]
 *	enas id decrypt [-i keyfile] [file]
 *
 * Subcommands parse their own options; the library does the work
 * (lib/age.c, lib/identity*.c).
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "age.h"
#include "enas.h"
#include "i18n.h"
#include "identity.h"

#define INPUT_MAX (64 * 1024 * 1024)	/* bytes read from a file or stdin */
#define KEYFILE_MAX (1024 * 1024)
#define PASS_MAX 1024

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "%s",
	    _("usage: enas id keygen [-o keyfile]\n"
	    "       enas id encrypt -r recipient... [-R file]... [file]\n"
	    "       enas id decrypt [-i keyfile] [file]\n"));
	exit(status);
}

/* The file a person's key lives in, when -i does not say. */
static const char *
default_keyfile(void)
{
	static char path[PATH_MAX];
	const char *s;

	if ((s = getenv("ENAS_ID_KEY")) && *s)
		return s;
	if ((s = getenv("XDG_CONFIG_HOME")) && *s)
		snprintf(path, sizeof(path), "%s/enas/identity.age", s);
	else if ((s = getenv("HOME")) && *s)
		snprintf(path, sizeof(path), "%s/.config/enas/identity.age", s);
	else
		errx(2, "%s", _("no key file: give -i, or set HOME"));
	return path;
}

/* The scrypt work factor for new key files: ENAS_SCRYPT_WORK or 18. */
static int
scrypt_work(void)
{
	const char *s = getenv("ENAS_SCRYPT_WORK");
	char *end;
	long v;

	if (!s || !*s)
		return 18;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > ENAS_AGE_SCRYPT_MAX)
		errx(2, _("ENAS_SCRYPT_WORK=%s: not a work factor from 1 to %d"),
		    s, ENAS_AGE_SCRYPT_MAX);
	return (int)v;
}

/* Read one line from fd into buf (at most size - 1 bytes). */
static size_t
read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;
	char c;

	while (n + 1 < size) {
		if ((r = read(fd, &c, 1)) < 0) {
			if (errno == EINTR)
				continue;
			err(2, "%s", _("cannot read the passphrase"));
		}
		if (r == 0 || c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return n;
}

/*
 * Ask for a passphrase: from the descriptor ENAS_ID_PASSFD names (for
 * scripts and tests), else on the terminal without echo.  The caller
 * wipes buf.
 */
static size_t
ask_pass(char *buf, size_t size, const char *prompt)
{
	struct termios t, quiet;
	const char *s = getenv("ENAS_ID_PASSFD");
	char *end;
	long fd;
	size_t n;
	int tty, echo;

	if (s && *s) {
		errno = 0;
		fd = strtol(s, &end, 10);
		if (errno || *end || fd < 0 || fd > INT_MAX)
			errx(2, _("ENAS_ID_PASSFD=%s: not a file descriptor"),
			    s);
		return read_line((int)fd, buf, size);
	}
	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
		errx(2, "%s", _("no terminal to ask the passphrase on "
		    "(ENAS_ID_PASSFD can name a descriptor)"));
	echo = tcgetattr(tty, &t) == 0;
	if (echo) {
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		(void)tcsetattr(tty, TCSAFLUSH, &quiet);
	}
	(void)!write(tty, prompt, strlen(prompt));
	n = read_line(tty, buf, size);
	if (echo)
		(void)tcsetattr(tty, TCSAFLUSH, &t);
	(void)!write(tty, "\n", 1);
	close(tty);
	return n;
}

/* Read all of path ("-" or NULL: stdin) into b, at most max bytes. */
static void
read_input(struct enas_buf *b, const char *path, size_t max)
{
	char chunk[65536];
	size_t n;

	if (path && strcmp(path, "-")) {
		if (enas_file_read(b, path, max + 1) < 0)
			errx(2, "%s", enas_error_last());
	} else {
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			if (b->len + n > max ||
			    enas_buf_add(b, chunk, n) < 0)
				errx(2, "%s", _("standard input is too large"));
		if (ferror(stdin))
			err(2, "%s", _("standard input"));
	}
	if (b->len > max)
		errx(2, _("%s: larger than %zu bytes"), path, max);
}

static void
write_out(const void *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) != n || fflush(stdout) == EOF)
		err(2, "%s", _("standard output"));
}

/* Load the identities of keyfile, asking its passphrase if it has one. */
static void
load_keys(struct enas_identity_keys *k, const char *keyfile)
{
	struct enas_buf b = ENAS_BUF_INIT;
	char pass[PASS_MAX], prompt[PATH_MAX + 64];
	size_t n;
	int need, rc;

	if (enas_file_read(&b, keyfile, KEYFILE_MAX) < 0)
		errx(2, "%s", enas_error_last());
	rc = enas_identity_keys_load(k, b.data, b.len, NULL, 0, &need);
	if (rc < 0 && need) {
		snprintf(prompt, sizeof(prompt), _("passphrase for %s: "),
		    keyfile);
		n = ask_pass(pass, sizeof(pass), prompt);
		rc = enas_identity_keys_load(k, b.data, b.len, pass, n, NULL);
		sodium_memzero(pass, sizeof(pass));
	}
	enas_age_buf_wipe(&b);
	if (rc < 0)
		errx(2, "%s: %s", keyfile, enas_error_last());
}

static int
cmd_keygen(int argc, char **argv)
{
	struct enas_age_identity id;
	struct enas_age_recipient r;
	struct enas_buf clear = ENAS_BUF_INIT, enc = ENAS_BUF_INIT;
	struct enas_buf pub = ENAS_BUF_INIT;
	char pass[PASS_MAX], again[PASS_MAX], dir[PATH_MAX], *slash, date[32];
	const char *out = NULL;
	time_t now = time(NULL);
	size_t n;
	int ch, fd;

	while ((ch = getopt(argc, argv, "ho:")) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	if (!out)
		out = default_keyfile();
	if (access(out, F_OK) == 0)
		errx(2, _("%s: already exists; keys are never overwritten"),
		    out);
	n = ask_pass(pass, sizeof(pass), _("passphrase for the new key: "));
	if (n < 8)
		errx(2, "%s", _("the passphrase must have at least 8 "
		    "characters"));
	if (!getenv("ENAS_ID_PASSFD")) {
		(void)ask_pass(again, sizeof(again), _("the same again: "));
		if (strcmp(pass, again))
			errx(2, "%s", _("the passphrases differ"));
		sodium_memzero(again, sizeof(again));
	}
	if (enas_age_keygen(&id) < 0)
		errx(2, "%s", enas_error_last());
	enas_age_identity_recipient(&r, &id);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (enas_age_recipient_format(&pub, &r) < 0 ||
	    enas_buf_printf(&clear, "# created: %s\n# public key: %s\n",
	    date, pub.data) < 0 ||
	    enas_age_identity_format(&clear, &id) < 0 ||
	    enas_buf_add(&clear, "\n", 1) < 0 ||
	    enas_age_encrypt_scrypt(&enc, clear.data, clear.len, pass, n,
	    scrypt_work()) < 0)
		errx(2, "%s", enas_error_last());
	sodium_memzero(pass, sizeof(pass));
	enas_age_identity_wipe(&id);
	enas_age_buf_wipe(&clear);
	/* Its directory, private, when it is the default one. */
	snprintf(dir, sizeof(dir), "%s", out);
	if ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			err(2, "%s", dir);
	}
	if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) < 0)
		err(2, "%s", out);
	if (write(fd, enc.data, enc.len) != (ssize_t)enc.len ||
	    fsync(fd) < 0 || close(fd) < 0) {
		(void)unlink(out);
		err(2, "%s", out);
	}
	printf("%s\n", pub.data);
	if (fflush(stdout) == EOF)
		err(2, "%s", _("standard output"));
	enas_buf_free(&enc);
	enas_buf_free(&pub);
	return 0;
}

static int
cmd_encrypt(int argc, char **argv)
{
	struct enas_age_recipient *r = NULL, *more;
	struct enas_buf in = ENAS_BUF_INIT, out = ENAS_BUF_INIT;
	struct enas_buf file = ENAS_BUF_INIT;
	size_t nr = 0, nmore, i;
	int ch;

	if (!(r = enas_calloc(ENAS_IDENTITY_RECIPIENTS_MAX, sizeof(*r))))
		errx(2, "%s", enas_error_last());
	while ((ch = getopt(argc, argv, "hr:R:")) != -1) {
		switch (ch) {
		case 'r':
			if (nr == ENAS_IDENTITY_RECIPIENTS_MAX)
				errx(2, "%s", _("too many recipients"));
			if (enas_age_recipient_parse(&r[nr], optarg,
			    strlen(optarg)) < 0)
				errx(2, "%s: %s", optarg, enas_error_last());
			nr++;
			break;
		case 'R':
			file.len = 0;
			if (enas_file_read(&file, optarg, KEYFILE_MAX) < 0 ||
			    enas_identity_recipients_parse(&more, &nmore,
			    file.data, file.len, optarg) < 0)
				errx(2, "%s", enas_error_last());
			for (i = 0; i < nmore; i++) {
				if (nr == ENAS_IDENTITY_RECIPIENTS_MAX)
					errx(2, "%s", _("too many recipients"));
				r[nr++] = more[i];
			}
			free(more);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (nr == 0)
		errx(2, "%s", _("encrypt: give at least one -r or -R"));
	if (argc - optind > 1)
		usage(stderr, 2);
	read_input(&in, argc > optind ? argv[optind] : NULL, INPUT_MAX);
	if (enas_age_encrypt(&out, in.data, in.len, r, nr) < 0)
		errx(2, "%s", enas_error_last());
	write_out(out.data, out.len);
	enas_age_buf_wipe(&in);
	enas_buf_free(&out);
	enas_buf_free(&file);
	free(r);
	return 0;
}

static int
cmd_decrypt(int argc, char **argv)
{
	struct enas_identity_keys k;
	struct enas_age_keys ak;
	struct enas_buf in = ENAS_BUF_INIT, out = ENAS_BUF_INIT;
	const char *keyfile = NULL;
	int ch;

	while ((ch = getopt(argc, argv, "hi:")) != -1) {
		switch (ch) {
		case 'i':
			keyfile = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (argc - optind > 1)
		usage(stderr, 2);
	if (!keyfile)
		keyfile = default_keyfile();
	read_input(&in, argc > optind ? argv[optind] : NULL, INPUT_MAX);
	load_keys(&k, keyfile);
	enas_identity_keys_age(&ak, &k);
	if (enas_age_decrypt(&out, in.data, in.len, &ak, NULL) < 0) {
		enas_identity_keys_wipe(&k);
		errx(1, "%s: %s", argc > optind ? argv[optind] :
		    _("standard input"), enas_error_last());
	}
	enas_identity_keys_wipe(&k);
	write_out(out.data, out.len);
	enas_age_buf_wipe(&out);
	enas_buf_free(&in);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "keygen", cmd_keygen },
		{ "encrypt", cmd_encrypt },
		{ "decrypt", cmd_decrypt },
	};
	size_t i;

	setlocale(LC_MESSAGES, "");
	setlocale(LC_CTYPE, "");
	if (sodium_init() < 0)
		errx(2, "%s", _("libsodium cannot start"));
	if (argc < 2)
		usage(stderr, 2);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		usage(stdout, 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	warnx(_("'%s' is not an enas id command"), argv[1]);
	usage(stderr, 2);
	return 2;
}
