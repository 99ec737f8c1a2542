#!/usr/bin/env python3
"""Drives one terminal app under a pseudo-terminal and times what it prints (standard library only).

  ptyharness.py run --name N --sim URL --full-re RE [options] --out F.json -- CMD...
  ptyharness.py unreachable --name N --out F.json -- CMD...
  ptyharness.py report [--budgets] F.json...        (the Markdown table on stdout)

Every chunk read from the pty is timestamped on arrival (time.monotonic) and fed to a small screen
model (cursor moves, erases, SGR colours: what ratatui emits), so "a pod row is on screen" and
"which rows changed" are judged on the screen, not on the byte stream. The app's own terminal
queries (cursor position, device attributes, colours) are answered as a terminal would, so no app
waits for a timeout. A measurement tool, not a test: nothing here asserts on time.
"""
import codecs, fcntl, json, os, pty, random, re, select, signal, struct, sys, termios, time
import urllib.request

POD_RE = re.compile(r'\b[a-z]+(?:-[a-z]+)*-[a-z0-9]{10}-[a-z0-9]{5}\b')  # scale scenario pod names
ESC_RE = re.compile(r'\x1b(?:\[([0-9;:?<=>]*)[ -/]*([@-~])|\]([^\x07\x1b]*)(?:\x07|\x1b\\)'
                    r'|[()*+][0-~]|[0-~])')
CTRL_RE = re.compile(r'([\x00-\x1f\x7f])')


