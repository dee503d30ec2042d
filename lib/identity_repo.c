/*
 * identity_repo.c: the identity repository's working tree: the
 * offices and their recipients, the token key, finding and listing
 * identity files, and committing encrypted changes (see identity.h).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "commit.h"
#include "i18n.h"
#include "identity.h"
#include "write.h"

#define RECIPIENTS_FILE_MAX (64 * 1024)
#define AGE_FILE_MAX (1024 * 1024)

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
enas_identity_list_free(char **list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Sorted names of dir's entries that keep() accepts. */
static int
list_dir(char ***out, size_t *n, const char *dir,
    int (*keep)(const char *name, const char *dir))
{
	struct dirent *de;
	char **list = NULL, **q;
	size_t cap = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	if (!(d = opendir(dir)))
		return 0;
	while ((de = readdir(d))) {
		if (!keep(de->d_name, dir))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(q = enas_realloc(list, cap * sizeof(*q))))
				goto nomem;
			list = q;
		}
		if (!(list[*n] = enas_strdup(de->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n && list)
		qsort(list, *n, sizeof(*list), cmp_str);
	*out = list;
	return 0;
nomem:
	closedir(d);
	enas_identity_list_free(list, *n);
	*n = 0;
	return ENAS_ENOMEM;
}

static int
keep_office(const char *name, const char *dir)
{
	(void)dir;
	return enas_identity_office_ok(name);
}

static int
keep_age(const char *name, const char *dir)
{
	char path[64];

	(void)dir;
	snprintf(path, sizeof(path), "ids/XX/%s", name);
	return enas_identity_path(path, NULL, NULL) == ENAS_IDPATH_IDENTITY;
}

int
enas_identity_offices(char ***out, size_t *n, const char *top)
{
	struct enas_buf dir = ENAS_BUF_INIT;
	int rc;

	if ((rc = enas_buf_printf(&dir, "%sids", top)) == 0)
		rc = list_dir(out, n, dir.data, keep_office);
	enas_buf_free(&dir);
	return rc;
}

int
enas_identity_files(char ***out, size_t *n, const char *top,
    const char *office)
{
	struct enas_buf dir = ENAS_BUF_INIT;
	int rc;

	if ((rc = enas_buf_printf(&dir, "%sids/%s", top, office)) == 0)
		rc = list_dir(out, n, dir.data, keep_age);
	enas_buf_free(&dir);
	return rc;
}

int
enas_identity_recipients(struct enas_age_recipient **out, size_t *n,
    const char *top, const char *office)
{
	struct enas_buf path = ENAS_BUF_INIT, b = ENAS_BUF_INIT;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = enas_buf_printf(&path, "%sids/%s/.recipients", top,
	    office)) < 0)
		goto out;
	if (access(path.data, F_OK) < 0) {
		rc = enas_error_set(ENAS_EUSAGE, _("office %s has no "
		    "recipients: ids/%s/.recipients is missing"), office,
		    office);
		goto out;
	}
	if ((rc = enas_file_read(&b, path.data, RECIPIENTS_FILE_MAX)) < 0)
		goto out;
	path.len = 0;
	if ((rc = enas_buf_printf(&path, "ids/%s/.recipients", office)) < 0)
		goto out;
	rc = enas_identity_recipients_parse(out, n, b.data, b.len, path.data);
out:
	enas_buf_free(&path);
	enas_buf_free(&b);
	return rc;
}

int
enas_identity_all_recipients(struct enas_age_recipient **out, size_t *n,
    const char *top)
{
	struct enas_age_recipient *all = NULL, *r, *q;
	char **offices = NULL;
	size_t noff = 0, nr, i, j, k;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = enas_identity_offices(&offices, &noff, top)) < 0)
		return rc;
	for (i = 0; i < noff; i++) {
		if ((rc = enas_identity_recipients(&r, &nr, top,
		    offices[i])) < 0) {
			if (rc == ENAS_EUSAGE)
				continue;	/* an office with no list yet */
			goto out;
		}
		if (!(q = enas_realloc(all, (*n + nr) * sizeof(*q)))) {
			free(r);
			rc = ENAS_ENOMEM;
			goto out;
		}
		all = q;
		for (j = 0; j < nr; j++) {
			for (k = 0; k < *n; k++)
				if (memcmp(all[k].public, r[j].public,
				    ENAS_AGE_KEY_LEN) == 0)
					break;
			if (k == *n)
				all[(*n)++] = r[j];
		}
		free(r);
	}
	if (*n == 0) {
		rc = enas_error_set(ENAS_EUSAGE, "%s", _("no office has "
		    "recipients yet: write ids/<OFFICE>/.recipients first"));
		goto out;
	}
	*out = all;
	all = NULL;
	rc = 0;
