"""Runs Debian's `monasca` CLI many times without paying its ~1.5 s import each time.

The parent imports what /usr/bin/monasca imports (monascaclient.shell and the libraries it loads
later), then forks one child per command line. The child takes the command's environment, working
directory and output files, and calls monascaclient.shell.main(argv) exactly as /usr/bin/monasca
does, so every byte of the command's own work (option parsing, auth, HTTP, printing) runs fresh.
monascaclient.v2_0.shell is NOT imported in the parent: it evaluates metric-create's default
timestamp when imported, and that must happen at command time, as with the real binary.

Protocol (one JSON object per line): stdin {"id", "argv", "env", "cwd", "stdout", "stderr"} (the
last two are file paths the child writes); stdout {"id", "code"} when that child exits.
"""
import json
import os
import select
import sys

# Some modules read the program name when imported (it shows in usage lines): be /usr/bin/monasca.
sys.argv = ["/usr/bin/monasca"]

import monascaclient.shell  # noqa: F401  the heavy part: osc_lib, keystoneauth1, openstacksdk, cliff
import monascaclient.client  # noqa: F401
import keystoneauth1.loading
import openstack.config  # noqa: F401
import prettytable  # noqa: F401
import requests  # noqa: F401

# Entry point scans are cached by the libraries that do them; warm them like a second run would.
keystoneauth1.loading.get_available_plugin_names()


def child(request):
    fd_in = os.open(os.devnull, os.O_RDONLY)
    fd_out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    fd_err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd_in, 0)
    os.dup2(fd_out, 1)
    os.dup2(fd_err, 2)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["/usr/bin/monasca"] + request["argv"]
    code = 1
    try:
        # As /usr/bin/monasca: sys.exit(main())
        result = monascaclient.shell.main(request["argv"])
        code = 0 if result is None else result if isinstance(result, int) else 1
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def reply(obj):
    data = (json.dumps(obj) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


def main():
    pending = {}
    buffer = b""
    open_input = True
    while open_input or pending:
        if open_input:
            readable, _, _ = select.select([0], [], [], 0.005)
            if readable:
                chunk = os.read(0, 65536)
                if not chunk:
                    open_input = False
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if not line.strip():
                        continue
                    request = json.loads(line)
                    pid = os.fork()
                    if pid == 0:
                        child(request)
                    pending[pid] = request["id"]
        else:
            select.select([], [], [], 0.005)
        while pending:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            code = os.waitstatus_to_exitcode(status)
            reply({"id": pending.pop(pid), "code": code})


reply({"ready": True})
main()