class Screen:
    """The visible grid: characters and an interned style per cell."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.y = self.x = 0
        self.fg = self.bg = None
        self.attrs = frozenset()
        self.styles = {}
        self.style = self._intern()
        self.pending = ''
        self.replies = []
        self.chars = [[' '] * cols for _ in range(rows)]
        self.cells = [[self.style] * cols for _ in range(rows)]

    def _intern(self):
        return self.styles.setdefault((self.fg, self.bg, self.attrs), len(self.styles))

    def clear(self, top, bottom):
        for y in range(top, bottom):
            self._blank_row(y)

    def _blank_row(self, y):
        self.chars[y] = [' '] * self.cols
        self.cells[y] = [self.style] * self.cols

    def text(self):
        return '\n'.join(''.join(r) for r in self.chars)

    def snapshot(self):
        return [(''.join(c), tuple(s)) for c, s in zip(self.chars, self.cells)]

    def changed_rows(self, snap):
        return sum(1 for y, (c, s) in enumerate(snap)
                   if ''.join(self.chars[y]) != c or tuple(self.cells[y]) != s)

    def feed(self, s):
        s = self.pending + s
        self.pending = ''
        i, n = 0, len(s)
        while i < n:
            j = s.find('\x1b', i)
            end = n if j < 0 else j
            if end > i:
                self._put(s[i:end])
                i = end
                continue
            m = ESC_RE.match(s, i)
            if not m:
                if n - i < 256:
                    self.pending = s[i:]
                    return
                i += 1
                continue
            if m.group(2):
                self._csi(m.group(1), m.group(2))
            elif m.group(3) is not None:
                self._osc(m.group(3))
            i = m.end()

    def _put(self, text):
        for part in CTRL_RE.split(text):
            if not part:
                continue
            if len(part) == 1 and part < ' ' or part == '\x7f':
                if part == '\r':
                    self.x = 0
                elif part == '\n':
                    self.y = min(self.y + 1, self.rows - 1)
                elif part == '\b':
                    self.x = max(self.x - 1, 0)
                continue
            if self.y < self.rows and self.x < self.cols:
                k = min(len(part), self.cols - self.x)
                self.chars[self.y][self.x:self.x + k] = list(part[:k])
                self.cells[self.y][self.x:self.x + k] = [self.style] * k
            self.x += len(part)

    def _csi(self, params, final):
        private = params[:1] in ('?', '>', '<', '=')
        nums = [int(p) if p.isdigit() else 0 for p in params.lstrip('?><=').split(';')] if params else []
        a = nums[0] if nums else 0
        if final in 'Hf' and not private:
            self.y = min(max((nums[0] if nums and nums[0] else 1) - 1, 0), self.rows - 1)
            self.x = min(max((nums[1] if len(nums) > 1 and nums[1] else 1) - 1, 0), self.cols - 1)
        elif final == 'A':
            self.y = max(self.y - max(a, 1), 0)
        elif final == 'B':
            self.y = min(self.y + max(a, 1), self.rows - 1)
        elif final == 'C':
            self.x = min(self.x + max(a, 1), self.cols - 1)
        elif final == 'D':
            self.x = max(self.x - max(a, 1), 0)
        elif final == 'G':
            self.x = min(max(a, 1) - 1, self.cols - 1)
        elif final == 'd':
            self.y = min(max(a, 1) - 1, self.rows - 1)
        elif final == 'J' and not private:
            if a == 0:
                self._erase(self.y, self.x, self.cols)
                self.clear(self.y + 1, self.rows)
            else:
                self.clear(0, self.rows)
        elif final == 'K' and not private:
            lo, hi = {0: (self.x, self.cols), 1: (0, self.x + 1)}.get(a, (0, self.cols))
            self._erase(self.y, lo, hi)
        elif final == 'X':
            self._erase(self.y, self.x, min(self.x + max(a, 1), self.cols))
        elif final == 'm':
            self._sgr(nums or [0])
        elif final == 'n' and a == 6:
            self.replies.append('\x1b[%d;%dR' % (self.y + 1, self.x + 1))
        elif final == 'c' and params in ('', '0'):
            self.replies.append('\x1b[?62;22c')
        elif final == 'c' and params.startswith('>'):
            self.replies.append('\x1b[>1;10;0c')
        elif final in 'hl' and params == '?1049':
            self.clear(0, self.rows)

    def _erase(self, y, lo, hi):
        if hi > lo:
            self.chars[y][lo:hi] = [' '] * (hi - lo)
            self.cells[y][lo:hi] = [self.style] * (hi - lo)

    def _osc(self, body):
        if body in ('10;?', '11;?'):
            colour = 'ffff/ffff/ffff' if body[:2] == '10' else '0000/0000/0000'
            self.replies.append('\x1b]%s;rgb:%s\x1b\\' % (body[:2], colour))

    def _sgr(self, nums):
        attrs, i = set(self.attrs), 0
        while i < len(nums):
            n = nums[i]
            if n == 0:
                self.fg = self.bg = None
                attrs.clear()
            elif n in (38, 48):
                k = 3 if nums[i + 1:i + 2] == [5] else 5
                colour = tuple(nums[i + 1:i + k])
                self.fg, self.bg = (colour, self.bg) if n == 38 else (self.fg, colour)
                i += k - 1
            elif 30 <= n <= 37 or 90 <= n <= 97 or n == 39:
                self.fg = n
            elif 40 <= n <= 47 or 100 <= n <= 107 or n == 49:
                self.bg = n
            elif 1 <= n <= 9:
                attrs.add(n)
            elif 21 <= n <= 29:
                attrs.difference_update((1, 2) if n == 22 else (n - 20,))
            i += 1
        self.attrs = frozenset(attrs)
        self.style = self._intern()


class App:
    """One app on a pty: chunks timestamped as they arrive."""

    def __init__(self, cmd, env, rows, cols, rss_limit_kb=None):
        self.rss_limit_kb = rss_limit_kb  # the watchdog: killed past this RSS
        self.killed = None  # (RSS kB, s since launch) when the watchdog killed it
        self.checked = 0.0
        self.screen = Screen(rows, cols)
        self.decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
        self.chunks = []  # (t, bytes)
        self.t0 = time.monotonic()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(sys.stdin.fileno(), termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
            os.execvpe(cmd[0], cmd, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        self.alive = True
        self.cpu = []  # (CPU ms, run-queue wait ms, ms since its last output) per key()

    def pump(self, seconds, on_chunk=None):
        """Reads for `seconds` or until on_chunk(t) is true; returns that t or None."""
        deadline = time.monotonic() + seconds
        while self.alive:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.watchdog()
            if not self.alive:
                return None
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.1))
            if not ready:
                continue
            t = time.monotonic()
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b''
            if not data:
                self.alive = False
                return None
            self.chunks.append((t, len(data)))
            self.screen.feed(self.decoder.decode(data))
            for reply in self.screen.replies:
                os.write(self.fd, reply.encode())
            self.screen.replies.clear()
            if on_chunk and on_chunk(t):
                return t
        return None

    def watchdog(self):
        """Kills the app (SIGKILL) once its RSS passes the limit; checked every 0.2 s."""
        now = time.monotonic()
        if self.rss_limit_kb is None or now - self.checked < 0.2:
            return
        self.checked = now
        try:
            rss = self.proc('VmRSS')
        except OSError:
            return
        if rss is not None and rss > self.rss_limit_kb:
            os.kill(self.pid, signal.SIGKILL)
            self.killed = (rss, round(now - self.t0, 1))
            self.alive = False

    def rss(self):
        """VmRSS in kB, None once the process is gone."""
        try:
            return self.proc('VmRSS')
        except OSError:
            return None

    def key(self, text, wait=1.0, rows_changed=1, match=None):
        """Sends keys; returns ms to the next output bytes and ms until `rows_changed` rows differ
        from before (or, with `match`, until match() holds)."""
        snap = self.screen.snapshot()
        sent = time.monotonic()
        first = []
        done = match or (lambda: self.screen.changed_rows(snap) >= rows_changed)

        def on_chunk(t):
            first.append(t)
            return done()

        run0, wait0 = self.sched()
        gap = sent - self.chunks[-1][0] if self.chunks else None  # since the app's last output
        os.write(self.fd, text.encode())
        end = self.pump(wait, on_chunk)
        run1, wait1 = self.sched()
        ms = lambda t: None if t is None else round((t - sent) * 1000, 2)
        self.cpu.append((round((run1 - run0) / 1e6, 2), round((wait1 - wait0) / 1e6, 2),
                         None if gap is None else round(gap * 1000, 1)))
        return ms(first[0] if first else None), ms(end)

    def sched(self):
        """CPU time and run-queue wait (ns) of all the app's threads, from /proc/PID/task/*/schedstat."""
        run = wait = 0
        try:
            for tid in os.listdir('/proc/%d/task' % self.pid):
                try:
                    with open('/proc/%d/task/%s/schedstat' % (self.pid, tid)) as f:
                        r, w, _ = f.read().split()
                    run, wait = run + int(r), wait + int(w)
                except (OSError, ValueError):
                    pass
        except OSError:
            pass
        return run, wait

    def proc(self, field):
        with open('/proc/%d/status' % self.pid) as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
        return None

    def cpu_ticks(self):
        with open('/proc/%d/stat' % self.pid) as f:
            rest = f.read().rsplit(')', 1)[1].split()
        return int(rest[11]) + int(rest[12])  # utime + stime (fields 14 and 15)

    def quit(self):
        if self.killed:
            os.waitpid(self.pid, 0)
            return
        for keys in ('\x1b', 'q'):
            if self.alive:
                try:
                    os.write(self.fd, keys.encode())
                except OSError:
                    break
                self.pump(0.3)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for _ in range(20):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
                time.sleep(0.1)
            os.kill(self.pid, sig)
        os.waitpid(self.pid, 0)


