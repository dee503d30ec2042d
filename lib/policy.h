/*
 * policy.h: who may push what to the shared server (SPEC §9): the
 * pusher's identity as the git server gives it, and the server
 * repository's enas.* settings.
 *
 * The pusher is the first non-empty of GL_USER (gitolite),
 * GITEA_PUSHER_NAME (Gitea) and REMOTE_USER (plain ssh or http).  The
 * settings, read from the server repository's git config:
 *
 *   enas.admin              (multi) pushers who may change the rules
 *   enas.allowedSignersFile ssh allowed-signers file whose keys may sign
 *                           a rules change (relative: to the git dir)
 *   enas.office.<pusher>    the office code whose new records it may add
 *   enas.allowRef           (multi) the refs a push may update
 *                           (default refs/heads/main)
 *   enas.maxCommits         new commits in one push (default 1000)
 *   enas.maxSeconds         seconds one push may be checked (default 120)
 */
#ifndef ENAS_POLICY_H
#define ENAS_POLICY_H

#include <git2.h>

#include "enas.h"
#include "repo.h"
#include "rules.h"

#define ENAS_MAX_COMMITS 1000
#define ENAS_MAX_SECONDS 120

struct enas_policy {
	char *pusher;		/* NULL when the server names nobody */
	int admin;		/* the pusher is in enas.admin */
	size_t nadmins;		/* entries of enas.admin */
	char *signers;		/* enas.allowedSignersFile, absolute, or NULL */
	char *office;		/* enas.office.<pusher>, or NULL */
	char **refs;		/* enas.allowRef, or the default */
	size_t nrefs;
	unsigned long max_commits;
	unsigned long max_seconds;
	long long start_ms;	/* when the check began (monotonic) */
	long ppid;		/* the process that started the check */
};

/*
 * Read the pusher from the environment and the settings from repo's
 * git config.  A setting that is not a valid value is ENAS_EUSAGE with
 * a message (the server's admin must fix it: refusing every push is
 * safer than guessing).
 */
int enas_policy_load(struct enas_policy **out, struct enas_repo *repo);

void enas_policy_free(struct enas_policy *p);

/* 1 when a push may update ref. */
int enas_policy_ref_ok(const struct enas_policy *p, const char *ref);

/*
 * Whether the commit id may change the rules: 1 when the pusher is an
 * admin or the commit carries an ssh signature that git verify-commit
 * accepts with enas.allowedSignersFile; 0 when not, with the reason in
 * why (a sentence for the pusher); a negative status on failure.
 */
int enas_policy_authority(const struct enas_policy *p,
    struct enas_repo *repo, const git_oid *id, struct enas_buf *why);

/*
 * Whether the pusher may add a record of kind r with the id (len
 * bytes): 1 when no office is set for it, when the kind's ids carry no
 * office code (their pattern does not start with a group of codes such
 * as "(CAS|MRK|NDR|OUJ)"), or when the id starts with its own code.
 */
int enas_policy_new_id_ok(const struct enas_policy *p,
    const struct enas_rules *r, const char *id, size_t len);

/*
 * Check text (len bytes: a message, a name, an e-mail) against the
 * commit: section of r: the name of the first deny pattern it matches,
 * or "max_length"/"max_name" when it is too long (name: 1 for a name,
 * 0 for a message); NULL when it passes.  *status is set negative when
 * a pattern failed to run (a limit, bad UTF-8: refused too).
 */
const char *enas_policy_text(const struct enas_rules *r, const char *text,
    size_t len, int name, int *status);

/*
 * Whether the check must stop: 1 when enas.maxSeconds have passed, 2
 * when the pusher is gone (our parent changed, or nobody reads our
 * standard error any more), else 0.
 */
int enas_policy_expired(const struct enas_policy *p);

#endif
