/*
 * policy.c: the server's settings, and the decisions made from them.
 */
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "pattern.h"
#include "policy.h"

extern char **environ;

static long long
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
pusher_from_env(void)
{
	static const char *const vars[] = {
		"GL_USER", "GITEA_PUSHER_NAME", "REMOTE_USER", NULL
	};
	const char *v;
	size_t i;

	for (i = 0; vars[i]; i++)
		if ((v = getenv(vars[i])) && *v)
			return v;
	return NULL;
}

struct multi {
	struct enas_policy *p;
	const char *name;	/* the variable, for messages */
	int status;
};

static int
each_admin(const git_config_entry *e, void *payload)
{
	struct multi *m = payload;

	m->p->nadmins++;
	if (m->p->pusher && e->value && strcmp(e->value, m->p->pusher) == 0)
		m->p->admin = 1;
	return 0;
}

static int
each_ref(const git_config_entry *e, void *payload)
{
	struct multi *m = payload;
	struct enas_policy *p = m->p;
	char **more;

	if (!e->value || strncmp(e->value, "refs/", 5) != 0) {
		m->status = enas_error_set(ENAS_EUSAGE, _("enas.allowRef = "
		    "'%s' is not a full ref name (refs/heads/main); fix the "
		    "server's git config"), e->value ? e->value : "");
		return -1;
	}
	if (!(more = enas_realloc(p->refs, (p->nrefs + 1) * sizeof(*more))) ||
	    !(more[p->nrefs] = enas_strdup(e->value))) {
		if (more)
			p->refs = more;
		m->status = ENAS_ENOMEM;
		return -1;
	}
	p->refs = more;
	p->nrefs++;
	return 0;
}

/* enas.office.<name>: the variable part is the pusher's name (any case). */
static int
each_office(const git_config_entry *e, void *payload)
{
	struct multi *m = payload;
	struct enas_policy *p = m->p;
	const char *user = e->name + strlen("enas.office.");

	if (strncmp(e->name, "enas.office.", strlen("enas.office.")) != 0 ||
	    !p->pusher || strcasecmp(user, p->pusher) != 0)
		return 0;
	free(p->office);
	if (!(p->office = enas_strdup(e->value ? e->value : ""))) {
		m->status = ENAS_ENOMEM;
		return -1;
	}
	return 0;
}

/* An unsigned number setting into *v (unchanged when unset). */
static int
number(git_config *cfg, const char *name, unsigned long *v)
{
	int32_t n;
	int rc = git_config_get_int32(&n, cfg, name);

	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || n < 1)
		return enas_error_set(ENAS_EUSAGE, _("%s must be a positive "
		    "number; fix the server's git config"), name);
	*v = (unsigned long)n;
	return 0;
}