def pod_names(screen):
    return POD_RE.findall(screen.text())


def sim_requests(url, since):
    with urllib.request.urlopen('%s/_sim/requests?since=%d' % (url, since), timeout=30) as r:
        return json.load(r)


def is_metrics(req):
    """A usage poll of metrics.k8s.io (kterm polls the tenants on screen): not a re-LIST."""
    return req['path'].startswith('/apis/metrics.k8s.io/')


def is_list(req):
    """A LIST: a GET of a collection (not one object, not discovery, not a metrics.k8s.io usage
    poll) without watch=true|1."""
    if req['method'] != 'GET' or re.search(r'(^|&)watch=(true|1)(&|$)', req['query']) or is_metrics(req):
        return False
    segs = [s for s in req['path'].split('/') if s]
    if segs[:2] == ['api', 'v1']:
        segs = segs[2:]
    elif segs[:1] == ['apis'] and len(segs) >= 3:
        segs = segs[3:]
    else:
        return False
    if segs[:1] == ['namespaces'] and len(segs) >= 3:
        segs = segs[2:]
    return len(segs) == 1


def env_for(extra):
    env = dict(os.environ, TERM='xterm-256color', COLORTERM='truecolor', LANG='C.UTF-8')
    env.pop('NO_COLOR', None)
    env.update(kv.split('=', 1) for kv in extra)
    return env


