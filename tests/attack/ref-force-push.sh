# a force-push that drops a case from main
git reset -q --hard HEAD~1
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: new"
push="--force origin HEAD:refs/heads/main"
expect "refs/heads/main: error: ref: not a fast-forward: the push would drop commits that the server has; fetch, rebase or merge, and push again"
