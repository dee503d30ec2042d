# a new history (an orphan root) forced onto main
git checkout -q --orphan fresh
git rm -q -r --cached records/cases
rm -rf records/cases
commit "records: a fresh start"
push="--force origin HEAD:refs/heads/main"
expect "refs/heads/main: error: ref: not a fast-forward: the push would drop commits that the server has; fetch, rebase or merge, and push again"
