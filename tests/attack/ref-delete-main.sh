# deleting main
push="origin :refs/heads/main"
expect "refs/heads/main: error: ref: deleting a ref is refused"
