"""The P11 tables of benches/p11.sh from ptyharness.py's JSON (standard library only).

  p11report.py DIR     (DIR holds meta.json, SIZE/APP.json and, at the largest size, p10.md)

One run per app and size: scalars as measured, latencies p50/p99 over that run's presses
(nearest rank, as benchreport.py). Nothing here asserts on time.
"""
import json, os, sys

from benchreport import APPS, pct


def lat(r, key, q):
    v = [x for x in (r.get(key) or []) if x is not None]
    return pct(v, q) if v else None


def mb(kb):
    return None if kb is None else kb / 1024


# (measure, budget text, figure from one kterm run, format, within budget)
KTERM = [
    ('peak RSS (VmHWM), after the whole run', '≤ 150 MB',
     lambda r: mb(r.get('rss_hwm_end_kb') or r.get('rss_hwm_kb')), '{:.1f} MB', lambda v: v <= 150),
    ('launch → first pod rows', '≤ 1 s', lambda r: r.get('first_rows_s'), '{:.2f} s', lambda v: v <= 1),
    ('launch → all pods counted', '≤ 5 s', lambda r: r.get('full_s'), '{:.2f} s', lambda v: v <= 5),
    ('idle CPU after sync, pod table', '≤ 0.5 %', lambda r: r.get('cpu_pct'), '{:.2f} %', lambda v: v <= 0.5),
    ('LIST requests after sync', '0', lambda r: r.get('lists'), '{:d}', lambda v: v == 0),
    ('`j` → next output, p50', '≤ 5 ms', lambda r: lat(r, 'key_bytes_ms', 50), '{:.1f} ms', lambda v: v <= 5),
    ('`j` → next output, p99', '≤ 16 ms', lambda r: lat(r, 'key_bytes_ms', 99), '{:.1f} ms', lambda v: v <= 16),
    ('filter keystroke → next output, p99', '≤ 16 ms', lambda r: lat(r, 'filter_bytes_ms', 99), '{:.1f} ms',
     lambda v: v <= 16),
    ('last filter keystroke → only matching rows, median', '≤ 16 ms', lambda r: lat(r, 'filter_done_ms', 50),
     '{:.1f} ms', lambda v: v <= 16),
    ('tenant switch (picker, enter → only its pods), max of 5', '≤ 100 ms',
     lambda r: max([x for x in r.get('switch_ms') or [] if x is not None], default=None), '{:.1f} ms',
     lambda v: v <= 100),
    ('back to every tenant (`0`), max of 5', '≤ 100 ms',
     lambda r: max([x for x in r.get('switch_back_ms') or [] if x is not None], default=None), '{:.1f} ms',
     lambda v: v <= 100),
    ('overview: `H` → drawn', '≤ 100 ms', lambda r: r.get('overview_open_ms'), '{:.1f} ms', lambda v: v <= 100),
    ('overview: idle CPU', '≤ 0.5 %', lambda r: r.get('overview_cpu_pct'), '{:.2f} %', lambda v: v <= 0.5),
    ('overview: `j` → next output, p99', '≤ 16 ms', lambda r: lat(r, 'overview_key_ms', 99), '{:.1f} ms',
     lambda v: v <= 16),
    ('log view: `l` → first lines, max of 3', '≤ 200 ms',
     lambda r: max([x for x in r.get('log_open_ms') or [] if x is not None], default=None), '{:.1f} ms',
     lambda v: v <= 200),
]


def load(d):
    meta = json.load(open(os.path.join(d, 'meta.json')))
    runs = {}
    for n in meta['sizes']:
        for app in APPS:
            f = os.path.join(d, str(n), app + '.json')
            if os.path.exists(f):
                runs[(app, n)] = json.load(open(f))
    return meta, runs


