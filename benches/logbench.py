#!/usr/bin/env python3
"""P5 (live logs) drivers for benches/logs.sh, on ptyharness.py's pty and screen model (standard library only).

  logbench.py kterm --sim-url URL --sim-pid PID --out F.json [--seconds 60] [--save-dir D] -- CMD...
  logbench.py ring  --sim-url URL --out F.json [--seconds 300] -- CMD...
  logbench.py peer  --sim-url URL --name N --open KEYS --out F.json [--seconds 60] -- CMD...
  logbench.py watchdog PID LIMIT_KB FLAG        (started by the others; kills PID past LIMIT_KB RSS)

Every app runs under the watchdog (a separate process polling /proc/PID/status every 0.2 s). The
simulator follows one pod with sequence-numbered lines (`... seq=000123`, from 1 per followed
stream); "lines shown" is judged on the screen model, "lines sent" from the kernel's byte count of
the app's log connection (`ss -tinp`). A measurement tool, not a test: nothing here asserts on time.
"""
import json, os, random, re, signal, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptyharness import App, env_for  # noqa: E402

LIMIT_KB = 4 * 1024 * 1024  # 4 GB
POD = 'flood'
LOG_RE = re.compile(r'\[(?:INFO |WARN |ERROR|DEBUG|FATAL)\]\[')  # the appserver's line format
SEQ_RE = re.compile(r'seq=(\d+)')
LINES_RE = re.compile(r'│ (\d[\d,]*) lines\b')  # not "│ last 500 lines"
DROPPED_RE = re.compile(r'\b(\d[\d,]*) oldest dropped\b')


def num(s):
    return int(s.replace(',', ''))


def ms(t0, t):
    return None if t is None else round((t - t0) * 1000, 2)


class Run:
    """One app on a pty under the watchdog, with CPU and RSS samples."""

    def __init__(self, a):
        self.app = App(a.cmd, env_for(a.env), a.rows, a.cols)
        self.flag = a.out + '.killed'
        if os.path.exists(self.flag):
            os.unlink(self.flag)
        self.dog = subprocess.Popen([sys.executable, os.path.abspath(__file__), 'watchdog',
                                     str(self.app.pid), str(LIMIT_KB), self.flag])
        self.res = {'app': a.name, 'kind': a.what, 'rows': a.rows, 'cols': a.cols}

    def rss(self):
        try:
            return self.app.proc('VmRSS')
        except OSError:
            return None

    def cpu_mark(self):
        try:
            return time.monotonic(), self.app.cpu_ticks()
        except (OSError, IndexError):
            return time.monotonic(), None

    @staticmethod
    def cpu_between(m0, m1):
        """Fraction of one core between two marks."""
        if m0[1] is None or m1[1] is None:
            return None
        return round((m1[1] - m0[1]) / os.sysconf('SC_CLK_TCK') / (m1[0] - m0[0]), 3)

    def text(self):
        return self.app.screen.text()

    def rows(self):
        return self.app.screen.text().split('\n')

    def wait_for(self, pred, seconds):
        """Pumps until pred() holds; returns the time it first held, or None."""
        if pred():
            return time.monotonic()
        return self.app.pump(seconds, lambda t: pred())

    def killed(self):
        if os.path.exists(self.flag):
            return open(self.flag).read().strip()
        return None

    def finish(self, out):
        why = self.killed()
        if why:
            self.res['failed'] = 'killed by the watchdog past 4 GB RSS (%s)' % why
        elif not self.app.alive and 'failed' not in self.res:
            self.res['failed'] = 'exited during the run'
        if self.app.alive:
            self.app.quit()
        else:
            try:
                os.waitpid(self.app.pid, 0)
            except ChildProcessError:
                pass
        self.dog.terminate()
        self.dog.wait()
        json.dump(self.res, open(out, 'w'), indent=1)


def log_conn_bytes(pid, port):
    """Bytes the kernel received on the app's busiest connection to the simulator (its log stream)."""
    out = subprocess.run(['ss', '-tinpH', 'state', 'established', '( dport = :%d )' % port],
                         capture_output=True, text=True).stdout.split('\n')
    best, mine = 0, False
    for line in out:
        if 'users:' in line:
            mine = ('pid=%d,' % pid) in line
        elif mine:
            m = re.search(r'bytes_received:(\d+)', line)
            if m:
                best = max(best, int(m.group(1)))
            mine = False
    return best


