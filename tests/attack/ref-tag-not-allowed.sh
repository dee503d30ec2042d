# a tag, where only main is allowed
git tag -a -m "release" v1
push="origin refs/tags/v1"
expect "refs/tags/v1: error: ref: this server takes pushes to refs/heads/main only (enas.allowRef)"
