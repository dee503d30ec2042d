# bench/count.py: cases by site, the way a Python script would count
# them: every checked-out case file through PyYAML's C loader.
import collections
import os

import yaml

counts = collections.Counter()
for root, dirs, files in os.walk('records/cases'):
    for name in files:
        with open(os.path.join(root, name), 'rb') as f:
            counts[yaml.load(f, Loader=yaml.CLoader)['site']] += 1
for site in sorted(counts):
    print(f'{site}\t{counts[site]}')
