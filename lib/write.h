/*
 * write.h: changing files safely.  A record is replaced atomically (a
 * temporary file in the same directory, fsync, rename, fsync of the
 * directory), never through a symbolic link; and the tools that change
 * a repository take one lock so that two of them never interleave.
 */
#ifndef ENAS_WRITE_H
#define ENAS_WRITE_H

#include "enas.h"

/* Flags for enas_write_atomic(). */
#define ENAS_WRITE_NEW 0x1	/* refuse if the file exists already */
#define ENAS_WRITE_EXEC 0x2	/* executable (a hook), umask permitting */
#define ENAS_WRITE_KEEP_MODE 0x4	/* the mode of the file it replaces */

/*
 * Write buf (len bytes) to relpath below the directory top, creating
 * the directories on the way.  No component of relpath may be empty,
 * ".", "..", a symbolic link or (but for the last) anything but a
 * directory; the file itself, if it exists, must be a regular file.
 * Killed at any moment, it leaves the old file or the new one, and at
 * worst a stray ".<name>.tmp-XXXXXX" beside it.  ENAS_EDATA (a link,
 * not a directory, exists with ENAS_WRITE_NEW) or ENAS_EIO, with a
 * message.
 */
int enas_write_atomic(const char *top, const char *relpath, const char *buf,
    size_t len, unsigned flags);

/*
 * Remove relpath below top (the same rules for its directories), and
 * make the removal durable.  A file already gone is not an error.
 */
int enas_write_remove(const char *top, const char *relpath);

struct enas_lock;

/*
 * Take the lock file path (created if needed), waiting up to timeout_ms
 * for another holder.  ENAS_EIO with "locked" in the message when it
 * stays held.  The lock goes away with the process, however it ends.
 */
int enas_lock_take(struct enas_lock **out, const char *path, long timeout_ms);

/* Release and free the lock; NULL is allowed. */
void enas_lock_release(struct enas_lock *l);

#endif
