# more commits in one push than enas.maxCommits (3 here)
server_config enas.maxCommits 3
for i in 1 2 3 4; do
	write_case "$(case_file NDR-2024-7K3Q$i)" NDR-2024-7K3Q$i
	commit "case NDR-2024-7K3Q$i: new"
done
expect "push: error: more than 3 new commits (enas.maxCommits): push fewer at a time"