def log_query(url):
    """The query of the last request for the pod's log: did the app ask for timestamps, a tail?"""
    import urllib.request
    with urllib.request.urlopen(url + '/_sim/requests?since=0', timeout=30) as f:
        reqs = [q for q in json.load(f)['requests'] if q['path'].endswith('/%s/log' % POD)]
    return reqs[-1]['query'] if reqs else None


def header(r):
    """(lines received, oldest dropped) from kterm's log header (the first row)."""
    top = r.rows()[0]
    n, d = LINES_RE.search(top), DROPPED_RE.search(top)
    return (num(n.group(1)) if n else None), (num(d.group(1)) if d else 0)


def body(r):
    return r.rows()[1:-2]


def open_pod_table(r, timeout=30):
    t = r.wait_for(lambda: POD in r.text(), timeout)
    r.res['pod_row_s'] = None if t is None else round(t - r.app.t0, 3)
    r.app.pump(1.5)
    r.res['base_rss_kb'] = r.rss()
    return t is not None


def key_time(r, keys, pred, wait=2.0):
    """Sends keys; ms to the next output bytes and to the first frame where pred() holds."""
    first = []
    sent = time.monotonic()
    os.write(r.app.fd, keys.encode())

    def on_chunk(t):
        first.append(t)
        return pred()

    end = r.app.pump(wait, on_chunk)
    return ms(sent, first[0] if first else None), ms(sent, end)


def style_or_body_changed(r):
    snap = r.app.screen.snapshot()[1:-2]
    return lambda: r.app.screen.snapshot()[1:-2] != snap


def flood_keys(r, seconds, samples):
    """Presses keys every ~200 ms for `seconds` while lines pour in; samples RSS/CPU every 10 s.
    `k` leaves following (the header says "paused"), `G` follows again (it says "following"):
    each is timed to the first frame whose header shows it."""
    lat = []
    t_end = time.monotonic() + seconds
    mark = r.cpu_mark()
    next_sample = time.monotonic() + 10
    while time.monotonic() < t_end and r.app.alive:
        for key, word in (('k', 'paused'), ('G', 'following')):
            r.app.pump(random.uniform(0.15, 0.25))
            lat.append(key_time(r, key, lambda: word in r.rows()[0]))
        if time.monotonic() >= next_sample:
            m = r.cpu_mark()
            lines, dropped = header(r)
            samples.append({'t': round(m[0] - r.t_open, 1), 'rss_kb': r.rss(), 'cpu': r.cpu_between(mark, m),
                            'lines': lines, 'dropped': dropped})
            mark, next_sample = m, next_sample + 10
    return lat


def cmd_kterm(a):
    r = Run(a)
    port = int(a.sim_url.rsplit(':', 1)[1])
    try:
        if not open_pod_table(r):
            r.res['failed'] = 'no pod row in 30 s'
            return
        # `l` -> the first log line on screen (P5: <= 200 ms).
        r.t_open = time.monotonic()
        first, shown = key_time(r, 'l', lambda: any(LOG_RE.search(l) for l in body(r)), wait=10)
        r.res.update(l_bytes_ms=first, l_first_lines_ms=shown)
        c0 = r.cpu_mark()
        samples = []
        r.res['flood_keys_ms'] = flood_keys(r, a.seconds - (time.monotonic() - r.t_open), samples)
        r.res['samples'] = samples
        c1 = r.cpu_mark()
        r.res['flood_cpu'] = r.cpu_between(c0, c1)
        r.res['rss_60s_kb'] = r.rss()
        r.res['hwm_kb'] = r.app.proc('VmHWM')
        r.res['log_query'] = log_query(a.sim_url)
        # Freeze the stream: everything the simulator wrote is now in kterm's socket or buffer.
        os.kill(a.sim_pid, signal.SIGSTOP)
        r.res['flood_s'] = round(time.monotonic() - r.t_open, 2)
        r.res['sent_bytes'] = log_conn_bytes(r.app.pid, port)
        key_time(r, 'G', lambda: False, wait=0.3)
        stable, last, deadline = 0, None, time.monotonic() + 20
        while stable < 3 and time.monotonic() < deadline:
            r.app.pump(0.4)
            now = header(r)
            stable = stable + 1 if now == last else 0
            last = now
        r.res['lines'], r.res['dropped'] = last
        seqs = [int(s) for s in SEQ_RE.findall('\n'.join(body(r)))]
        r.res['last_seq_on_screen'] = max(seqs) if seqs else None
        r.res['cpu_drained'] = r.cpu_between(c0, r.cpu_mark())
        save(r, a.save_dir)
        search_and_filter(r)
    finally:
        os.kill(a.sim_pid, signal.SIGCONT)
        r.res['history_lines'] = history_lines(a.sim_url, r.res.get('log_query'))
        r.finish(a.out)


