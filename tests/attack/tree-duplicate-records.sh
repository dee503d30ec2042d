# a tree with two entries named records (git mktree): git reads the last
F=$(case_file)
write_case "$F"
printf 'name: Zahra Testname\n' >>"$F"
git add -A
evil=$(git write-tree)
good=$(git rev-parse HEAD^{tree})
r1=$(git rev-parse "$good:records")
r2=$(git rev-parse "$evil:records")
attrs=$(git rev-parse "$good:.gitattributes")
tree=$(printf '100644 blob %s\t.gitattributes\n040000 tree %s\trecords\n040000 tree %s\trecords\n' "$attrs" "$r1" "$r2" | git mktree)
C=$(git commit-tree -p HEAD -m "case NDR-2024-7K3QP: new" "$tree")
git update-ref refs/heads/main "$C"
git reset -q --hard
C=$(git rev-parse --short=7 "$C")
expect "error: object $(git rev-parse "$tree"): duplicateEntries: contains duplicate file entries"
