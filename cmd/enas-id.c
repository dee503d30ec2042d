/*
 * enas-id: children's identities, encrypted with age for the office
 * that works the case, in a repository of their own (enas-id(1)):
 * keygen, init, edit, show, find, rekey, transfer; encrypt and decrypt
 * (plumbing, and the proof that age reads what we write); git's
 * textconv and merge drivers; the identity server's pre-receive hook.
 *
 * Subcommands parse their own options; the library does the work
 * (lib/age.c, lib/identity*.c).
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <sodium.h>

#include "age.h"
#include "check.h"
#include "editor.h"
#include "enas.h"
#include "find.h"
#include "i18n.h"
#include "kinds.h"
#include "identity.h"
#include "identity_receive.h"
#include "merge.h"
#include "repo.h"
#include "tool.h"

#include "write.h"

#define INPUT_MAX (64 * 1024 * 1024)	/* bytes read from a file or stdin */
#define KEYFILE_MAX (1024 * 1024)
#define PASS_MAX 1024

/* The repository commands' shared state. */
static struct {
	const char *dir;		/* -C */
	const char *keyfile;		/* -i */
	struct enas_repo *repo;
	const char *top;
	struct enas_identity_keys keys;
	struct enas_age_keys ak;
	int have_keys;
	unsigned char tokkey[ENAS_IDENTITY_TOKEN_KEY];
	int have_tokkey;
	struct enas_rules *rules;
} C;

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "%s",
	    _("usage: enas id [-C dir] [-i keyfile] command [args]\n"
	    "       enas id keygen [-o keyfile]\n"
	    "       enas id init [dir]\n"
	    "       enas id edit [-o office] case-id\n"
	    "       enas id show case-id\n"
	    "       enas id find name [year|date]\n"
	    "       enas id rekey office\n"
	    "       enas id transfer [-R records-dir] case-id office\n"
	    "       enas id encrypt -r recipient... [-R file]... [file]\n"
	    "       enas id decrypt [-i keyfile] [file]\n"
	    "       enas id textconv file\n"
	    "       enas id merge base ours theirs path\n"
	    "       enas id pre-receive\n"));
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

	if (path && strcmp(path, "-") != 0) {
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

/*
 * Load the identities of keyfile, asking its passphrase if it has one.
 * A negative status with the message for enas_error_last().
 */
static int
try_keys(struct enas_identity_keys *k, const char *keyfile)
{
	struct enas_buf b = ENAS_BUF_INIT;
	char pass[PASS_MAX], prompt[PATH_MAX + 64];
	size_t n;
	int need, rc;

	if ((rc = enas_file_read(&b, keyfile, KEYFILE_MAX)) < 0)
		return rc;
	rc = enas_identity_keys_load(k, b.data, b.len, NULL, 0, &need);
	if (rc < 0 && need) {
		snprintf(prompt, sizeof(prompt), _("passphrase for %s: "),
		    keyfile);
		n = ask_pass(pass, sizeof(pass), prompt);
		rc = enas_identity_keys_load(k, b.data, b.len, pass, n, NULL);
		sodium_memzero(pass, sizeof(pass));
	}
	enas_age_buf_wipe(&b);
	if (rc < 0) {
		char msg[512];

		/* Never format the last error from itself. */
		snprintf(msg, sizeof(msg), "%s", enas_error_last());
		return enas_error_set(rc, "%s: %s", keyfile, msg);
	}
	return 0;
}

static void
load_keys(struct enas_identity_keys *k, const char *keyfile)
{
	if (try_keys(k, keyfile) < 0)
		errx(2, "%s", enas_error_last());
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
		if (strcmp(pass, again) != 0)
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
		keyfile = C.keyfile ? C.keyfile : default_keyfile();
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

static void
print_diag(void *ctx, const struct enas_diag *d)
{
	char line[4096];

	(void)ctx;
	enas_diag_format(line, sizeof(line), d);
	fprintf(stderr, "%s\n", line);
}

static void
wipe_all(void)
{
	enas_identity_keys_wipe(&C.keys);
	sodium_memzero(C.tokkey, sizeof(C.tokkey));
	enas_rules_free(C.rules);
	enas_repo_free(C.repo);
	memset(&C, 0, sizeof(C));
}

_Noreturn static void
fail(void)
{
	errx(2, "%s", enas_error_last());
}

static void
open_repo(void)
{
	if (enas_repo_open(&C.repo, C.dir, 0) < 0)
		fail();
	if (!(C.top = enas_repo_workdir(C.repo)))
		errx(2, "%s", _("the identity repository must have a working "
		    "tree (a bare one is the server's)"));
	if (enas_identity_rules(&C.rules, print_diag, NULL) < 0)
		fail();
}

static void
need_keys(void)
{
	if (C.have_keys)
		return;
	load_keys(&C.keys, C.keyfile ? C.keyfile : default_keyfile());
	if (C.keys.plain)
		warnx(_("warning: %s holds a key in clear; protect it with a "
		    "passphrase (enas id keygen)"), C.keyfile ? C.keyfile :
		    default_keyfile());
	enas_identity_keys_age(&C.ak, &C.keys);
	C.have_keys = 1;
}

static void
need_tokkey(void)
{
	if (C.have_tokkey)
		return;
	need_keys();
	if (enas_identity_token_key(C.tokkey, C.top, &C.ak) < 0)
		fail();
	C.have_tokkey = 1;
}

/* The case id operand: the identity kind's id pattern. */
static const char *
case_id(const char *id)
{
	if (!enas_id_safe(id) || !enas_rules_id_ok(C.rules, id, strlen(id)))
		errx(2, _("'%.64s' is not a case id"), id);
	return id;
}

/* Read the identity file rel (from the top) and decrypt it into clear. */
static int
decrypt_rel(struct enas_buf *clear, const char *rel, enum enas_age_fail *why)
{
	struct enas_buf path = ENAS_BUF_INIT, b = ENAS_BUF_INIT;
	int rc;

	if (enas_buf_printf(&path, "%s%s", C.top, rel) < 0)
		fail();
	if ((rc = enas_file_read(&b, path.data, ENAS_IDENTITY_MAX * 4)) < 0) {
		*why = ENAS_AGE_HEADER;
	} else {
		need_keys();
		rc = enas_age_decrypt(clear, b.data, b.len, &C.ak, why);
	}
	enas_buf_free(&path);
	enas_buf_free(&b);
	return rc;
}

/*
 * The identity at rel, decrypted and checked (want_id, when given, must
 * be its id) into clear (unpadded length in *len).  Exits on failure.
 */
static void
open_identity(struct enas_buf *clear, size_t *len, const char *rel,
    const char *want_id)
{
	struct enas_record *rec;
	char office[ENAS_IDENTITY_OFFICE_MAX], token[ENAS_IDENTITY_TOKEN_LEN + 1];
	enum enas_age_fail why;

	if (decrypt_rel(clear, rel, &why) < 0) {
		if (why == ENAS_AGE_NOMATCH)
			errx(1, _("%s: not encrypted to your key: the "
			    "identity belongs to another office"), rel);
		errx(1, "%s: %s", rel, enas_error_last());
	}
	(void)enas_identity_path(rel, office, token);
	need_tokkey();
	if (enas_identity_open(&rec, C.rules, clear->data, clear->len, rel,
	    C.tokkey, token, want_id, print_diag, NULL) < 0) {
		enas_age_buf_wipe(clear);
		exit(1);
	}
	enas_record_free(rec);
	(void)enas_identity_unpad(len, clear->data, clear->len);
}

/* clear (len bytes) padded and encrypted for office, into out. */
static void
encrypt_for(struct enas_buf *out, const char *office, const char *clear,
    size_t len)
{
	struct enas_age_recipient *r;
	struct enas_buf padded = ENAS_BUF_INIT;
	size_t nr;

	if (enas_identity_recipients(&r, &nr, C.top, office) < 0 ||
	    enas_identity_pad(&padded, clear, len) < 0 ||
	    enas_age_encrypt(out, padded.data, padded.len, r, nr) < 0)
		fail();
	enas_age_buf_wipe(&padded);
	free(r);
}

/* The path of id's identity into path: 1 found, 0 not. */
static int
find_id(struct enas_buf *path, const char *id)
{
	char token[ENAS_IDENTITY_TOKEN_LEN + 1];
	int rc;

	need_tokkey();
	if (enas_identity_token(token, C.tokkey, id) < 0 ||
	    (rc = enas_identity_find(path, C.top, token)) < 0)
		fail();
	return rc;
}

static void
lock_repo(struct enas_lock **l)
{
	if (enas_repo_lock(l, C.repo) < 0)
		fail();
}

static int
cmd_init(int argc, char **argv)
{
	static const char attrs[] =
	    "ids/*/*.age -text diff=enas-id merge=enas-id\n";
	git_repository_init_options opts;
	struct enas_file_change ch = { ".gitattributes", attrs,
	    sizeof(attrs) - 1, 0 };
	git_repository *git = NULL;
	git_config *cfg = NULL;
	struct enas_buf path = ENAS_BUF_INIT;
	const char *dir;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		usage(stderr, 2);
	dir = argc == 2 ? argv[1] : C.dir ? C.dir : ".";
	git_repository_init_options_init(&opts,
	    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	opts.initial_head = "main";
	if (git_repository_init_ext(&git, dir, &opts) < 0 ||
	    git_repository_config(&cfg, git) < 0 ||
	    git_config_set_string(cfg, "diff.enas-id.textconv",
	    "enas-id textconv") < 0 ||
	    /* Never cache: git would keep the clear text in notes. */
	    git_config_set_bool(cfg, "diff.enas-id.cachetextconv", 0) < 0 ||
	    git_config_set_string(cfg, "merge.enas-id.name",
	    "enas identity merge") < 0 ||
	    git_config_set_string(cfg, "merge.enas-id.driver",
	    "enas-id merge %O %A %B %P") < 0)
		errx(2, "%s: %s", dir, git_error_last() ?
		    git_error_last()->message : _("cannot make a repository"));
	git_config_free(cfg);
	git_repository_free(git);
	C.dir = dir;
	open_repo();
	if (enas_buf_printf(&path, "%s.gitattributes", C.top) < 0)
		fail();
	if (git_repository_head_unborn(enas_repo_git(C.repo)) == 1 &&
	    access(path.data, F_OK) < 0 &&
	    enas_identity_commit(C.repo, &ch, 1,
	    "id: a new identity repository") < 0)
		fail();
	enas_buf_free(&path);
	wipe_all();
	return 0;
}

static int
cmd_show(int argc, char **argv)
{
	struct enas_buf path = ENAS_BUF_INIT, clear = ENAS_BUF_INIT;
	const char *id;
	size_t len;

	if (argc != 2 || argv[1][0] == '-')
		usage(stderr, 2);
	open_repo();
	id = case_id(argv[1]);
	if (!find_id(&path, id))
		errx(1, _("no identity for %s"), id);
	open_identity(&clear, &len, path.data, id);
	write_out(clear.data, len);
	enas_age_buf_wipe(&clear);
	enas_buf_free(&path);
	wipe_all();
	return 0;
}

static int
cmd_textconv(int argc, char **argv)
{
	struct enas_buf b = ENAS_BUF_INIT, clear = ENAS_BUF_INIT;
	enum enas_age_fail why;
	size_t len;

	if (argc != 2)
		usage(stderr, 2);
	if (enas_file_read(&b, argv[1], ENAS_IDENTITY_MAX * 4) < 0)
		fail();
	/* Without a key, the diff still shows that something changed. */
	if (try_keys(&C.keys, C.keyfile ? C.keyfile : default_keyfile()) < 0) {
		printf("# %s\n", enas_error_last());
		write_out("", 0);
		enas_buf_free(&b);
		wipe_all();
		return 0;
	}
	enas_identity_keys_age(&C.ak, &C.keys);
	if (enas_age_decrypt(&clear, b.data, b.len, &C.ak, &why) < 0) {
		/* A diff must still be shown: say what cannot be read. */
		printf("# %s\n", why == ENAS_AGE_NOMATCH ?
		    _("encrypted for another office") : enas_error_last());
		write_out("", 0);
	} else {
		(void)enas_identity_unpad(&len, clear.data, clear.len);
		write_out(clear.data, len);
	}
	enas_age_buf_wipe(&clear);
	enas_buf_free(&b);
	wipe_all();
	return 0;
}

/*
 * The private directory for the clear copy: on tmpfs (/dev/shm) when
 * there is one, so that the clear text never reaches a disk; mode 0700.
 * A guard process removes it when this one ends, however it ends
 * (kill -9 included): it waits for the end of a pipe only this process
 * writes to.  Directories left by a guard that was killed too are swept
 * on the next run: nobody holds their lock.
 */
static char tmpdir[PATH_MAX];

static void
remove_tree(const char *dir)
{
	struct dirent *de;
	char path[PATH_MAX];
	DIR *d;

	if ((d = opendir(dir))) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name,
			    "..") != 0) {
				snprintf(path, sizeof(path), "%s/%s", dir,
				    de->d_name);
				if (unlink(path) < 0)
					remove_tree(path);
			}
		closedir(d);
	}
	(void)rmdir(dir);
}