out:
	free(all);
	if (rc < 0)
		*n = 0;
	enas_identity_list_free(offices, noff);
	return rc;
}

int
enas_identity_token_key(unsigned char key[ENAS_IDENTITY_TOKEN_KEY],
    const char *top, const struct enas_age_keys *keys)
{
	struct enas_buf path = ENAS_BUF_INIT, b = ENAS_BUF_INIT;
	struct enas_buf clear = ENAS_BUF_INIT;
	enum enas_age_fail why;
	int rc;

	if ((rc = enas_buf_printf(&path, "%s.token.age", top)) < 0)
		goto out;
	if (access(path.data, F_OK) < 0) {
		rc = enas_error_set(ENAS_EUSAGE, "%s", _("the repository has "
		    "no token key yet (.token.age): run enas id rekey OFFICE "
		    "once the office's recipients are written"));
		goto out;
	}
	if ((rc = enas_file_read(&b, path.data, AGE_FILE_MAX)) < 0)
		goto out;
	if (enas_age_decrypt(&clear, b.data, b.len, keys, &why) < 0) {
		char msg[512];

		/* Never format the last error from itself. */
		snprintf(msg, sizeof(msg), "%s", why == ENAS_AGE_NOMATCH ?
		    _("not encrypted to your key: ask an administrator to "
		    "add your recipient and rekey") : enas_error_last());
		rc = enas_error_set(ENAS_EDATA, _(".token.age: %s"), msg);
		goto out;
	}
	rc = enas_identity_token_key_parse(key, clear.data, clear.len);
out:
	enas_age_buf_wipe(&clear);
	enas_buf_free(&path);
	enas_buf_free(&b);
	return rc;
}

int
enas_identity_find(struct enas_buf *path, const char *top,
    const char *token)
{
	struct enas_buf full = ENAS_BUF_INIT;
	char **offices = NULL;
	size_t n = 0, i;
	int rc, found = 0;

	if ((rc = enas_identity_offices(&offices, &n, top)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		full.len = 0;
		if ((rc = enas_buf_printf(&full, "%sids/%s/%s.age", top,
		    offices[i], token)) < 0)
			goto out;
		if (access(full.data, F_OK) < 0)
			continue;
		if (found++) {
			rc = enas_error_set(ENAS_EDATA, _("two offices hold "
			    "this identity: %s and ids/%s/%s.age"), path->data,
			    offices[i], token);
			goto out;
		}
		path->len = 0;
		if ((rc = enas_buf_printf(path, "ids/%s/%s.age", offices[i],
		    token)) < 0)
			goto out;
	}
	rc = found;
out:
	enas_buf_free(&full);
	enas_identity_list_free(offices, n);
	return rc;
}

int
enas_identity_commit(struct enas_repo *repo,
    const struct enas_file_change *ch, size_t n, const char *message)
{
	const char *top = enas_repo_workdir(repo);
	git_oid tree, head;
	size_t i;
	int rc;

	if ((rc = enas_commit_ready(repo)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		rc = ch[i].buf ? enas_write_atomic(top, ch[i].path, ch[i].buf,
		    ch[i].len, 0) : enas_write_remove(top, ch[i].path);
		if (rc < 0)
			return rc;
	}
	if ((rc = enas_commit_tree(&tree, &head, repo, ch, n)) < 0)
		return rc;
	return enas_commit_create(NULL, repo, &tree, &head, message, ch, n);
}