int
enas_policy_load(struct enas_policy **out, struct enas_repo *repo)
{
	git_repository *git = enas_repo_git(repo);
	struct enas_policy *p;
	struct multi m;
	git_config *cfg = NULL;
	git_buf path = { NULL, 0, 0 };
	const char *pusher = pusher_from_env();
	int rc;

	*out = NULL;
	if (!(p = enas_calloc(1, sizeof(*p))))
		return ENAS_ENOMEM;
	p->max_commits = ENAS_MAX_COMMITS;
	p->max_seconds = ENAS_MAX_SECONDS;
	p->start_ms = now_ms();
	p->ppid = (long)getppid();
	if (pusher && !(p->pusher = enas_strdup(pusher))) {
		rc = ENAS_ENOMEM;
		goto fail;
	}
	if (git_repository_config_snapshot(&cfg, git) < 0) {
		rc = enas_repo_error(_("cannot read the git config"));
		goto fail;
	}
	m.p = p;
	m.status = 0;
	m.name = "enas.admin";
	rc = git_config_get_multivar_foreach(cfg, "enas.admin", NULL,
	    each_admin, &m);
	if (rc < 0 && rc != GIT_ENOTFOUND) {
		rc = m.status ? m.status : enas_repo_error("enas.admin");
		goto fail;
	}
	rc = git_config_get_multivar_foreach(cfg, "enas.allowRef", NULL,
	    each_ref, &m);
	if (rc < 0 && rc != GIT_ENOTFOUND) {
		rc = m.status ? m.status : enas_repo_error("enas.allowRef");
		goto fail;
	}
	if (!p->nrefs) {
		if (!(p->refs = enas_calloc(1, sizeof(*p->refs))) ||
		    !(p->refs[0] = enas_strdup("refs/heads/main"))) {
			rc = ENAS_ENOMEM;
			goto fail;
		}
		p->nrefs = 1;
	}
	/*
	 * Every variable, filtered here: libgit2 1.5's regular expressions
	 * (git_config_foreach_match) leak PCRE2's match data.
	 */
	if (git_config_foreach(cfg, each_office, &m) < 0 && m.status) {
		rc = m.status;
		goto fail;
	}
	if (p->office && (!p->office[0] || strlen(p->office) > 16 ||
	    p->office[strspn(p->office, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789")])) {
		rc = enas_error_set(ENAS_EUSAGE, _("enas.office.%s = '%s' is "
		    "not an office code (upper-case letters and digits, such "
		    "as NDR); fix the server's git config"), p->pusher,
		    p->office);
		goto fail;
	}
	rc = git_config_get_path(&path, cfg, "enas.allowedSignersFile");
	if (rc == 0 && path.ptr && path.ptr[0]) {
		if (path.ptr[0] == '/')
			p->signers = enas_strdup(path.ptr);
		else {
			struct enas_buf b = ENAS_BUF_INIT;

			if (enas_buf_printf(&b, "%s%s", git_repository_path(git),
			    path.ptr) == 0)
				p->signers = b.data;
		}
		if (!p->signers) {
			rc = ENAS_ENOMEM;
			goto fail;
		}
	} else if (rc < 0 && rc != GIT_ENOTFOUND) {
		rc = enas_repo_error("enas.allowedSignersFile");
		goto fail;
	}
	if ((rc = number(cfg, "enas.maxCommits", &p->max_commits)) < 0 ||
	    (rc = number(cfg, "enas.maxSeconds", &p->max_seconds)) < 0)
		goto fail;
	git_buf_dispose(&path);
	git_config_free(cfg);
	*out = p;
	return 0;
fail:
	git_buf_dispose(&path);
	git_config_free(cfg);
	enas_policy_free(p);
	return rc;
}

void
enas_policy_free(struct enas_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nrefs; i++)
		free(p->refs[i]);
	free(p->refs);
	free(p->pusher);
	free(p->signers);
	free(p->office);
	free(p);
}

int
enas_policy_ref_ok(const struct enas_policy *p, const char *ref)
{
	size_t i;

	for (i = 0; i < p->nrefs; i++)
		if (strcmp(p->refs[i], ref) == 0)
			return 1;
	return 0;
}

/*
 * Run git verify-commit on id with the allowed signers file, its output
 * thrown away: 1 when it says good, 0 when not, or a negative status.
 */
static int
verify_commit(const char *signers, const git_oid *id)
{
	posix_spawn_file_actions_t fa;
	struct enas_buf opt = ENAS_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	char *argv[] = {
		"git", "-c", "gpg.format=ssh", "-c", NULL, "verify-commit",
		hex, NULL
	};
	pid_t pid;
	int rc, status;

	git_oid_tostr(hex, sizeof(hex), id);
	if (enas_buf_printf(&opt, "gpg.ssh.allowedSignersFile=%s",
	    signers) < 0)
		return ENAS_ENOMEM;
	argv[4] = opt.data;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		enas_buf_free(&opt);
		return enas_error_nomem();
	}
	if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
	    0) != 0 || posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
	    O_WRONLY, 0) != 0 || posix_spawn_file_actions_addopen(&fa, 2,
	    "/dev/null", O_WRONLY, 0) != 0)
		rc = enas_error_nomem();
	else if ((rc = posix_spawnp(&pid, "git", &fa, NULL, argv,
	    environ)) != 0)
		rc = enas_error_set(ENAS_EIO, _("cannot run git verify-commit: "
		    "%s"), strerror(rc));
	else {
		while ((rc = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
			;
		if (rc < 0)
			rc = enas_error_set(ENAS_EIO, _("git verify-commit: %s"),
			    strerror(errno));
		else
			rc = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	posix_spawn_file_actions_destroy(&fa);
	enas_buf_free(&opt);
	return rc;
}

int
enas_policy_authority(const struct enas_policy *p, struct enas_repo *repo,
    const git_oid *id, struct enas_buf *why)
{
	static const char ssh[] = "-----BEGIN SSH SIGNATURE-----";
	git_buf sig = { NULL, 0, 0 }, data = { NULL, 0, 0 };
	git_oid copy;
	const char *fmt;
	int rc;

	why->len = 0;
	if (p->admin)
		return 1;
	if (!p->nadmins && !p->signers)
		return enas_buf_puts(why, _("the rules cannot change on this "
		    "server: neither enas.admin nor enas.allowedSignersFile is "
		    "set")) < 0 ? ENAS_ENOMEM : 0;
	git_oid_cpy(&copy, id);
	rc = p->signers ? git_commit_extract_signature(&sig, &data,
	    enas_repo_git(repo), &copy, NULL) : GIT_ENOTFOUND;
	if (rc == 0 && sig.ptr && strncmp(sig.ptr, ssh, strlen(ssh)) == 0)
		rc = verify_commit(p->signers, id);
	else if (rc == 0 || rc == GIT_ENOTFOUND)
		rc = -100;	/* not signed with an ssh key */
	else
		rc = enas_repo_error(_("cannot read a commit's signature"));
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	if (rc == 1 || (rc < 0 && rc != -100))
		return rc;
	/*
	 * One whole sentence per case, for translators; the pusher is
	 * quoted, or "an unnamed pusher".
	 */
	if (!p->signers)
		/* TRANSLATORS: %s%s%s is 'pusher' or "an unnamed pusher". */
		fmt = _("only an admin may change the rules: %s%s%s is not in "
		    "enas.admin");
	else if (rc == 0)
		/* TRANSLATORS: %s%s%s is 'pusher' or "an unnamed pusher". */
		fmt = _("only an admin may change the rules: %s%s%s is not in "
		    "enas.admin, and the commit's signature is not by a key in "
		    "enas.allowedSignersFile");
	else
		/* TRANSLATORS: %s%s%s is 'pusher' or "an unnamed pusher". */
		fmt = _("only an admin may change the rules: %s%s%s is not in "
		    "enas.admin, and the commit is not signed with an ssh key");
	if (enas_buf_printf(why, fmt, p->pusher ? "'" : "",
	    p->pusher ? p->pusher : _("an unnamed pusher"),
	    p->pusher ? "'" : "") < 0)
		return ENAS_ENOMEM;
	return 0;
}

int
enas_policy_new_id_ok(const struct enas_policy *p, const struct enas_rules *r,
    const char *id, size_t len)
{
	const char *s = r->id_src, *alt, *end;
	size_t n, olen;

	if (!p->office)
		return 1;
	/* The leading group of codes: "(CAS|MRK|NDR|OUJ)". */
	if (s[0] == '(' && s[1] == '?' && s[2] == ':')
		s += 2;
	if (s[0] != '(' || !(end = strchr(s, ')')))
		return 1;
	for (alt = s + 1; alt < end; alt += n + 1) {
		for (n = 0; alt + n < end && alt[n] != '|'; n++)
			if (!isupper((unsigned char)alt[n]) &&
			    !isdigit((unsigned char)alt[n]))
				return 1;
		if (n == 0)
			return 1;
	}
	olen = strlen(p->office);
	return len >= olen && memcmp(id, p->office, olen) == 0 &&
	    (len == olen || !isalnum((unsigned char)id[olen]));
}

const char *
enas_policy_text(const struct enas_rules *r, const char *text, size_t len,
    int name, int *status)
{
	const struct enas_commit_rules *cr = &r->commit;
	size_t i, max = name ? cr->max_name : cr->max_length;
	int rc;

	*status = 0;
	if (!cr->set)
		return NULL;
	if (max && len > max)
		return name ? "max_name" : "max_length";
	for (i = 0; i < cr->ndeny; i++) {
		rc = enas_pattern_match(cr->deny[i], text, len);
		if (rc == 1)
			return cr->deny_name[i];
		if (rc < 0) {
			*status = rc;
			return cr->deny_name[i];
		}
	}
	return NULL;
}

int
enas_policy_expired(const struct enas_policy *p)
{
	struct pollfd pfd = { 2, 0, 0 };

	if ((long)getppid() != p->ppid)
		return 2;
	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP)))
		return 2;
	if (now_ms() - p->start_ms > (long long)p->max_seconds * 1000)
		return 1;
	return 0;
}