def report(d):
    meta, runs = load(d)
    sizes = meta['sizes']
    top = max(sizes)
    out = ['Measured %s on %s (%s); one `kterm-sim --scenario scale` per size (20 pods a namespace), '
           'each app alone on it under a 200×50 pty and a 4 GB watchdog; %s s after sync before the keys.'
           % (meta['date'], meta['machine'], meta['load'], meta['idle']), '']
    head = ['P11 measure', 'budget'] + ['%s at %s' % (meta['label_kterm'], f'{n:,}') for n in sizes]
    head.append('within budget at %s' % f'{top:,}')
    out += ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for what, budget, get, fmt, ok in KTERM:
        cells, verdict = [], '—'
        for n in sizes:
            r = runs.get(('kterm', n))
            v = None if r is None or r.get('failed') else get(r)
            cells.append('n/a' if v is None else fmt.format(v))
            if n == top and v is not None:
                verdict = 'yes' if ok(v) else '**no**'
        if r is not None and r.get('failed'):
            verdict = '**no** (%s)' % r['failed']
        out.append('| ' + ' | '.join([what, budget] + cells + [verdict]) + ' |')
    lo = runs.get(('kterm', min(sizes)))
    hi = runs.get(('kterm', top))
    if lo and hi and not lo.get('failed') and not hi.get('failed') and top > min(sizes):
        a = lo.get('rss_hwm_end_kb') or lo['rss_hwm_kb']
        b = hi.get('rss_hwm_end_kb') or hi['rss_hwm_kb']
        slope = (b - a) / (top - min(sizes))
        out.append('| RSS slope %s → %s | ≤ 1 KB a pod | %s | %s |' % (
            f'{min(sizes):,}', f'{top:,}', ' | '.join(['—'] * (len(sizes) - 1) + ['%.2f KB a pod' % slope]),
            'yes' if slope <= 1 else '**no**'))
    out += ['', '| app | pods | outcome | peak RSS | first rows | all counted | idle CPU | LISTs after sync | `j` p99 |',
            '|---|---|---|---|---|---|---|---|---|']
    for app in APPS:
        for n in sizes:
            r = runs.get((app, n))
            if r is None:
                continue
            label = meta.get('label_' + app, app)
            if r.get('failed'):
                rss = r.get('rss_at_fail_kb')
                out.append('| %s | %s | **failed**: %s | %s | %s | — | — | — | — |' % (
                    label, f'{n:,}', r['failed'], 'n/a' if rss is None else '%.0f MB at that point' % mb(rss),
                    'n/a' if r.get('first_rows_s') is None else '%.2f s' % r['first_rows_s']))
                continue
            j = lat(r, 'key_bytes_ms', 99)
            out.append('| %s | %s | ok | %.1f MB | %.2f s | %.2f s | %.2f %% | %d | %s |' % (
                label, f'{n:,}', mb(r.get('rss_hwm_end_kb') or r['rss_hwm_kb']), r['first_rows_s'], r['full_s'],
                r['cpu_pct'], r['lists'], 'n/a' if j is None else '%.1f ms' % j))
    notes = []
    for n in sizes:
        r = runs.get(('kterm', n)) or {}
        for lat_key, cpu_key, label in (('key_bytes_ms', 'key_cpu_wait_ms', '`j`'),
                                        ('filter_bytes_ms', 'filter_cpu_wait_ms', 'filter keystrokes')):
            slow = [(l, c) for l, c in zip(r.get(lat_key) or [], r.get(cpu_key) or []) if l is not None and l > 16]
            if slow:
                notes.append('kterm at %s, %s over 16 ms: %s (latency: kterm\'s CPU + time waiting for a core, '
                             'from schedstat)' % (f'{n:,}', label, ', '.join(
                                 '%.1f ms: %.1f + %.1f ms' % (l, c[0], c[1]) for l, c in slow)))
        if r.get('metrics_polls'):
            notes.append('kterm at %s: %d metrics.k8s.io usage polls in the idle window (the tenants on '
                         'screen, every 15 s; not LISTs)' % (f'{n:,}', r['metrics_polls']))
    out += [''] + ['- ' + n for n in notes]
    p10 = os.path.join(d, str(top), 'p10.md')
    if os.path.exists(p10):
        out += ['', 'P10 at %s pods (benches/p10.sh on the same simulator):' % f'{top:,}', '',
                open(p10).read().strip()]
    return '\n'.join(out)


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    print(report(sys.argv[1]))
