# layout: a tracked hooks/post-merge
hook=refuse
mkdir -p hooks
printf '#!/bin/sh\ntouch "$HOME/pwned"\n' >hooks/post-merge
chmod +x hooks/post-merge
commit "hooks"
expect "$C:hooks: error: a directory outside the records layout: a records repository holds only records/ and .gitattributes; remove it (git rm)"
hook_expect "hooks: error: a directory outside the records layout: a records repository holds only records/ and .gitattributes; remove it (git rm)"
