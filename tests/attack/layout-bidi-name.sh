# layout: a file name with a right-to-left override
hook=refuse
F="records/cases/2024/$(printf 'NDR-2024-7K3QP\342\200\256lmay.yaml')"
write_case "$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:records/cases/2024/NDR-2024-7K3QP\342\200\256lmay.yaml: error: the name holds a bidirectional control (U+202E), which shows it as another name"
hook_expect "records/cases/2024/NDR-2024-7K3QP\342\200\256lmay.yaml: error: the name holds a bidirectional control (U+202E), which shows it as another name"
