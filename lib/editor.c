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
		rc = enas_error_set(ENAS_EIO, "cannot start the editor: %s",
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
			rc = enas_error_set(ENAS_EIO, "waiting for the editor: "
			    "%s", strerror(errno));
			goto out;
		}
	if (WIFSIGNALED(status))
		rc = enas_error_set(ENAS_EIO, "the editor (%.60s) was killed "
		    "by signal %d", ed, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		rc = enas_error_set(ENAS_EIO, "the editor (%.60s) exited with "
		    "status %d", ed, WEXITSTATUS(status));
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
