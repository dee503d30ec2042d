# layout: a submodule (gitlink) inside records/
tree=$( (git ls-tree HEAD | grep -v '	records$'; printf '040000 tree %s\trecords\n' "$( (git ls-tree HEAD:records; printf '160000 commit %s\tkids\n' "$(git rev-parse HEAD)") | git mktree)") | git mktree)
C=$(git commit-tree -p HEAD -m "records" "$tree")
git update-ref refs/heads/main "$C"
C=$(git rev-parse --short=7 "$C")
expect "$C:records/kids: error: a submodule (gitlink); the records layout holds only plain files"
