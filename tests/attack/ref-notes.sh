# a git note (refs/notes/commits) holding a name
git notes add -m "Zahra Testname" HEAD
push="origin refs/notes/commits"
expect "refs/notes/commits: error: ref: this server takes pushes to refs/heads/main only (enas.allowRef)"
