// The browser test's own checks, on small pages made here: each check must
// catch what it is for (a broken, blank, hidden or untrusted SVG; an error
// output; a panic; a cell that did not run; a wrong kernel; a request off the
// machine) and must pass what is fine. Runs in a few seconds, without JupyterLab.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { checkRun, checkSvgs, panicSummary, pictureChanges } from './checks.mjs';
import { NotebookView, report } from './jupyterlab.mjs';
import { launchChromium } from './lab.mjs';

let browser;
before(async () => {
    browser = await launchChromium();
});
after(async () => {
    await browser?.close();
});

const svg = (body) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">${body}</svg>`;
const PLOT = svg('<rect width="200" height="100" fill="#fff"/><path d="M0 90 L100 20 L200 60" stroke="#1f77b4" stroke-width="3" fill="none"/>');
const BLANK = svg('<rect width="200" height="100" fill="#fff"/>');
const img = (markup, style = '') => `<img style="${style}" src="data:image/svg+xml,${encodeURIComponent(markup)}">`;
const output = (inner, mime = 'image/svg+xml') => `<div class="jp-OutputArea"><div class="jp-OutputArea-output" data-mime-type="${mime}">${inner}</div></div>`;

/** A committed notebook of `n` code cells, each with an SVG output unless `withSvg` says otherwise. */
function notebook(n, { withSvg = () => true, kernel = 'rust-nn' } = {}) {
    return {
        metadata: { kernelspec: { name: kernel } },
        cells: Array.from({ length: n }, (_, i) => ({
            cell_type: 'code',
            source: [`plot_${i}()`],
            outputs: withSvg(i) ? [{ output_type: 'display_data', data: { 'image/svg+xml': PLOT } }] : [],
        })),
    };
}

async function viewOf(html, cells) {
    const page = await browser.newPage();
    await page.setContent(html);
    const view = new NotebookView(page, 'notebooks/fixture.ipynb', { external: [], pageErrors: [] });
    view.cells = cells.map((source, index) => ({ index, type: 'code', source, tags: [] }));
    return view;
}

const messages = (view, index) => view.problems.filter((p) => p.index === index).map((p) => p.message);

test('checkSvgs passes a rendered SVG and catches broken, blank, untrusted and hidden ones', async () => {
    const cells = [
        output(img(PLOT)), // 0: fine
        output(img('<svg xmlns="http://www.w3.org/2000/svg"><rect')), // 1: markup the browser cannot decode
        output(img(BLANK)), // 2: decodes, but nothing is drawn
        output('Cannot display an untrusted SVG. Maybe you need to run the cell?'), // 3: a message instead of the picture
        output(img(PLOT, 'display:none')), // 4: takes no space
        output(PLOT), // 5: inline <svg>, fine
        output('<pre>[1, 2]</pre>', 'text/plain'), // 6: the SVG is missing altogether
    ];
    const html = cells.map((c, i) => `<div data-nbtest-cell="${i}">${c}</div>`).join('\n');
    const view = await viewOf(html, cells.map((_, i) => `plot_${i}()`));
    await checkSvgs(view, notebook(cells.length));
    await view.page.close();

    assert.deepEqual(messages(view, 0), []);
    assert.match(messages(view, 1).join(), /did not render: the browser could not decode it/);
    assert.match(messages(view, 2).join(), /is blank/);
    assert.match(messages(view, 3).join(), /shows no SVG picture.*Cannot display an untrusted SVG/);
    assert.match(messages(view, 4).join(), /takes no space on the page \(0 × 0 px\)/);
    assert.deepEqual(messages(view, 5), []);
    assert.match(messages(view, 6).join(), /shows no SVG picture \(outputs shown: text\/plain\)/);
});

