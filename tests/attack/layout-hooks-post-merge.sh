# layout: a tracked hooks/post-merge
hook=refuse
mkdir -p hooks
printf '#!/bin/sh\ntouch "$HOME/pwned"\n' >hooks/post-merge
chmod +x hooks/post-merge
commit "hooks"
expect "$C:hooks/post-merge: error: TODO layout"
hook_expect "hooks/post-merge: error: TODO layout"
