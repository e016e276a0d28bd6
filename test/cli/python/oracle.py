"""Runs the Python client's own helpers on the inputs given on stdin (JSON lines) and answers with
JSON lines: the oracle for test/cli/python-parity.test.ts. Nothing here re-implements them."""
import json
import sys

import prettytable
from monascaclient.common import utils
from monascaclient.common.monasca_manager import MonascaManager


def table(headers, rows):
    pt = prettytable.PrettyTable(headers, caching=False, print_empty=False)
    pt.align = 'l'
    for row in rows:
        pt.add_row(row)
    return pt.get_string()


def run(case):
    kind = case['kind']
    try:
        if kind == 'dimensions_query':
            dims = utils.format_dimensions_query(case['args'])
            return {'ok': MonascaManager.get_dimensions_url_string(dims) if dims else None}
        if kind == 'parameters':
            return {'ok': utils.format_parameters(case['args'])}
        if kind == 'table':
            return {'ok': table(case['headers'], case['rows'])}
        if kind == 'dict':
            return {'ok': utils.format_dict(case['value'])}
        if kind == 'json':
            return {'ok': utils.json_formatter(case['value'])}
    except Exception as e:  # the client raises CommandError for malformed parameters
        return {'error': str(e)}
    raise ValueError(kind)


for line in sys.stdin:
    print(json.dumps(run(json.loads(line))), flush=True)