test('checkRun catches error outputs, panics, cells that did not run, a wrong kernel and requests off the machine', async () => {
    const view = new NotebookView(null, 'notebooks/fixture.ipynb', {
        external: ['https://cdn.example/player.js'],
        pageErrors: ['TypeError: x is undefined'],
    });
    view.kernel = { name: 'rust', displayName: 'Rust' };
    const cell = (index, fields) => ({ index, type: 'code', tags: [], executionCount: index + 1, outputs: [], outputText: '', source: `cell_${index}()`, ...fields });
    view.cells = [
        cell(0, {}),
        cell(1, {
            outputs: [
                { type: 'error', ename: 'Error', evalue: 'mismatched types', traceback: ['\x1b[31merror[E0308]\x1b[0m: mismatched types'] },
                { type: 'error', ename: 'Error', evalue: 'cannot find value `x`' },
            ],
        }),
        cell(2, { outputText: "thread '<unnamed>' panicked at src/lib.rs:3:5:\nindex out of bounds\nnote: run with `RUST_BACKTRACE=1`" }),
        cell(3, { executionCount: null }),
        cell(4, { tags: ['raises-exception'], outputs: [{ type: 'error', ename: 'Error', evalue: 'expected' }] }),
        cell(5, { executionCount: null }),
    ];
    await checkRun(view, notebook(6, { withSvg: () => false, kernel: 'rust' }));

    assert.deepEqual(messages(view, 0), []);
    assert.equal(messages(view, 1).join(), 'error output: Error: mismatched types\nerror[E0308]: mismatched types\nand 1 more error output(s): cannot find value `x`');
    assert.equal(messages(view, 2).join(), "panicked:\nthread '<unnamed>' panicked at src/lib.rs:3:5:\nindex out of bounds");
    assert.equal(messages(view, 3).join(), 'it did not run (and 1 later code cell(s): 5): no execution count; "Run All Cells" stopped before it');
    assert.deepEqual(messages(view, 4), []);
    assert.deepEqual(messages(view, 5), []);
    const whole = messages(view, null).join('\n');
    assert.match(whole, /metadata names the kernel 'rust', not 'rust-nn'/);
    assert.match(whole, /JupyterLab started the kernel 'rust'/);
    assert.match(whole, /the page threw: TypeError: x is undefined/);
    assert.match(whole, /asked for https:\/\/cdn\.example\/player\.js/);

    // The report names notebook, cell index and first line.
    assert.match(report(view.name, view.problems), /^- fixture\.ipynb, cell index 1 \(cell_1\(\)\): error output/m);
});

test('panicSummary keeps the panic message and drops the backtrace note', () => {
    assert.equal(panicSummary('ok\n'), '');
    assert.equal(panicSummary("thread 'main' panicked at a.rs:1:1:\nboom\nstack backtrace:\n 0: x"), "thread 'main' panicked at a.rs:1:1:\nboom");
});

test('findOutputs and pictureChanges: a slider that redraws, and one that does not', async () => {
    const player = (id, script) => `
        <div data-nbtest-cell="${id}"><div class="jp-OutputArea"><div class="jp-OutputArea-output" data-mime-type="text/html">
          <input type="range" min="0" max="10" value="0"><span class="epoch">epoch 0</span>
          ${svg('<rect width="200" height="100" fill="#eee"/><rect class="bar" width="10" height="100" fill="#1f77b4"/>')}
          <script>${script}</script>
        </div></div></div>`;
    const live = `{ const o = document.currentScript.parentElement, s = o.querySelector('input');
        s.addEventListener('input', () => { o.querySelector('.bar').setAttribute('width', 10 + 19 * s.value); o.querySelector('.epoch').textContent = 'epoch ' + s.value; }); }`;
    const view = await viewOf(`<div data-nbtest-cell="0"><div class="jp-OutputArea"><div class="jp-OutputArea-output">text</div></div></div>${player(1, live)}${player(2, '')}`, [
        'text',
        'live',
        'dead',
    ]);
    const found = await view.findOutputs('input[type=range]');
    assert.deepEqual(
        found.map((f) => f.index),
        [1, 2],
    );
    // The picture compared is the drawing, not the whole output: the slider's own thumb moves anyway.
    const [live_, dead] = found.map((f) => f.locator);
    assert.equal(await pictureChanges(live_.locator('svg'), () => live_.locator('input').fill('5')), true);
    assert.equal(await live_.locator('.epoch').textContent(), 'epoch 5');
    assert.equal(await pictureChanges(live_.locator('svg'), () => live_.locator('input').press('ArrowRight')), true);
    assert.equal(await pictureChanges(dead.locator('svg'), () => dead.locator('input').fill('5'), { timeoutMs: 500 }), false);
    await view.page.close();
});
