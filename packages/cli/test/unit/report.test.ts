import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { report } from '../../src/commands/runs.js';
import { aggregateSeries, overlayChart, runCharts } from '../../src/runs/charts.js';
import type { RunRecord } from '../../src/runs/record.js';
import { renderReport } from '../../src/runs/report.js';
import { testIo } from '../helpers/io.js';
import { needTools } from '@ecs-pulse/test-tools';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'runs');
const load = (id: string): RunRecord => JSON.parse(readFileSync(path.join(FIXTURES, id, 'result.json'), 'utf8')) as RunRecord;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-pulse-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Method: runCharts', () => {
  it('draws bandwidth over time with the aggregate and the advertised line', () => {
    const [bw] = runCharts(load('net-20261201T100000Z'), 'r');
    expect(bw).toMatchObject({ id: 'r-bandwidth', type: 'line' });
    expect(bw?.series.map((s) => s.name)).toEqual([
      'client 1 (i-client0001) up',
      'client 2 (i-client0002) up',
      'client 1 (i-client0001) down',
      'client 2 (i-client0002) down',
      'aggregate up',
      'aggregate down',
      'advertised',
    ]);
    expect(bw?.series.at(-1)?.points).toEqual([[0, 800], [10, 800]]);
    expect(bw?.points).toBe(6 * 10 + 2);
  });

  it('sums clients over their common interval window', () => {
    expect(aggregateSeries([{ points: [[1, 10], [2, 20], [3, 30]] }, { points: [[1.1, 1], [2.1, 2]] }])).toEqual([[1.1, 11], [2.1, 22]]);
  });

  it('has charts for latency, its distribution, pps, server CPU and stress', () => {
    expect(runCharts(load('net-20261201T100000Z'), 'r').map((c) => [c.id, c.points])).toEqual([
      ['r-bandwidth', 62],
      ['r-latency', 12],
      ['r-latency-distribution', 6],
      ['r-pps', 3],
      ['r-server-cpu', 3],
      ['r-cpu-series', 6],
    ]);
    expect(runCharts(load('stress-20261201T110000Z'), 's').map((c) => [c.id, c.title, c.points])).toEqual([
      ['s-cpu-series', 'Host CPU over time', 7],
      ['s-stress', 'Bogo-ops per second per vCPU', 2],
    ]);
    expect(overlayChart([load('net-20261201T100000Z')])?.series).toHaveLength(2);
    expect(overlayChart([load('stress-20261201T110000Z')])).toBeUndefined();
  });
});

describe('Method: renderReport', () => {
  it('is one self-contained file: no external script, style, image or link', () => {
    const html = renderReport([load('net-20261201T100000Z'), load('net-20261202T100000Z')]);
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('Chartist');
    expect(html).toContain('net-20261201T100000Z → net-20261202T100000Z');
    expect(html).toMatch(/class="v-worse"><td>bandwidth aggregate up<\/td>/);
  });

  it('escapes run text in HTML and in the inline data', () => {
    const evil = { ...load('net-20261201T100000Z'), stack: '<img src=x onerror=alert(1)>', net: { ...load('net-20261201T100000Z').net!, warnings: ['</script><script>alert(1)</script>'] } };
    const html = renderReport([evil as RunRecord]);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('</script><script>alert(1)');
  });
});

describe('Command: report', () => {
  beforeEach(() => cpSync(FIXTURES, path.join(dir, 'results'), { recursive: true }));

  it('writes the file and refuses to overwrite one without --force', async () => {
    const io = testIo({}, dir);
    const file = await report({ ...io, results: 'results', runs: ['net-20261201T100000Z', 'latest'], out: 'r.html' });
    expect(file).toBe(path.join(dir, 'r.html'));
    expect(io.stdout.text()).toBe('wrote r.html (2 run(s))\n');
    writeFileSync(path.join(dir, 'mine.html'), 'mine');
    await expect(report({ ...testIo({}, dir), results: 'results', runs: ['latest'], out: 'mine.html' })).rejects.toMatchObject({ code: 'USAGE' });
    expect(readFileSync(path.join(dir, 'mine.html'), 'utf8')).toBe('mine');
    await report({ ...testIo({}, dir), results: 'results', runs: ['latest'], out: 'mine.html', force: true });
    expect(readFileSync(path.join(dir, 'mine.html'), 'utf8')).toContain('<!doctype html>');
  });
});

// ---- real headless Chromium -------------------------------------------------------------------
const CHROMIUM = process.env.ECS_PULSE_CHROMIUM ?? 'chromium';
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');
const browser = needTools(['chromium']);

browser.describe('Report in headless Chromium', () => {
  it.each(['light', 'dark'] as const)('renders every chart with all its data points, no errors, no requests (%s)', async (scheme) => {
    const { chromium } = await import('playwright-core');
    const html = renderReport([load('net-20261201T100000Z'), load('net-20261202T100000Z'), load('stress-20261201T110000Z')]);
    const file = path.join(dir, 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM.includes('/') ? CHROMIUM : execFileSync('sh', ['-c', `command -v ${CHROMIUM}`], { encoding: 'utf8' }).trim(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => {
        if (r.url() !== `file://${file}`) requests.push(r.url());
      });
      await page.goto(`file://${file}`);
      await page.waitForFunction("document.documentElement.getAttribute('data-charts-drawn') !== null");
      const charts = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => ({
          id: f.id,
          expected: Number(f.getAttribute('data-expected-points')),
          drawn: f.querySelectorAll('.plot .ct-point, .plot .ct-bar').length,
          legend: f.querySelectorAll('.legend li').length,
          rows: f.querySelectorAll('.data-table tr').length - 1,
        })),
      );
      expect(charts.length).toBe(15);
      for (const c of charts) {
        expect(c.drawn, c.id).toBe(c.expected);
        expect(c.expected, c.id).toBeGreaterThan(0);
        expect(c.rows, c.id).toBe(c.expected);
        expect(c.legend, c.id).toBeGreaterThan(0);
      }
      expect(await page.$$eval('table.compare tr.v-worse', (r) => r.length)).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `report-${scheme}-full.png`), fullPage: true });
      // the first run's charts: the picture in the CLI README (docs/report.png) is this file
      await page.locator('section.run .charts').first().screenshot({ path: path.join(ARTIFACTS, `report-${scheme}.png`) });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