def failed(app, res, a, what):
    """Records why a run ended early (the watchdog, a crash, no rows in time) with the RSS then."""
    if app.killed:
        res['failed'] = 'killed by the watchdog past %d MB at %.0f s' % (a.rss_limit_mb, app.killed[1])
        res['rss_at_fail_kb'] = app.killed[0]
    elif not app.alive:
        res['failed'] = 'exited or crashed at %.0f s' % (time.monotonic() - app.t0)
        res['rss_at_fail_kb'] = res.get('rss_seen_kb')
    else:
        res['failed'] = 'no %s within %.0f s' % (what, a.timeout)
        res['rss_at_fail_kb'] = app.rss()
    app.quit()
    json.dump(res, open(a.out, 'w'))


def only_namespace(app, ns):
    """Pod rows are on screen and every namespace named on it is `ns` (a focused kterm drops
    the NAMESPACE column and names the tenant in its status bar)."""
    text = app.screen.text()
    named = set(re.findall(r'\btenant-\d+\b', text))
    return bool(POD_RE.search(text)) and named == {ns}


def cmd_run(a):
    app = App(a.cmd, env_for(a.env), a.rows, a.cols, a.rss_limit_mb * 1024)
    full_re = re.compile(a.full_re)
    res = {'app': a.name, 'kind': 'run', 'pods': a.pods}
    if a.first_keys:
        # kterm lands on its tenant overview with -A; the pod table is one esc away.
        app.pump(a.timeout, lambda t: True)
        os.write(app.fd, a.first_keys.encode())

    def sample(t):
        res['rss_seen_kb'] = max(res.get('rss_seen_kb') or 0, app.rss() or 0)
        return bool(pod_names(app.screen))

    t = app.pump(a.timeout, sample)
    res['first_rows_s'] = None if t is None else round(t - app.t0, 3)
    if t is None:
        return failed(app, res, a, 'pod rows')
    t = app.pump(a.timeout - (t - app.t0), lambda t: bool(full_re.search(app.screen.text())))
    if t is None and full_re.search(app.screen.text()):
        t = time.monotonic()
    res['full_s'] = None if t is None else round(t - app.t0, 3)
    if t is None:
        return failed(app, res, a, 'full count')
    synced = time.monotonic()
    # Idle: from `settle` s after sync to `idle` s after sync, nothing sent to the app.
    app.pump(a.settle)
    w0, c0, n0 = time.monotonic(), app.cpu_ticks(), sim_requests(a.sim, 10 ** 15)['next']
    k0 = len(app.chunks)
    lists = reqs = polls = 0
    seen = n0
    while time.monotonic() < synced + a.idle and app.alive:
        app.pump(min(5.0, synced + a.idle - time.monotonic()))
        log = sim_requests(a.sim, seen)
        ours = [r for r in log['requests'] if not r['path'].startswith('/_sim/')]
        reqs += len(ours)
        lists += sum(1 for r in ours if is_list(r))
        polls += sum(1 for r in ours if is_metrics(r))
        seen = log['next']
    if not app.alive:
        return failed(app, res, a, 'idle window')
    w1, c1 = time.monotonic(), app.cpu_ticks()
    window = w1 - w0
    idle = app.chunks[k0:]
    res.update(window_s=round(window, 1), cpu_pct=round(100.0 * (c1 - c0) / os.sysconf('SC_CLK_TCK') / window, 3),
               lists=lists, requests=reqs, lists_per_min=round(lists * 60 / window, 1), metrics_polls=polls,
               idle_bytes_per_s=round(sum(n for _, n in idle) / window, 1),
               idle_writes_per_s=round(len(idle) / window, 2),
               rss_hwm_kb=app.proc('VmHWM'), rss_kb=app.proc('VmRSS'), since_sync_s=round(w1 - synced, 1))
    # Key -> frame: `j` presses spaced 150-300 ms (random, so they do not lock to a tick).
    res['key_bytes_ms'], res['key_rows_ms'] = [], []
    for _ in range(a.presses):
        app.pump(random.uniform(0.15, 0.3))
        first, rows = app.key(a.down, rows_changed=2)
        res['key_bytes_ms'].append(first)
        res['key_rows_ms'].append(rows)
    res['key_cpu_wait_ms'], app.cpu = app.cpu, []
    # Filter: open it, type one character at a time, (if the app needs it) enter; then reset it.
    app.pump(0.5)
    if a.filter_key:
        res['filter_bytes_ms'], res['filter_done_ms'], keys = [], [], []

        def only_matching():
            names = pod_names(app.screen)
            return bool(names) and all(a.filter_text in n for n in names)

        for _ in range(a.filter_rounds):
            app.key(a.filter_key)
            app.pump(0.5)
            app.cpu = []
            for i, ch in enumerate(a.filter_text):
                last = i == len(a.filter_text) - 1 and not a.filter_enter
                first, done = app.key(ch, wait=10 if last else 1, match=only_matching if last else None)
                res['filter_bytes_ms'].append(first)
                app.pump(random.uniform(0.3, 0.4))
            keys += app.cpu
            if a.filter_enter:
                _, done = app.key('\r', wait=10, match=only_matching)
                app.pump(0.5)
            # Last keystroke (or enter, for a filter applied on enter) -> only matching rows on screen.
            res['filter_done_ms'].append(done)
            for k in a.filter_reset:
                app.key(k)
                app.pump(0.3)
            app.pump(0.5)
        res['filter_cpu_wait_ms'] = keys
    extras(app, res, a)
    res['rss_hwm_end_kb'] = app.proc('VmHWM') if app.alive else None
    app.quit()
    json.dump(res, open(a.out, 'w'))


