# control: a ledger commit of one publication, on an allowed ledger ref
accept=1
server_config enas.allowRef refs/heads/main
server_config enas.allowRef refs/enas/published
blob=$(printf 'kind: case\ncount: 12\n' | git hash-object -w --stdin)
tree=$(printf '100644 blob %s\t2024-06-01T120000Z-3f2a9c1.txt\n' "$blob" | git mktree)
C=$(git commit-tree -m "publication" "$tree")
push="origin $C:refs/enas/published"
