# a tree with a '.GIT' entry holding a hook (git mktree)
hooks=$(printf '100755 blob %s\tpost-merge\n' "$(printf '#!/bin/sh\ntouch "$HOME/pwned"\n' | git hash-object -w --stdin)" | git mktree)
sub=$(printf '040000 tree %s\thooks\n' "$hooks" | git mktree)
tree=$( (git ls-tree HEAD; printf '040000 tree %s\t.GIT\n' "$sub") | git mktree)
C=$(git commit-tree -p HEAD -m "records" "$tree")
git update-ref refs/heads/main "$C"
expect "error: object $tree: hasDotgit: contains '.git'"