def history_lines(url, query):
    """The lines before seq=000001 in kterm's stream: the same request without follow."""
    import urllib.request
    if query is None:
        return None
    query = re.sub(r'(^|&)follow=(true|1)', '', query)
    with urllib.request.urlopen('%s/api/v1/namespaces/logbench/pods/%s/log?%s' % (url, POD, query), timeout=30) as f:
        return f.read().count(b'\n')


def save(r, save_dir):
    """ctrl-s, the prefilled name erased (backspaces) and our path typed, enter; then reads the
    file: seq numbers contiguous, and the last one."""
    path = os.path.join(save_dir, 'kterm-ring.log')
    key_time(r, '\x13', lambda: False, wait=0.5)
    key_time(r, '\x7f' * 400 + path, lambda: False, wait=0.5)
    name = os.path.basename(path)
    _, done = key_time(r, '\r', lambda: name in '\n'.join(r.rows()[-2:]) and 'kterm-ring.log' not in r.rows()[0],
                       wait=30)
    deadline = time.monotonic() + 30
    while not os.path.exists(path) and time.monotonic() < deadline:
        r.app.pump(0.2)
    r.app.pump(1.0)
    r.res['save_ms'] = done
    r.res['save_message'] = r.rows()[-2:]
    if not os.path.exists(path):
        r.res['save_failed'] = 'no file at %s' % path
        return
    lines = seq_lines = gaps = 0
    first = prev = None
    size = 0
    with open(path, 'rb') as f:
        for raw in f:
            lines += 1
            size += len(raw)
            m = SEQ_RE.search(raw.decode('utf-8', 'replace'))
            if not m:
                continue
            s = int(m.group(1))
            seq_lines += 1
            if prev is not None and s != prev + 1:
                gaps += 1
            first = s if first is None else first
            prev = s
    r.res.update(file_lines=lines, file_bytes=size, file_seq_lines=seq_lines, file_first_seq=first,
                 file_last_seq=prev, file_gaps=gaps)


def search_and_filter(r):
    """On the frozen full ring, paused: `/ERROR` enter (the header shows the search), `n` x10 (the
    view moves to the next match), a search nothing matches (every line read: its sentence), then
    the filter typed one key at a time (the header shows it and every log row on screen matches)."""
    key_time(r, 'k', lambda: 'paused' in r.rows()[0], wait=2)
    r.app.pump(0.5)

    def search(text, pred):
        key_time(r, '/', lambda: False, wait=0.5)
        for ch in text:
            key_time(r, ch, lambda: False, wait=0.3)
        return key_time(r, '\r', pred, wait=10)

    r.res['search_enter_ms'] = search('ERROR', lambda: '/ERROR' in r.rows()[0])
    r.app.pump(0.5)
    r.res['search_n_ms'] = []
    for _ in range(10):
        r.res['search_n_ms'].append(key_time(r, 'n', style_or_body_changed(r), wait=10))
        r.app.pump(random.uniform(0.2, 0.3))
    r.res['search_none_ms'] = search('NOSUCHTEXT', lambda: 'No line matches' in '\n'.join(r.rows()[-2:]))
    r.app.pump(0.5)
    key_time(r, '\x1b', lambda: False, wait=0.5)
    key_time(r, '&', lambda: False, wait=0.5)
    r.res['filter_ms'] = []
    typed = ''
    for ch in 'ERROR':
        typed += ch
        want = typed

        def only_matching():
            logs = [l for l in body(r) if LOG_RE.search(l)]
            return ('&%s:' % want) in r.rows()[0] and bool(logs) and all(want.lower() in l.lower() for l in logs)

        r.res['filter_ms'].append(key_time(r, ch, only_matching, wait=10))
        r.res.setdefault('filter_header', []).append(r.rows()[0].strip())
        r.app.pump(random.uniform(0.3, 0.4))
    key_time(r, '\x1b', lambda: False, wait=0.5)


