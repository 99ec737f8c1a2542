#!/usr/bin/env python3
"""The Markdown tables of benches/logs.sh from logbench.py's JSON results (standard library only).

  logreport.py META.json RESULT.json...

Latencies are p50/p99 by nearest rank over the presses of the run; "lines sent" is the bytes the
kernel received on the app's log connection divided by the mean line length the simulator writes.
"""
import json, sys

APPS = ('kterm', 'kdash', 'kubetui')
RING = 200_000  # kterm's default ring


def pct(values, q):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


def mb(kb):
    return '—' if kb is None else '%.1f MB' % (kb / 1024)


def msf(v):
    return 'n/a' if v is None else '%.1f ms' % v


def lines(n):
    return '—' if n is None else '{:,}'.format(int(n))


def last_alive(samples, key):
    values = [s[key] for s in samples if s.get(key)]
    return values[-1] if values else None


TS_BYTES = len('2026-12-06T05:41:22.000000000Z ')  # the kubelet's prefix with timestamps=true


def line_bytes(meta, r):
    """Bytes a numbered line takes on the wire for this app's request."""
    per = meta.get('file_line_bytes') or meta['line_bytes']
    return per + (TS_BYTES if 'timestamps=true' in (r.get('log_query') or '') else 0)


def peer_cells(r, meta):
    """The flood columns for a peer: shown, sent, CPU, RSS (a failure says when and why)."""
    samples = r.get('samples', [])
    sent = last_alive(samples, 'sent_bytes')
    sent_lines = sent / line_bytes(meta, r) if sent else None
    secs = samples[-1]['t'] if samples else None
    shown = r.get('top_seq')
    fail = r.get('failed')
    when = ' at %.0f s' % secs if fail and secs else ''
    c = {
        'rate': '%s lines/s shown (%s in %.0f s)' % (lines(shown / secs), lines(shown), secs)
        if shown and secs else 'n/a',
        'sent': '≈ ' + lines(sent_lines) if sent_lines else 'n/a',
        'lost': ('%s of ≈ %s sent not yet shown (%.0f %%)' % (lines(sent_lines - shown), lines(sent_lines),
                                                            100 * (sent_lines - shown) / sent_lines)
                 if sent_lines and shown is not None else 'n/a'),
        'cpu': 'n/a' if r.get('cpu') is None else '%.2f' % r['cpu'],
        'rss': mb(r.get('rss_60s_kb')) if not fail else '%s, then **killed**%s' % (mb(last_alive(samples, 'rss_kb')), when),
    }
    if fail:
        c['rate'] += ' — **%s%s**' % (fail, when)
    counts = [s.get('count') for s in samples if s.get('count')]
    if counts:
        c['lost'] += '; its counter: %s' % counts[-1]
    return c


def kterm_cells(r, meta):
    secs = r.get('flood_s')
    last = r.get('file_last_seq')
    hist = r.get('history_lines')
    sent = r.get('sent_bytes')
    sent_lines = sent / line_bytes(meta, r) if sent else None
    gaps = r.get('file_gaps')
    lost = 'n/a'
    if gaps is not None and last is not None and r.get('lines') is not None:
        missing = last + (hist or 0) - r['lines']
        lost = '%d gaps in the saved ring (seq %s–%s); header %s lines = last seq %s + %s history lines %s; ' \
               '"%s oldest dropped" shown' % (gaps, lines(r.get('file_first_seq')), lines(last), lines(r['lines']),
                                              lines(last), lines(hist), '(0 missing)' if missing == 0
                                              else '(**%d missing**)' % missing, lines(r.get('dropped')))
    elif r.get('save_failed'):
        lost = 'save failed: ' + r['save_failed']
    keys = [k[1] for k in r.get('flood_keys_ms', [])]
    return {
        'rate': '%s lines/s (%s in %.0f s)' % (lines(last / secs), lines(last), secs) if last and secs else 'n/a',
        'sent': '≈ ' + lines(sent_lines) if sent_lines else 'n/a',
        'lost': lost,
        'cpu': 'n/a' if r.get('flood_cpu') is None else '%.2f' % r['flood_cpu'],
        'rss': '%s (base %s; peak %s)' % (mb(r.get('rss_60s_kb')), mb(r.get('base_rss_kb')), mb(r.get('hwm_kb'))),
        'keys': '%s / %s (%d presses, %d unanswered in 2 s)' % (msf(pct(keys, 50)), msf(pct(keys, 99)), len(keys),
                                                                sum(1 for k in keys if k is None)),
    }


