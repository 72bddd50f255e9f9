# First frame of the switcher as a user meets it: start rolesw in a pty,
# answer its terminal queries as a terminal does, and time until the list of
# a 20,000-profile config is on screen.
#   go run ./scripts/bench -rolesw ./rolesw -keep /tmp/rolesw-bench
#   python3 scripts/bench/firstframe.py ./rolesw 15 /tmp/rolesw-bench/list
import os, pty, sys, time, select, statistics
binary, runs, d = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
env = dict(HOME=d, PATH=os.environ["PATH"], TERM="xterm-256color",
           AWS_CONFIG_FILE=os.path.join(d, "config"), AWS_SHARED_CREDENTIALS_FILE=os.path.join(d, "credentials"),
           XDG_STATE_HOME=os.path.join(d, "state"), AWS_EC2_METADATA_DISABLED="true")
# The list's count line, as rolesw itself counts the profiles.
import subprocess
n = len(subprocess.run([binary, "list"], env=env, capture_output=True, check=True).stdout.splitlines()) - 1
want = b"%d profiles" % n
times = []
for _ in range(runs):
    pid, fd = pty.fork()
    if pid == 0:
        import fcntl, termios, struct
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(binary, [binary], env)
    t0 = time.monotonic(); buf = b""
    while want not in buf:
        r, _, _ = select.select([fd], [], [], 5)
        if not r: raise SystemExit("timeout: %r" % buf[-600:])
        chunk = os.read(fd, 65536); buf += chunk
        if b"\x1b]11;?" in chunk: os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
        if b"\x1b[6n" in chunk: os.write(fd, b"\x1b[1;1R")
    times.append((time.monotonic() - t0) * 1000)
    os.write(fd, b"q")
    try:
        while os.read(fd, 65536): pass
    except OSError: pass
    os.waitpid(pid, 0)
print("first frame with the list: median %.1f ms, min %.1f, max %.1f (%d runs)" % (statistics.median(times), min(times), max(times), runs))