def extras(app, res, a):
    """kterm's P11 extras: tenant switches, the overview (keys and idle CPU), the log view."""
    if a.switch:
        # The picker: `t`, the namespace typed, enter -> only its pods; `0` -> every tenant again.
        res['switch_ms'], res['switch_back_ms'] = [], []
        for ns in a.switch:
            app.key(a.switch_key)
            app.pump(0.3)
            for ch in ns:
                app.key(ch)
                app.pump(0.05)
            app.pump(0.3)
            _, done = app.key('\r', wait=10, match=lambda: only_namespace(app, ns))
            res['switch_ms'].append(done)
            app.pump(0.5)
            _, back = app.key(a.switch_all, wait=10,
                              match=lambda: len({n for n in re.findall(r'\btenant-\d+\b', app.screen.text())}) > 1)
            res['switch_back_ms'].append(back)
            app.pump(0.5)
    if a.overview_key:
        _, shown = app.key(a.overview_key, wait=10, match=lambda: bool(re.search(a.overview_re, app.screen.text())))
        res['overview_open_ms'] = shown
        app.pump(a.settle)
        c0, w0 = app.cpu_ticks(), time.monotonic()
        app.pump(a.overview_idle)
        res['overview_cpu_pct'] = round(100.0 * (app.cpu_ticks() - c0) / os.sysconf('SC_CLK_TCK') /
                                        (time.monotonic() - w0), 3)
        res['overview_key_ms'] = []
        for _ in range(a.presses):
            app.pump(random.uniform(0.15, 0.3))
            first, _ = app.key(a.down, rows_changed=2)
            res['overview_key_ms'].append(first)
        app.key('\x1b')
        app.pump(0.5)
    if a.log_key:
        # The log view of the selected pod: `l` -> its first lines on screen; esc back.
        res['log_open_ms'] = []
        for _ in range(3):
            _, shown = app.key(a.log_key, wait=10, match=lambda: bool(re.search(a.log_re, app.screen.text())))
            res['log_open_ms'].append(shown)
            app.pump(0.5)
            app.key('\x1b')
            app.pump(0.5)
            app.key(a.down)
            app.pump(0.3)