def report(meta, results):
    runs = {r['app']: r for r in results if r.get('kind') in ('kterm', 'peer')}
    k = runs.get('kterm')
    if k and k.get('file_lines'):
        meta = dict(meta, file_line_bytes=k['file_bytes'] / k['file_lines'])
    ring = next((r for r in results if r.get('kind') == 'ring'), None)
    apps = [a for a in APPS if a in runs]
    out = ['Measured %s on %s (%s); simulator `--log-rate %s`, one pod, each app %s s in its log view, '
           '%s×%s pty; numbered lines are ≈ %.1f bytes (+ %d with timestamps).'
           % (meta['date'], meta['machine'], meta['load'], '{:,}'.format(meta['rate']), meta['seconds'], meta['cols'],
              meta['rows'], meta.get('file_line_bytes') or meta['line_bytes'], TS_BYTES), '']
    head = ['measure', 'budget'] + [meta.get('label_' + a, a) for a in apps]
    out += ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    cells = {a: kterm_cells(runs[a], meta) if a == 'kterm' else peer_cells(runs[a], meta) for a in apps}
    rows = [('rate', 'lines received (kterm: last seq) / shown (peers: highest seq on screen)', '≥ 100,000 lines/s'),
            ('sent', 'lines the simulator sent (bytes on the log connection ÷ line length)', '—'),
            ('lost', 'lines lost', '0 gaps, or a visible drop counter'),
            ('cpu', 'CPU over the flood, fraction of one core', '< 1'),
            ('rss', 'RSS after the flood', 'kterm ≤ base + 1.5× the ring\'s raw bytes')]
    for key, what, budget in rows:
        out.append('| ' + ' | '.join([what, budget] + [cells[a].get(key, '—') for a in apps]) + ' |')
    if k:
        ring_raw = k.get('file_bytes')
        ok = lambda v, b: '' if v is None else (' ✓' if v <= b else ' **✗**')
        search = [s[1] for s in k.get('search_n_ms', [])]
        filt = [f[1] for f in k.get('filter_ms', [])]
        enter = (k.get('search_enter_ms') or [None, None])[1]
        out += ['', '| kterm | budget | measured |', '|---|---|---|',
                '| `l` → first log lines on screen | ≤ 200 ms | %s%s |' % (msf(k.get('l_first_lines_ms')),
                                                                         ok(k.get('l_first_lines_ms'), 200)),
                '| key → frame during the flood (`k`/`G`), p50 / p99 | p99 ≤ 50 ms | %s%s |'
                % (cells['kterm']['keys'], ok(pct([x[1] for x in k.get('flood_keys_ms', [])], 99), 50)),
                '| search of the full ring: `/ERROR` enter → frame | ≤ 100 ms | %s%s |' % (msf(enter), ok(enter, 100)),
                '| search nothing matches (every line of the full ring read) → its sentence | ≤ 100 ms | %s%s |'
                % (msf((k.get('search_none_ms') or [None, None])[1]), ok((k.get('search_none_ms') or [None, None])[1], 100)),
                '| `n` → next match drawn, median / max of %d | ≤ 100 ms | %s / %s%s |'
                % (len(search), msf(pct(search, 50)), msf(pct(search, 100)), ok(pct(search, 100), 100)),
                '| filter keystroke (`&` then `ERROR`) → only matching lines, median / max of %d | ≤ 50 ms | %s / %s%s |'
                % (len(filt), msf(pct(filt, 50)), msf(pct(filt, 100)), ok(pct(filt, 100), 50))]
        if ring_raw and k.get('rss_60s_kb') and k.get('base_rss_kb'):
            budget = k['base_rss_kb'] + 1.5 * ring_raw / 1024
            out.append('| RSS after the flood vs base + 1.5× the ring\'s raw bytes (%s lines, %s) | ≤ %s | %s%s |'
                       % (lines(k.get('file_lines')), mb(ring_raw / 1024), mb(budget), mb(k['rss_60s_kb']),
                          ok(k['rss_60s_kb'], budget)))
        if k.get('samples'):
            out.append('| RSS / CPU every 10 s of the flood | — | %s |' % ', '.join(
                '%s / %.2f' % (mb(s['rss_kb']), s['cpu'] or 0) for s in k['samples']))
    if ring:
        s = ring.get('samples', [])
        full = next((x for x in s if x.get('dropped')), None)
        out += ['', 'Ring at `--log-rate %s` for %s s (kterm alone): RSS every 10 s:' % ('{:,}'.format(meta['ring_rate']), meta['ring_seconds']), '',
                ', '.join('%d s %s' % (x['t'], mb(x['rss_kb'])) for x in s)]
        if full:
            after = [x['rss_kb'] for x in s if x['t'] >= full['t'] and x['rss_kb']]
            out += ['', 'Ring full from %d s (%s lines, %s dropped); from then on RSS %s … %s, last %s (%+.1f MB over '
                    '%d s); peak (VmHWM) %s.' % (full['t'], lines(full['lines']), lines(full['dropped']), mb(min(after)),
                                                  mb(max(after)), mb(after[-1]), (after[-1] - after[0]) / 1024,
                                                  s[-1]['t'] - full['t'], mb(ring.get('hwm_kb')))]
            per = meta.get('file_line_bytes') or meta['line_bytes']
            if ring.get('base_rss_kb'):
                raw = RING * per / 1024
                out.append('Budget: base %s + 1.5× the ring\'s ≈ %s of raw lines = %s.'
                           % (mb(ring['base_rss_kb']), mb(raw), mb(ring['base_rss_kb'] + 1.5 * raw)))
        if ring.get('failed'):
            out.append('**ring run failed: %s**' % ring['failed'])
    return '\n'.join(out)


def main():
    meta = json.load(open(sys.argv[1]))
    print(report(meta, [json.load(open(f)) for f in sys.argv[2:]]))


if __name__ == '__main__':
    main()