def cmd_ring(a):
    """At a lower rate for long enough to fill the ring several times: RSS every 10 s."""
    r = Run(a)
    try:
        if not open_pod_table(r):
            r.res['failed'] = 'no pod row in 30 s'
            return
        r.t_open = time.monotonic()
        _, shown = key_time(r, 'l', lambda: any(LOG_RE.search(l) for l in body(r)), wait=10)
        r.res['l_first_lines_ms'] = shown
        samples, mark = [], r.cpu_mark()
        while time.monotonic() - r.t_open < a.seconds and r.app.alive:
            r.app.pump(10 - (time.monotonic() - r.t_open) % 10)
            m = r.cpu_mark()
            lines, dropped = header(r)
            samples.append({'t': round(m[0] - r.t_open), 'rss_kb': r.rss(), 'cpu': r.cpu_between(mark, m),
                            'lines': lines, 'dropped': dropped})
            mark = m
        r.res['samples'] = samples
        r.res['hwm_kb'] = r.app.proc('VmHWM')
    finally:
        r.finish(a.out)


def cmd_peer(a):
    """A peer's log view of the same pod for `seconds`: the highest seq on screen, RSS, CPU."""
    r = Run(a)
    port = int(a.sim_url.rsplit(':', 1)[1])
    count_re = re.compile(a.count_re) if a.count_re else None
    try:
        if not open_pod_table(r):
            r.res['failed'] = 'no pod row in 30 s'
            return
        steps = [k.encode().decode('unicode_escape') for k in a.open.split(',')]
        for step in steps[:-1]:
            key_time(r, step, lambda: False, wait=1.5)
        r.t_open = time.monotonic()  # the last key opens the log view: its stream starts now
        os.write(r.app.fd, steps[-1].encode())
        c0, samples, top = r.cpu_mark(), [], 0
        last = c0
        while time.monotonic() - r.t_open < a.seconds and r.app.alive and not r.killed():
            r.app.pump(1.0)
            m = r.cpu_mark()
            last = m if m[1] is not None else last
            # A frame half drawn can splice two numbers; none can exceed what the simulator owes.
            bound = a.rate * (time.monotonic() - r.t_open + 5)
            seqs = [s for s in map(int, SEQ_RE.findall(r.text())) if s <= bound]
            top = max([top] + seqs)
            m = count_re.search(r.text()) if count_re else None
            samples.append({'t': round(time.monotonic() - r.t_open, 1), 'rss_kb': r.rss(), 'top_seq': top,
                            'screen_seq': max(seqs) if seqs else None, 'count': m.group(0) if m else None,
                            'sent_bytes': log_conn_bytes(r.app.pid, port)})
        r.res.update(samples=samples, top_seq=top, cpu=r.cpu_between(c0, last), rss_60s_kb=r.rss(),
                     seconds=round(time.monotonic() - r.t_open, 1), log_query=log_query(a.sim_url))
        try:
            r.res['hwm_kb'] = r.app.proc('VmHWM')
        except OSError:
            pass
    finally:
        r.finish(a.out)


def cmd_watchdog(pid, limit_kb, flag):
    while True:
        try:
            with open('/proc/%d/status' % pid) as f:
                rss = next((int(l.split()[1]) for l in f if l.startswith('VmRSS:')), 0)
        except (OSError, ValueError):
            return
        if rss > limit_kb:
            with open(flag, 'w') as f:
                f.write('%.0f MB' % (rss / 1024))
            os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.2)


def main():
    import argparse
    if sys.argv[1:2] == ['watchdog']:
        cmd_watchdog(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='what', required=True)
    for name in ('kterm', 'ring', 'peer'):
        s = sub.add_parser(name)
        s.add_argument('--name', default='kterm')
        s.add_argument('--out', required=True)
        s.add_argument('--sim-url', required=True)
        s.add_argument('--rows', type=int, default=50)
        s.add_argument('--cols', type=int, default=200)
        s.add_argument('--env', action='append', default=[], help='NAME=VALUE for the app')
        s.add_argument('--seconds', type=float, default=300 if name == 'ring' else 60)
        if name == 'kterm':
            s.add_argument('--sim-pid', type=int, required=True, help='stopped (SIGSTOP) after the flood')
            s.add_argument('--save-dir', required=True)
        if name == 'peer':
            s.add_argument('--open', required=True, help='comma-separated keys from the pod table to its log view')
            s.add_argument('--count-re', default='', help="regex of the app's own line counter, if it shows one")
            s.add_argument('--rate', type=int, default=100000, help="the simulator's --log-rate")
        s.add_argument('cmd', nargs='+')
    a = p.parse_args()
    {'kterm': cmd_kterm, 'ring': cmd_ring, 'peer': cmd_peer}[a.what](a)


if __name__ == '__main__':
    main()