def cmd_unreachable(a):
    app = App(a.cmd, env_for(a.env), a.rows, a.cols)
    t_bytes = app.pump(a.timeout, lambda t: True)
    t_frame = app.pump(a.timeout, lambda t: app.screen.text().strip() != '')
    if t_frame is None and app.screen.text().strip():
        t_frame = t_bytes
    ms = lambda t: None if t is None else round((t - app.t0) * 1000, 1)
    res = {'app': a.name, 'kind': 'unreachable', 'first_bytes_ms': ms(t_bytes), 'first_frame_ms': ms(t_frame),
           'timeout_ms': a.timeout * 1000}
    app.quit()
    json.dump(res, open(a.out, 'w'))


def main():
    import argparse
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='what', required=True)
    for name in ('run', 'unreachable'):
        s = sub.add_parser(name)
        s.add_argument('--name', required=True)
        s.add_argument('--out', required=True)
        s.add_argument('--rows', type=int, default=50)
        s.add_argument('--cols', type=int, default=200)
        s.add_argument('--env', action='append', default=[], help='NAME=VALUE for the app')
        s.add_argument('--timeout', type=float, default=120 if name == 'run' else 5)
        if name == 'run':
            s.add_argument('--sim', required=True, help="the simulator's URL")
            s.add_argument('--full-re', required=True, help='regex on screen once every pod is counted')
            s.add_argument('--settle', type=float, default=5)
            s.add_argument('--idle', type=float, default=60, help='seconds after sync before keys')
            s.add_argument('--presses', type=int, default=50)
            s.add_argument('--down', default='j')
            s.add_argument('--filter-key', default='/', help="'' when the app has no filter")
            s.add_argument('--filter-text', default='lockserver')
            s.add_argument('--filter-enter', action='store_true', help='the filter applies on enter')
            s.add_argument('--filter-rounds', type=int, default=3)
            s.add_argument('--filter-reset', default='\x1b', help='keys that clear and close the filter')
            s.add_argument('--pods', type=int, help='pods the simulator serves (recorded)')
            s.add_argument('--rss-limit-mb', type=int, default=4096, help='the watchdog kills the app past this')
            s.add_argument('--first-keys', default='', help='keys sent once the app printed anything')
            s.add_argument('--switch', action='append', default=[], help='a namespace to switch to (repeat)')
            s.add_argument('--switch-key', default='t', help='opens the tenant picker')
            s.add_argument('--switch-all', default='0', help='back to every tenant')
            s.add_argument('--overview-key', default='', help='opens the tenant overview')
            s.add_argument('--overview-re', default=r'STATE +TENANT', help='on screen once it is open')
            s.add_argument('--overview-idle', type=float, default=20, help='seconds of idle CPU on it')
            s.add_argument('--log-key', default='', help="opens the selected pod's log view")
            s.add_argument('--log-re', default=r'\[(INFO|WARN|ERROR) *\]', help='a log line on screen')
        s.add_argument('cmd', nargs='+')
    r = sub.add_parser('report')
    r.add_argument('files', nargs='+')
    a = p.parse_args()
    if a.what == 'run':
        cmd_run(a)
    elif a.what == 'unreachable':
        cmd_unreachable(a)
    else:
        from benchreport import report
        print(report([json.load(open(f)) for f in a.files]))


if __name__ == '__main__':
    main()
