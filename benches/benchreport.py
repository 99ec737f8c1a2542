"""The Markdown table of benches/compare.sh from ptyharness.py's JSON results (standard library only).

Scalars are medians over the runs of an app; latencies are pooled over its runs, then p50/p99
(nearest rank). A ratio is kterm's figure over the best peer's (lower is better everywhere).
"""
import statistics

APPS = ('kterm', 'kdash', 'kubetui')


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


def med(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def pooled(runs, key):
    """All samples of `key` over the runs; None (no answer within the wait) kept apart."""
    samples = [v for r in runs for v in (r.get(key) or [])]
    return [v for v in samples if v is not None], sum(1 for v in samples if v is None)


ROWS = [
    # (id, measure, budget text, how to get the figure, unit format, budget check, peer ratio bound)
    ('P1', 'peak RSS (VmHWM) {idle} s after sync', '≤ 60 MB; ≤ 0.25× best peer',
     lambda rs: med(rs, 'rss_hwm_kb') and med(rs, 'rss_hwm_kb') / 1024, '{:.1f} MB', lambda v: v <= 60, 0.25),
    ('P2', 'launch → first pod rows on screen', '≤ 1 s; ≤ 0.5× fastest peer',
     lambda rs: med(rs, 'first_rows_s'), '{:.2f} s', lambda v: v <= 1, 0.5),
    ('P2', 'launch → all {pods} pods counted on screen', '≤ 2 s; ≤ 0.5× fastest peer',
     lambda rs: med(rs, 'full_s'), '{:.2f} s', lambda v: v <= 2, 0.5),
    ('P3', 'idle CPU after sync ({window} s window)', '≤ 0.5 % of a core',
     lambda rs: med(rs, 'cpu_pct'), '{:.2f} %', lambda v: v <= 0.5, None),
    ('P3', 'LIST requests in that window (per minute)', '0',
     lambda rs: med(rs, 'lists_per_min'), '{:,.0f}/min', lambda v: v == 0, None),
    ('P6', '`j` → next output bytes, p50', '≤ 5 ms',
     lambda rs: lat(rs, 'key_bytes_ms', 50), '{:.1f} ms', lambda v: v <= 5, None),
    ('P6', '`j` → next output bytes, p99', '≤ 16 ms',
     lambda rs: lat(rs, 'key_bytes_ms', 99), '{:.1f} ms', lambda v: v <= 16, None),
    ('P6', '`j` → ≥ 2 screen rows changed (selection moved), p99', '≤ 16 ms',
     lambda rs: lat(rs, 'key_rows_ms', 99), '{:.1f} ms', lambda v: v <= 16, None),
    ('P7', 'filter keystroke → next output bytes, p50', '≤ 16 ms',
     lambda rs: lat(rs, 'filter_bytes_ms', 50), '{:.1f} ms', lambda v: v <= 16, None),
    ('P7', 'filter keystroke → next output bytes, p99', '≤ 16 ms',
     lambda rs: lat(rs, 'filter_bytes_ms', 99), '{:.1f} ms', lambda v: v <= 16, None),
    ('P7', 'last keystroke (kubetui: enter) → only matching rows, median', '≤ 16 ms',
     lambda rs: lat(rs, 'filter_done_ms', 50), '{:.1f} ms', lambda v: v <= 16, None),
    ('P8', 'terminal bytes while idle', '≤ 2 KB/s',
     lambda rs: med(rs, 'idle_bytes_per_s'), '{:,.0f} B/s', lambda v: v <= 2048, None),
    ('P9', 'cluster unreachable: launch → first frame, median', '≤ 50 ms',
     lambda rs: med(rs, 'first_frame_ms'), '{:.1f} ms', lambda v: v <= 50, None),
]


def lat(runs, key, q):
    samples, _ = pooled(runs, key)
    return pct(samples, q) if samples else None


def report(results):
    meta = next((r for r in results if r.get('kind') == 'meta'), {})
    runs = {app: [r for r in results if r.get('app') == app and r.get('kind') == 'run'] for app in APPS}
    unreach = {app: [r for r in results if r.get('app') == app and r.get('kind') == 'unreachable'] for app in APPS}
    installed = {app: bool(runs[app] or unreach[app]) for app in APPS}
    peers = [p for p in APPS[1:] if installed[p]]
    head = ['#', 'measure', 'budget'] + [meta.get('label_' + a, a) for a in APPS] + ['kterm ÷ best peer', 'kterm within budget']
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    window = med(runs['kterm'] or [r for a in APPS for r in runs[a]], 'window_s') or 0
    misses = []
    for pid, what, budget, get, fmt, ok, bound in ROWS:
        what = what.format(idle=meta.get('idle', '?'), pods=meta.get('pods', '?'), window=round(window))
        src = unreach if pid == 'P9' else runs
        values = {a: (get(src[a]) if src[a] else None) for a in APPS}
        cells = []
        for a in APPS:
            if not installed[a]:
                cells.append('not installed')
            elif values[a] is None:
                cells.append('n/a')
            else:
                cells.append(fmt.format(values[a]))
        peer_values = [values[p] for p in peers if values[p] is not None]
        best = min(peer_values) if peer_values else None
        k = values['kterm']
        ratio = '{:.2f}×'.format(k / best) if k is not None and best else '—'
        verdict = '—'
        if k is not None:
            good = ok(k) and (bound is None or best is None or k <= bound * best)
            verdict = 'yes' if good else '**no**'
            if not good:
                misses.append('%s %s' % (pid, what))
        lines.append('| ' + ' | '.join([pid, what, budget] + cells + [ratio, verdict]) + ' |')
    notes = []
    for a in APPS:
        for key, label in (('key_bytes_ms', '`j`'), ('key_rows_ms', '`j` rows'), ('filter_bytes_ms', 'filter')):
            samples, lost = pooled(runs[a], key)
            if lost:
                notes.append('%s: %d of %d %s presses drew nothing within 1 s (left out)' % (a, lost, len(samples) + lost, label))
        for lat_key, cpu_key, label in (('key_bytes_ms', 'key_cpu_wait_ms', '`j`'),
                                        ('filter_bytes_ms', 'filter_cpu_wait_ms', 'filter keystroke')):
            pairs = [(l, c) for r in runs[a] for l, c in zip(r.get(lat_key) or [], r.get(cpu_key) or [])
                     if l is not None]
            if pairs:
                cpu = [c[0] for _, c in pairs]
                worst = max(pairs)
                slow = [c for l, c in pairs if l > 16]
                after = sum(1 for c in slow if len(c) > 2 and c[2] is not None and c[2] < 33)
                notes.append('%s %s: the app\'s CPU per keystroke median %.1f ms, max %.1f ms; the slowest '
                             '(%.1f ms) had %.1f ms CPU and %.1f ms waiting for a core (schedstat); '
                             '%d of %d keystrokes over 16 ms came < 33 ms after the app\'s previous output'
                             % (a, label, statistics.median(cpu), max(cpu), worst[0], worst[1][0], worst[1][1],
                                after, len(slow)))
        n = len(runs[a])
        if n:
            notes.append('%s: %d runs, %d `j` presses, %d filter keystrokes pooled; idle writes %.1f/s; '
                         'requests in window median %s; RSS at the end of the window median %.0f MB'
                         % (a, n, len(pooled(runs[a], 'key_bytes_ms')[0]), len(pooled(runs[a], 'filter_bytes_ms')[0]),
                            med(runs[a], 'idle_writes_per_s') or 0, med(runs[a], 'requests'), (med(runs[a], 'rss_kb') or 0) / 1024))
    out = ['Measured %s on %s (%s); mode %s; simulator %s pods in %s namespaces at %s×%s.'
           % (meta.get('date', '?'), meta.get('machine', '?'), meta.get('load', '?'), meta.get('mode', '?'),
              meta.get('pods', '?'), meta.get('namespaces', '?'), meta.get('cols', 200), meta.get('rows', 50)), '']
    out += lines + [''] + ['- ' + n for n in notes]
    out.append('- kterm misses: ' + ('; '.join(misses) if misses else 'none'))
    return '\n'.join(out)