static const char *
tmp_base(void)
{
	struct stat st;
	const char *t;

	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return (t = getenv("TMPDIR")) && *t ? t : "/tmp";
}

static void
sweep_stale(const char *base)
{
	struct dirent *de;
	struct stat st;
	char path[PATH_MAX];
	DIR *d;
	int fd;

	if (!(d = opendir(base)))
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "enas-id.", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != getuid())
			continue;
		snprintf(path, sizeof(path), "%s/%s/.lock", base, de->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0 &&
		    flock(fd, LOCK_EX | LOCK_NB) < 0) {
			close(fd);
			continue;	/* in use */
		}
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		remove_tree(path);
	}
	closedir(d);
}

static void
make_tmpdir(void)
{
	const char *base = tmp_base();
	char lock[PATH_MAX];
	int p[2], fd, nul;
	pid_t pid;

	sweep_stale(base);
	snprintf(tmpdir, sizeof(tmpdir), "%s/enas-id.XXXXXX", base);
	if (!mkdtemp(tmpdir))
		err(2, "%s", tmpdir);
	if (snprintf(lock, sizeof(lock), "%s/.lock", tmpdir) >=
	    (int)sizeof(lock))
		errx(2, "%s", _("the temporary directory's name is too long"));
	if ((fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0 ||
	    flock(fd, LOCK_EX) < 0 || pipe(p) < 0)
		err(2, "%s", tmpdir);
	if ((pid = fork()) < 0)
		err(2, "fork");
	if (pid == 0) {
		char c, gone[PATH_MAX + 8];

		/* The guard: no terminal signal stops it before its job. */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		close(p[1]);
		if ((nul = open("/dev/null", O_RDWR)) >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		/*
		 * The editor may outlive this process and write the clear
		 * file again while it is being removed: move the directory
		 * out of its path first, so that such a write finds nothing
		 * to write into.
		 */
		if (snprintf(gone, sizeof(gone), "%s.gone", tmpdir) <
		    (int)sizeof(gone) && rename(tmpdir, gone) == 0)
			remove_tree(gone);
		else
			remove_tree(tmpdir);
		_exit(0);
	}
	close(p[0]);
	/* p[1] stays open, without O_CLOEXEC trouble: the editor must not
	 * keep it, or the guard would wait for the editor too. */
	(void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
}

/*
 * Write text to the clear file, run the editor, read the file back and
 * unlink it at once.  Exits on failure (the guard cleans up).
 */
static void
edit_clear(struct enas_buf *edited, const char *file, const char *text,
    size_t len)
{
	int fd, rc;

	if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0 ||
	    (len && write(fd, text, len) != (ssize_t)len) || close(fd) < 0)
		err(2, "%s", file);
	rc = enas_editor_run(file);
	enas_age_buf_wipe(edited);
	if (rc == 0)
		rc = enas_file_read(edited, file, ENAS_IDENTITY_MAX + 1);
	/* The clear copy goes first, before anything else can fail. */
	(void)unlink(file);
	if (rc < 0) {
		remove_tree(tmpdir);
		errx(2, "%s", enas_error_last());
	}
	if (edited->len > ENAS_IDENTITY_MAX) {
		remove_tree(tmpdir);
		errx(1, _("an identity record must be at most %d bytes"),
		    ENAS_IDENTITY_MAX);
	}
}

/* 1 if the user wants to edit again (asked on the terminal), else 0. */
static int
again(void)
{
	char answer[16];
	int tty;

	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
		return 0;
	/* TRANSLATORS: any answer but n or N edits again. */
	(void)!write(tty, _("edit again? [Y/n] "), strlen(_("edit again? "
	    "[Y/n] ")));

	read_line(tty, answer, sizeof(answer));
	close(tty);
	return answer[0] != 'n' && answer[0] != 'N';
}

static int
cmd_edit(int argc, char **argv)
{
	struct enas_buf path = ENAS_BUF_INIT, clear = ENAS_BUF_INIT;
	struct enas_buf edited = ENAS_BUF_INIT, enc = ENAS_BUF_INIT;
	struct enas_buf cfg = ENAS_BUF_INIT;
	struct enas_file_change ch;
	struct enas_record *rec;
	struct enas_lock *lock = NULL;
	char file[PATH_MAX], token[ENAS_IDENTITY_TOKEN_LEN + 1];
	char office[ENAS_IDENTITY_OFFICE_MAX] = "";
	const char *id, *text;
	size_t len;
	int ch_, found, bad;

	while ((ch_ = getopt(argc, argv, "ho:")) != -1) {
		switch (ch_) {
		case 'o':
			if (!enas_identity_office_ok(optarg))
				errx(2, _("'%s' is not an office code"), optarg);
			snprintf(office, sizeof(office), "%s", optarg);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (argc - optind != 1)
		usage(stderr, 2);
	open_repo();
	id = case_id(argv[optind]);
	need_tokkey();
	lock_repo(&lock);
	if ((found = find_id(&path, id))) {
		if (office[0])
			errx(2, _("%s already has an identity: enas id "
			    "transfer moves it to another office"), id);
		open_identity(&clear, &len, path.data, id);
		(void)enas_identity_path(path.data, office, token);
		text = clear.data;
	} else {
		if (!office[0]) {
			if (enas_config_string(&cfg, C.repo, "enas.office") <= 0 ||
			    !enas_identity_office_ok(cfg.data))
				errx(2, "%s", _("a new identity needs its "
				    "office: -o OFFICE, or git config "
				    "enas.office"));
			snprintf(office, sizeof(office), "%s", cfg.data);
		}
		if (enas_identity_token(token, C.tokkey, id) < 0 ||
		    enas_buf_printf(&path, "ids/%s/%s.age", office, token) < 0 ||
		    enas_buf_printf(&clear, "id: %s\nnames: []\n", id) < 0 ||
		    /*
		     * TRANSLATORS: guidance in a new identity file, as YAML
		     * comments: keep the "# ", the field names (dob,
		     * dob_estimated, parents, relative, relation, phone,
		     * photo_ref), YYYY-MM-DD and the codes after relation:
		     * as they are; translate the other words.
		     */
		    enas_buf_puts(&clear, _("# dob: YYYY-MM-DD, or "
		    "dob_estimated: YYYY-MM-DD\n"
		    "# parents: [...]\n"
		    "# relative: {relation: mother|father|sibling|aunt_uncle|"
		    "grandparent|cousin|other, phone: '+212 ...'}\n"
		    "# photo_ref: where the photo is kept\n")) < 0)
			fail();
		len = clear.len;
		text = clear.data;
	}
	make_tmpdir();
	if (snprintf(file, sizeof(file), "%s/%s.yaml", tmpdir, id) >=
	    (int)sizeof(file))
		errx(2, "%s", _("the temporary directory's name is too long"));
	for (;;) {
		edit_clear(&edited, file, text, len);
		bad = enas_identity_open(&rec, C.rules, edited.data, edited.len,
		    file + strlen(tmpdir) + 1, C.tokkey, token, id, print_diag,
		    NULL) < 0;
		enas_record_free(rec);
		if (!bad || !again())
			break;
		text = edited.data;
		len = edited.len;
	}
	remove_tree(tmpdir);
	if (bad)
		errx(1, "%s", _("nothing changed: the identity has errors"));
	if (found && edited.len == len && memcmp(edited.data, clear.data,
	    len) == 0) {
		enas_age_buf_wipe(&clear);
		enas_age_buf_wipe(&edited);
		return 0;
	}
	encrypt_for(&enc, office, edited.data, edited.len);
	enas_age_buf_wipe(&clear);
	enas_age_buf_wipe(&edited);
	ch.path = path.data;
	ch.buf = enc.data;
	ch.len = enc.len;
	ch.mode = 0;
	/* The message names no case and no value. */
	if (enas_identity_commit(C.repo, &ch, 1, found ?
	    "id: an identity changed" : "id: a new identity") < 0)
		fail();
	enas_lock_release(lock);
	enas_buf_free(&enc);
	enas_buf_free(&path);
	enas_buf_free(&cfg);
	wipe_all();
	return 0;
}

static int
cmd_rekey(int argc, char **argv)
{
	struct enas_age_recipient *all = NULL;
	struct enas_file_change *ch;
	struct enas_buf tok = ENAS_BUF_INIT, rcp = ENAS_BUF_INIT;
	struct enas_buf *enc, rel = ENAS_BUF_INIT, clear = ENAS_BUF_INIT;
	struct enas_lock *lock = NULL;
	enum enas_age_fail why;
	char **files = NULL, msg[64];
	const char *office;
	size_t nall, nfiles, i, n = 0;
	int fresh = 0, bad = 0;

	if (argc != 2 || !enas_identity_office_ok(argv[1]))
		usage(stderr, 2);
	office = argv[1];
	open_repo();
	need_keys();
	lock_repo(&lock);
	{
		struct enas_age_recipient *r;
		size_t nr;

		if (enas_identity_recipients(&r, &nr, C.top, office) < 0)
			fail();
		free(r);
	}
	if (enas_identity_all_recipients(&all, &nall, C.top) < 0)
		fail();
	if (enas_buf_printf(&tok, "%s.token.age", C.top) < 0)
		fail();
	if (access(tok.data, F_OK) < 0) {
		randombytes_buf(C.tokkey, sizeof(C.tokkey));
		fresh = 1;
	} else if (enas_identity_token_key(C.tokkey, C.top, &C.ak) < 0)
		fail();
	if (enas_identity_files(&files, &nfiles, C.top, office) < 0 ||
	    !(ch = enas_calloc(nfiles + 2, sizeof(*ch))) ||
	    !(enc = enas_calloc(nfiles + 2, sizeof(*enc))))
		fail();
	/* The token key, for every office's people. */
	clear.len = 0;
	if (enas_identity_token_key_format(&clear, C.tokkey) < 0 ||
	    enas_age_encrypt(&enc[n], clear.data, clear.len, all, nall) < 0)
		fail();
	enas_age_buf_wipe(&clear);
	ch[n].path = ".token.age";
	ch[n].buf = enc[n].data;
	ch[n].len = enc[n].len;
	n++;
	/* The recipients list, committed with what it made. */
	if (enas_buf_printf(&rel, "%sids/%s/.recipients", C.top, office) < 0 ||
	    enas_file_read(&enc[n], rel.data, 64 * 1024) < 0)
		fail();
	if (enas_buf_printf(&rcp, "ids/%s/.recipients", office) < 0)
		fail();
	ch[n].path = rcp.data;
	ch[n].buf = enc[n].data;
	ch[n].len = enc[n].len;
	n++;
	for (i = 0; i < nfiles; i++) {
		rel.len = 0;
		if (enas_buf_printf(&rel, "ids/%s/%s", office, files[i]) < 0)
			fail();
		if (decrypt_rel(&clear, rel.data, &why) < 0) {
			warnx("%s: %s", rel.data, why == ENAS_AGE_NOMATCH ?
			    _("not encrypted to your key") : enas_error_last());
			bad++;
			continue;
		}
		if (enas_identity_unpad(&nall, clear.data, clear.len) < 0) {
			warnx("%s: %s", rel.data, enas_error_last());
			bad++;
			enas_age_buf_wipe(&clear);
			continue;
		}
		encrypt_for(&enc[n], office, clear.data, nall);
		enas_age_buf_wipe(&clear);
		if (!(ch[n].path = enas_strdup(rel.data)))
			fail();
		ch[n].buf = enc[n].data;
		ch[n].len = enc[n].len;
		n++;
	}
	if (bad)
		errx(1, _("rekey of %s refused: %d files cannot be read with "
		    "your keys; nothing changed"), office, bad);
	(void)fresh;
	snprintf(msg, sizeof(msg), "id: rekey %s", office);
	if (enas_identity_commit(C.repo, ch, n, msg) < 0)
		fail();
	enas_lock_release(lock);
	for (i = 0; i < n; i++) {
		if (i >= 2)
			free((char *)ch[i].path);
		enas_buf_free(&enc[i]);
	}
	free(ch);
	free(enc);
	free(all);
	enas_identity_list_free(files, nfiles);
	enas_buf_free(&tok);
	enas_buf_free(&rcp);
	enas_buf_free(&rel);
	wipe_all();
	return 0;
}

/* Lower-case ASCII letters and digits of s, one space between words. */
static void
fold_name(char *out, size_t size, const char *s, size_t len)
{
	size_t i, n = 0;
	int space = 0;

	for (i = 0; i < len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c >= 0x80) {
			if (space && n)
				out[n++] = ' ';
			space = 0;
			if (n + 1 < size)
				out[n++] = (char)c;
		} else
			space = 1;
	}
	out[n] = '\0';
}

/* Levenshtein distance of a and b, both shorter than 128 bytes. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, d[129] = { 0 };

	if (la > 128 || lb > 128)
		return 1000;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < d[j] ?
			    (prev < d[j - 1] ? prev : d[j - 1]) :
			    (d[j] < d[j - 1] ? d[j] : d[j - 1]));
			prev = cur;
		}
	}
	return d[lb];
}

/* A close name: at most one edit in five characters (and at least one). */
static int
close_name(const char *want, const struct enas_node *names)
{
	const struct enas_node *n;
	char got[129] = "";
	size_t lim = strlen(want) / 5 ? strlen(want) / 5 : 1;

	if (!names)
		return 0;
	if (names->type == ENAS_SCALAR) {
		fold_name(got, sizeof(got), names->value, names->len);
		return distance(want, got) <= lim;
	}
	for (n = names->child; n; n = n->next)
		if (n->type == ENAS_SCALAR) {
			fold_name(got, sizeof(got), n->value, n->len);
			if (distance(want, got) <= lim)
				return 1;
		}
	return 0;
}

static int
cmd_find(int argc, char **argv)
{
	struct enas_buf rel = ENAS_BUF_INIT, clear = ENAS_BUF_INIT;
	struct enas_record *rec;
	const struct enas_node *id, *dob;
	enum enas_age_fail why;
	char **offices = NULL, **files = NULL, want[129] = "";
	char token[ENAS_IDENTITY_TOKEN_LEN + 1];
	size_t noff = 0, nfiles = 0, i, j;
	long long year = -1, y;
	int found = 0;

	if (argc < 2 || argc > 3 || argv[1][0] == '-')
		usage(stderr, 2);
	fold_name(want, sizeof(want), argv[1], strlen(argv[1]));
	if (!want[0])
		errx(2, "%s", _("find: give a name"));
	if (argc == 3) {
		if (enas_int_parse(&year, argv[2], strlen(argv[2])) < 0 ||
		    year < 1900 || year > 2200) {
			if (strlen(argv[2]) < 4 || enas_date_parse(argv[2],
			    strlen(argv[2])) < 0 ||
			    enas_int_parse(&year, argv[2], 4) < 0)
				errx(2, _("'%s' is neither a year nor a date"),
				    argv[2]);
		}
	}
	open_repo();
	need_tokkey();
	if (enas_identity_offices(&offices, &noff, C.top) < 0)
		fail();
	for (i = 0; i < noff; i++) {
		if (enas_identity_files(&files, &nfiles, C.top, offices[i]) < 0)
			fail();
		for (j = 0; j < nfiles; j++) {
			rel.len = 0;
			if (enas_buf_printf(&rel, "ids/%s/%s", offices[i],
			    files[j]) < 0)
				fail();
			if (decrypt_rel(&clear, rel.data, &why) < 0) {
				/* Another office's child: not ours to see. */
				if (why != ENAS_AGE_NOMATCH)
					warnx("%s: %s", rel.data,
					    enas_error_last());
				continue;
			}
			(void)enas_identity_path(rel.data, NULL, token);
			if (enas_identity_open(&rec, C.rules, clear.data,
			    clear.len, rel.data, C.tokkey, token, NULL,
			    print_diag, NULL) < 0) {
				enas_age_buf_wipe(&clear);
				continue;
			}
			if (!(dob = enas_node_get(rec->root, "dob")))
				dob = enas_node_get(rec->root, "dob_estimated");
			id = enas_node_get(rec->root, "id");
			y = -1;
			if (dob && dob->type == ENAS_SCALAR && dob->len >= 4)
				(void)enas_int_parse(&y, dob->value, 4);
			if (close_name(want, enas_node_get(rec->root, "names")) &&
			    (year < 0 || (y >= 0 && y >= year - 1 &&
			    y <= year + 1))) {
				printf("%s\n", id->value);
				found++;
			}
			enas_record_free(rec);
			enas_age_buf_wipe(&clear);
		}
		enas_identity_list_free(files, nfiles);
		files = NULL;
	}
	write_out("", 0);
	enas_identity_list_free(offices, noff);
	enas_buf_free(&rel);
	wipe_all();
	return found ? 0 : 1;
}

/*
 * The consent that a transfer needs, from the case in the records
 * repository at dir: consent.share_with_orgs: true.  Exits otherwise.
 */
static void
check_consent(const char *dir, const char *id)
{
	struct enas_buf path = ENAS_BUF_INIT, full = ENAS_BUF_INIT;
	struct enas_buf data = ENAS_BUF_INIT;
	struct enas_snapshot *snap = NULL;
	struct enas_checker *c = NULL;
	struct enas_repo *repo = NULL;
	struct enas_record *rec = NULL;
	const struct enas_rules *r;
	const struct enas_node *share;
	unsigned mode;
	git_oid oid;

	if (enas_repo_open(&repo, dir, 0) < 0 || !enas_repo_workdir(repo) ||
	    enas_snapshot_under(&snap, repo, ENAS_WORKTREE, NULL,
	    ENAS_RULES_DIR) < 0 ||
	    enas_checker_new(&c, snap, print_diag, NULL) < 0)
		errx(2, _("the records repository %s: %s"), dir,
		    enas_error_last());
	if (!(r = enas_kinds_of_id(enas_checker_kinds(c), id,
	    strlen(id))) ||
	    enas_find(&path, &mode, &oid, repo, NULL, r, id) <= 0)
		errx(1, _("no case %s in the records repository %s"), id, dir);
	if (enas_buf_printf(&full, "%s%s", enas_repo_workdir(repo),
	    path.data) < 0 ||
	    enas_file_read(&data, full.data, ENAS_RECORD_MAX) < 0)
		fail();
	if (enas_record_parse(&rec, data.data, data.len, path.data, 0,
	    print_diag, NULL) < 0)
		exit(1);
	share = enas_node_path(rec->root, "consent.share_with_orgs");
	if (!share || share->type != ENAS_SCALAR ||
	    strcmp(share->value, "true") != 0)
		errx(1, _("%s: the case records no consent to share "
		    "(consent.share_with_orgs: true): the identity stays"),
		    id);
	enas_record_free(rec);
	enas_checker_free(c);
	enas_snapshot_free(snap);
	enas_repo_free(repo);
	enas_buf_free(&path);
	enas_buf_free(&full);
	enas_buf_free(&data);
}

static int
cmd_transfer(int argc, char **argv)
{
	struct enas_buf path = ENAS_BUF_INIT, clear = ENAS_BUF_INIT;
	struct enas_buf to = ENAS_BUF_INIT, enc = ENAS_BUF_INIT;
	struct enas_buf records = ENAS_BUF_INIT;
	struct enas_file_change ch[2];
	struct enas_lock *lock = NULL;
	char office[ENAS_IDENTITY_OFFICE_MAX], token[ENAS_IDENTITY_TOKEN_LEN + 1];
	const char *id, *dest, *rdir = NULL;
	char msg[64];
	size_t len;
	int c;

	while ((c = getopt(argc, argv, "hR:")) != -1) {
		switch (c) {
		case 'R':
			rdir = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (argc - optind != 2 || !enas_identity_office_ok(argv[optind + 1]))
		usage(stderr, 2);
	open_repo();
	id = case_id(argv[optind]);
	dest = argv[optind + 1];
	if (!rdir) {
		if (enas_config_string(&records, C.repo, "enas.records") <= 0)
			errx(2, "%s", _("transfer: where is the records "
			    "repository? -R DIR, or git config enas.records"));
		rdir = records.data;
	}
	check_consent(rdir, id);
	lock_repo(&lock);
	if (!find_id(&path, id))
		errx(1, _("no identity for %s"), id);
	(void)enas_identity_path(path.data, office, token);
	if (strcmp(office, dest) == 0)
		errx(2, _("%s's identity is already with %s"), id, dest);
	open_identity(&clear, &len, path.data, id);
	encrypt_for(&enc, dest, clear.data, len);
	enas_age_buf_wipe(&clear);
	if (enas_buf_printf(&to, "ids/%s/%s.age", dest, token) < 0)
		fail();
	ch[0].path = to.data;
	ch[0].buf = enc.data;
	ch[0].len = enc.len;
	ch[0].mode = 0;
	ch[1].path = path.data;
	ch[1].buf = NULL;
	ch[1].len = 0;
	ch[1].mode = 0;
	snprintf(msg, sizeof(msg), "id: a transfer from %s to %s", office,
	    dest);
	if (enas_identity_commit(C.repo, ch, 2, msg) < 0)
		fail();
	enas_lock_release(lock);
	enas_buf_free(&enc);
	enas_buf_free(&to);
	enas_buf_free(&path);
	enas_buf_free(&records);
	wipe_all();
	return 0;
}

/*
 * git's merge driver: %O %A %B %P.  The three versions decrypted, the
 * merge field by field (lib/merge), the result checked and encrypted
 * for the office of %P, into %A.  A conflict is written encrypted too,
 * with its markers, for enas id edit to resolve.
 */
static int
cmd_merge(int argc, char **argv)
{
	struct enas_merge_input in[3];
	struct enas_buf raw[3], clear[3], out = ENAS_BUF_INIT;
	struct enas_buf enc = ENAS_BUF_INIT;
	struct enas_record *rec;
	enum enas_age_fail why;
	char office[ENAS_IDENTITY_OFFICE_MAX], token[ENAS_IDENTITY_TOKEN_LEN + 1];
	size_t len;
	int i, rc, fd;

	if (argc != 5)
		usage(stderr, 2);
	if (enas_identity_path(argv[4], office, token) != ENAS_IDPATH_IDENTITY)
		errx(2, _("%s: not an identity file"), argv[4]);
	open_repo();
	need_tokkey();
	for (i = 0; i < 3; i++) {
		memset(&raw[i], 0, sizeof(raw[i]));
		memset(&clear[i], 0, sizeof(clear[i]));
		if (enas_file_read(&raw[i], argv[i + 1], ENAS_IDENTITY_MAX * 4) < 0)
			fail();
		in[i].buf = "";
		in[i].len = 0;
		if (raw[i].len == 0 && i == 0)
			continue;	/* added on both sides */
		if (enas_age_decrypt(&clear[i], raw[i].data, raw[i].len, &C.ak,
		    &why) < 0)
			errx(2, "%s: %s", argv[4], why == ENAS_AGE_NOMATCH ?
			    _("not encrypted to your key: the merge needs "
			    "someone of the office") : enas_error_last());
		(void)enas_identity_unpad(&len, clear[i].data, clear[i].len);
		in[i].buf = clear[i].data;
		in[i].len = len;
	}
	rc = enas_merge_records(&out, argv[4], &in[0], &in[1], &in[2],
	    print_diag, NULL);
	if (rc < 0)
		fail();
	if (rc == ENAS_MERGE_NOT_RECORD)
		errx(2, _("%s: a version is not a record; merge by hand "
		    "with enas id edit"), argv[4]);
	if (rc == ENAS_MERGE_CLEAN) {
		if (enas_identity_open(&rec, C.rules, out.data, out.len,
		    argv[4], C.tokkey, token, NULL, print_diag, NULL) < 0)
			rc = ENAS_MERGE_CONFLICT;
		enas_record_free(rec);
	}
	encrypt_for(&enc, office, out.data, out.len);
	if ((fd = open(argv[2], O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0 ||
	    write(fd, enc.data, enc.len) != (ssize_t)enc.len || close(fd) < 0)
		err(2, "%s", argv[2]);
	for (i = 0; i < 3; i++) {
		enas_age_buf_wipe(&clear[i]);
		enas_buf_free(&raw[i]);
	}
	enas_age_buf_wipe(&out);
	enas_buf_free(&enc);
	wipe_all();
	return rc == ENAS_MERGE_CLEAN ? 0 : 1;
}

/* 1 if pusher is listed in the server's enas.admin. */
static int
is_admin(git_repository *git, const char *pusher)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int yes = 0;

	if (!pusher || !*pusher || git_repository_config_snapshot(&cfg,
	    git) < 0)
		return 0;
	if (git_config_multivar_iterator_new(&it, cfg, "enas.admin",
	    NULL) == 0) {
		while (!yes && git_config_next(&e, it) == 0)
			yes = strcmp(e->value, pusher) == 0;
		git_config_iterator_free(it);
	}
	git_config_free(cfg);
	return yes;
}

/*
 * 1 if the commit is signed by a key of the allowed signers file, as
 * git verify-commit says (the push's quarantined objects are visible
 * to it through the environment git gives the hook).
 */
static int
signed_by_admin(git_repository *git, const char *oid)
{
	git_config *cfg = NULL;
	git_buf file = GIT_BUF_INIT;
	char opt[PATH_MAX + 64];
	pid_t pid;
	int st = 1, nul;

	if (git_repository_config_snapshot(&cfg, git) < 0)
		return 0;
	if (git_config_get_string_buf(&file, cfg, "enas.allowedSignersFile") < 0) {
		git_config_free(cfg);
		return 0;
	}
	git_config_free(cfg);
	snprintf(opt, sizeof(opt), "gpg.ssh.allowedSignersFile=%s", file.ptr);
	git_buf_dispose(&file);
	if ((pid = fork()) == 0) {
		if ((nul = open("/dev/null", O_RDWR)) >= 0) {
			dup2(nul, 1);
			dup2(nul, 2);
		}
		execlp("git", "git", "-c", "gpg.format=ssh", "-c", opt,
		    "verify-commit", oid, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		return 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/*
 * The identity server's pre-receive hook: "old new ref" lines on
 * standard input.  Shape only: it holds no key.
 */
static int
cmd_pre_receive(int argc, char **argv)
{
	static const char *const pushvars[] = { "GL_USER",
	    "GITEA_PUSHER_NAME", "REMOTE_USER" };
	struct enas_repo *repo = NULL;
	git_repository *git;
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid oldid, newid, oid;
	char line[1024], oldh[GIT_OID_HEXSZ + 1], newh[GIT_OID_HEXSZ + 1];
	char ref[900], name[GIT_OID_HEXSZ + 1];
	const char *pusher = NULL;
	size_t i;
	int bad = 0, n, admin, change;

	(void)argv;
	if (argc != 1)
		usage(stderr, 2);
	for (i = 0; i < sizeof(pushvars) / sizeof(pushvars[0]) && !pusher; i++)
		if ((pusher = getenv(pushvars[i])) && !*pusher)
			pusher = NULL;
	if (enas_repo_open(&repo, NULL, ENAS_REPO_FROM_ENV) < 0)
		fail();
	git = enas_repo_git(repo);
	admin = is_admin(git, pusher);
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%40s %40s %899s", oldh, newh, ref) != 3 ||
		    git_oid_fromstr(&oldid, oldh) < 0 ||
		    git_oid_fromstr(&newid, newh) < 0)
			errx(2, "%s", _("pre-receive: a malformed line on "
			    "standard input"));
		if (strncmp(ref, "refs/notes/", 11) == 0) {
			warnx(_("%s: notes are refused here: they could hold "
			    "identities in clear (git's cachetextconv)"), ref);
			bad++;
			continue;
		}
		if (strcmp(ref, "refs/heads/main") != 0) {
			warnx(_("%s: only refs/heads/main may be pushed"), ref);
			bad++;
			continue;
		}
		if (git_oid_is_zero(&newid)) {
			warnx(_("%s: deleting it is refused"), ref);
			bad++;
			continue;
		}
		if (git_revwalk_new(&walk, git) < 0 ||
		    git_revwalk_push(walk, &newid) < 0 ||
		    (!git_oid_is_zero(&oldid) &&
		    git_revwalk_hide(walk, &oldid) < 0) ||
		    git_revwalk_hide_glob(walk, "refs/*") < 0)
			fail();
		while (git_revwalk_next(&oid, walk) == 0) {
			if (git_commit_lookup(&c, git, &oid) < 0)
				fail();
			git_oid_tostr(name, 8, &oid);
			if ((n = enas_identity_check_commit(git, c, name,
			    print_diag, NULL)) < 0)
				fail();
			bad += n;
			if (enas_identity_admin_change(&change, git, c) < 0)
				fail();
			git_oid_tostr(name, sizeof(name), &oid);
			if (change && !admin && !signed_by_admin(git, name)) {
				git_oid_tostr(name, 8, &oid);
				warnx(_("%s: changes recipients, the token key "
				    "or .gitattributes: only an administrator "
				    "may (enas.admin, or a commit signed by a "
				    "key of enas.allowedSignersFile)"), name);
				bad++;
			}
			git_commit_free(c);
		}
		git_revwalk_free(walk);
		walk = NULL;
	}
	enas_repo_free(repo);
	if (bad)
		errx(1, _("push refused: %d problems"), bad);
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
		{ "init", cmd_init },
		{ "show", cmd_show },
		{ "edit", cmd_edit },
		{ "rekey", cmd_rekey },
		{ "textconv", cmd_textconv },
		{ "find", cmd_find },
		{ "transfer", cmd_transfer },
		{ "merge", cmd_merge },
		{ "pre-receive", cmd_pre_receive },
	};
	size_t i;

	int ch;

	/* the program's name, the locale, the catalogue, --version */
	tool_init("enas-id", argc, argv);
	if (sodium_init() < 0)
		errx(2, "%s", _("libsodium cannot start"));
	git_libgit2_init();
	while ((ch = getopt(argc, argv, "+C:hi:")) != -1) {
		switch (ch) {
		case 'C':
			C.dir = optarg;
			break;
		case 'i':
			C.keyfile = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	optind = 1;
	if (argc < 2)
		usage(stderr, 2);
	if (strcmp(argv[1], "--help") == 0)
		usage(stdout, 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	warnx(_("'%s' is not an enas id command"), argv[1]);
	usage(stderr, 2);
	return 2;
}
