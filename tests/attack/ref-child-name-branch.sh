# a branch named after a child
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: new"
push="origin HEAD:refs/heads/zahra-testname-2010"
expect "refs/heads/zahra-testname-2010: error: ref: this server takes pushes to refs/heads/main only (enas.allowRef)"
