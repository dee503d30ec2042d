# two refs in one push, one of them not allowed: nothing lands
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: new"
push="origin HEAD:refs/heads/main HEAD:refs/heads/other"
expect "refs/heads/other: error: ref: this server takes pushes to refs/heads/main only (enas.allowRef)"
