# a tree with a '..' entry (git mktree)
good=$(git rev-parse HEAD^{tree})
sub=$(printf '100644 blob %s\tx.yaml\n' "$(echo 'name: Zahra' | git hash-object -w --stdin)" | git mktree)
tree=$( (git ls-tree HEAD; printf '040000 tree %s\t..\n' "$sub") | git mktree)
C=$(git commit-tree -p HEAD -m "records" "$tree")
git update-ref refs/heads/main "$C"
expect "error: object $tree: hasDotdot: contains '..'"
