// The browser test: every notebooks/*.ipynb opened in JupyterLab in headless
// Chromium, run from the UI, and checked for what a learner sees.
//
// One test per notebook, in file-name order. Each opens a copy of the notebook
// (lab.mjs) in a fresh workspace, waits for the kernel, runs "Run All Cells",
// checks it (checks.mjs: kernel rust-nn, every cell ran, no error output, no
// "panicked at", every SVG of the committed notebook rendered, no request off
// the machine), saves a picture of its first plot in target/browser/ and
// shuts its kernel down. A last test checks that the committed notebooks did
// not change.
//
//   node --test-reporter=spec tests/browser/notebooks.test.mjs   (test.sh runs it last)
//
// Environment:
//   NBTEST_NOTEBOOKS="01 07"  only the notebooks whose file names contain one of the words
//   NBTEST_NO_SCRIPT="06"     also check these notebooks' static page with JavaScript off
//   NBTEST_TIMEOUT=600        seconds one notebook's run may take (a cold build takes minutes)
//   NBTEST_JOBS=2             notebooks open at once, each in its own tab with its own kernel
//
// Adding checks for one notebook (the training player, for instance): give it
// an entry in EXTRAS below. `lab` checks get the NotebookView after the run in
// JupyterLab; `noScript` checks get the view of nbconvert's page of the
// committed notebook with JavaScript disabled (static.mjs). A check records
// problems with view.problem(cellIndex, message); view.findOutputs(selector)
// finds outputs, pictureChanges(locator, action) tells whether an action
// changed what an output shows, screenshot(locator, file) keeps a picture.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { execFileSync } from 'node:child_process';

import { checkRun, checkSvgs, pictureChanges, readNotebook, screenshot, svgCells } from './checks.mjs';
import { openNotebook, report } from './jupyterlab.mjs';
import { launchChromium, startLab } from './lab.mjs';
import { openStatic } from './static.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(REPO, 'target', 'browser');
const TIMEOUT_S = Number(process.env.NBTEST_TIMEOUT ?? 600);
const JOBS = Math.max(1, Number(process.env.NBTEST_JOBS ?? 2));
const VIEWPORT = { width: 1280, height: 900 };

// Per-notebook checks on top of those every notebook gets (see the header).
const EXTRAS = {
    // The committed notebook on a static page with scripts off still shows its
    // plots, and the training players their stills; run in JupyterLab, the
    // players play.
    '07-classification.ipynb': { lab: [checkPlayers], noScript: [checkSvgs, checkPlayerStills] },
};

/** Cells whose committed outputs hold a training player (nn::plot::Player). */
function playerCells(committed) {
    return committed.cells.flatMap((cell, index) =>
        (cell.outputs ?? []).some((o) => String(o.data?.['text/html'] ?? '').includes('class="nn-player"')) ? [index] : [],
    );
}

/**
 * Each player is drawn (its controls and a frame, the still gone); on the
 * first one, moving the slider and pressing → change the picture and the
 * epoch text, and play advances by itself. A picture of it goes to
 * target/browser/player.png.
 */
async function checkPlayers(view, committed) {
    const expected = playerCells(committed);
    const found = await view.findOutputs('.nn-player');
    const cells = found.map((f) => f.index);
    for (const index of expected) if (!cells.includes(index)) view.problem(index, 'the committed notebook has a training player here, but the page shows none');
    for (const { index, locator } of found) {
        const player = locator.locator('.nn-player');
        const drawn = await player.evaluate((p) => ({
            controls: !!p.querySelector('.nn-controls input[type=range]') && !!p.querySelector('.nn-play'),
            still: !!p.querySelector('.nn-still'),
            frame: p.querySelector('.nn-frame svg')?.getBoundingClientRect().width ?? 0,
            loss: p.querySelector('.nn-loss svg')?.getBoundingClientRect().width ?? 0,
            text: p.querySelector('.nn-text')?.textContent ?? '',
        }));
        if (!drawn.controls || drawn.still || !(drawn.frame > 100) || !(drawn.loss > 100) || !/^epoch \d+ of \d+/.test(drawn.text)) {
            view.problem(index, `the player is not drawn (its script did not run?): ${JSON.stringify(drawn)}`);
        }
    }
    if (!found.length || view.problems.length) return;
    const { index, locator } = found[0];
    const player = locator.locator('.nn-player');
    const frame = player.locator('.nn-frame').first();
    const slider = player.locator('input[type=range]');
    const epoch = () => player.getAttribute('data-epoch');
    const text = () => player.locator('.nn-text').textContent();
    await player.scrollIntoViewIfNeeded();
    const steps = [
        ['moving the slider', () => slider.fill('10')],
        ['pressing →', async () => {
            await frame.click();
            await view.page.keyboard.press('ArrowRight');
        }],
    ];
    for (const [what, action] of steps) {
        const [e0, t0] = [await epoch(), await text()];
        const changed = await pictureChanges(frame, action);
        const [e1, t1] = [await epoch(), await text()];
        if (!changed) view.problem(index, `${what} did not change the picture`);
        if (e1 === e0 || t1 === t0) view.problem(index, `${what} did not change the epoch (${t0} → ${t1})`);
    }
    await slider.fill('0');
    const before = Number(await epoch());
    await player.locator('.nn-play').click();
    await view.page.waitForTimeout(1600); // 4 snapshots a second
    const after = Number(await epoch());
    await player.locator('.nn-play').click(); // pause
    if (!(after > before)) view.problem(index, `play did not advance: epoch ${before} → ${after} in 1.6 s`);
    await slider.fill('20');
    await screenshot(player, path.join(OUT, 'player.png'));
    console.log(`${view.name}: player (cell index ${index}) → ${path.relative(REPO, path.join(OUT, 'player.png'))}`);
}

/** With scripts off, each player's still (an SVG in an <img>) is visible and painted. */
async function checkPlayerStills(view, committed) {
    for (const index of playerCells(committed)) {
        const still = view.page.locator(`[data-nbtest-cell="${index}"] .nn-still img`).first();
        const r = await still
            .evaluate(async (img) => {
                await img.decode();
                const rect = img.getBoundingClientRect();
                return { width: img.naturalWidth, shown: rect.width * rect.height > 0, src: img.src.slice(0, 26) };
            })
            .catch((e) => ({ error: String(e.message ?? e) }));
        if (r.error || !(r.width > 100) || !r.shown || !r.src.startsWith('data:image/svg+xml;base64,')) {
            view.problem(index, `the player's still is not visible with JavaScript off: ${JSON.stringify(r)}`);
        }
    }
    const [first] = playerCells(committed);
    if (first != null) {
        await screenshot(view.page.locator(`[data-nbtest-cell="${first}"] .nn-still`).first(), path.join(OUT, 'player.no-script.png'));
    }
}

const words = (v) => (v ?? '').split(/[\s,]+/).filter(Boolean);
const only = words(process.env.NBTEST_NOTEBOOKS);
const noScriptToo = words(process.env.NBTEST_NO_SCRIPT);
const NOTEBOOKS = fs
    .readdirSync(path.join(REPO, 'notebooks'))
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .filter((f) => !only.length || only.some((w) => f.includes(w)));

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const committedHashes = Object.fromEntries(NOTEBOOKS.map((f) => [f, sha256(path.join(REPO, 'notebooks', f))]));
const times = [];
const started = Date.now();
let lab;
let browser;

before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    const t = Date.now();
    lab = await startLab({ repo: REPO, notebooks: NOTEBOOKS.map((f) => `notebooks/${f}`) });
    browser = await launchChromium();
    console.log(`JupyterLab at ${lab.baseUrl} (serving ${lab.root}), Chromium ${browser.version()}: ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
});

after(async () => {
    await browser?.close();
    await lab?.stop();
    if (times.length) {
        const width = Math.max(...times.map(([n]) => n.length));
        console.log('\nbrowser test times');
        for (const [n, s] of times) console.log(`  ${n.padEnd(width)}  ${s.toFixed(1).padStart(6)} s`);
        console.log(`  ${'sum'.padEnd(width)}  ${times.reduce((a, [, s]) => a + s, 0).toFixed(1).padStart(6)} s (${JOBS} at a time)`);
        console.log(`  ${'wall clock'.padEnd(width)}  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s (with JupyterLab's start and stop)`);
    }
});

/** Fails the test with the report of `problems`, naming notebook, cell index and first line. */
function failOn(name, problems) {
    if (!problems.length) return;
    const e = new Error(report(name, problems));
    e.stack = e.message; // the report says where; the test runner's stack would not
    throw e;
}

// Two notebooks at a time keep both cores busy: while one kernel compiles a
// cell, the other tab loads JupyterLab or starts its kernel (measured on a
// busy machine: 449 s one at a time at load 4-6, 365 s two at a time at load 6-9).
describe('notebooks in JupyterLab', { concurrency: JOBS }, () => {
    for (const name of NOTEBOOKS) {
        const rel = `notebooks/${name}`;
        const file = path.join(REPO, rel);
        const stem = name.replace(/\.ipynb$/, '');
        const extras = EXTRAS[name] ?? {};

        test(name, { timeout: (TIMEOUT_S + 180) * 1000 }, async () => {
            const committed = readNotebook(file);
            const failureScreenshot = path.join(OUT, `${stem}.failure.png`);
            fs.rmSync(failureScreenshot, { force: true });
            const view = await openNotebook(browser, lab, rel, { timeoutMs: TIMEOUT_S * 1000, failureScreenshot, viewport: VIEWPORT });
            try {
                await checkRun(view, committed);
                for (const check of extras.lab ?? []) await check(view, committed);
                await screenshotFirstPlot(view, committed, path.join(OUT, `${stem}.first-plot.png`));
                if (view.problems.length) await view.page.screenshot({ path: failureScreenshot, fullPage: false }).catch(() => {});
            } finally {
                const left = await view.close();
                if (left) view.problem(null, `its kernel was still running after it was shut down (${left} session(s))`);
            }
            const p = view.phases;
            console.log(
                `${name}: ${view.seconds.toFixed(1)} s (JupyterLab ${p.lab?.toFixed(1)} s, kernel idle ${p.kernel?.toFixed(1)} s, ` +
                    `ran ${p.ran?.toFixed(1)} s), ${view.problems.length} problem(s)${slowest(view)}` +
                    view.notes.map((n) => `\n    note: ${n}`).join(''),
            );
            times.push([name, view.seconds]);
            failOn(name, view.problems);
        });

        if (extras.noScript || noScriptToo.some((w) => name.includes(w))) {
            test(`${name}, static page, JavaScript off`, { timeout: 180_000 }, async () => {
                const committed = readNotebook(file);
                const view = await openStatic(browser, REPO, file, rel, committed, lab.tmp, { viewport: VIEWPORT });
                try {
                    for (const check of extras.noScript ?? [checkSvgs]) await check(view, committed);
                    await screenshotFirstPlot(view, committed, path.join(OUT, `${stem}.no-script.first-plot.png`));
                } finally {
                    await view.close();
                }
                times.push([`${name} (static, no JS)`, view.seconds]);
                failOn(`${name} (static page, JavaScript off)`, view.problems);
            });
        }
    }
});

/** A picture of the notebook's first SVG plot, unless that cell already failed. */
async function screenshotFirstPlot(view, committed, file) {
    const [index] = svgCells(committed);
    if (index == null || view.problems.some((p) => p.index === index)) return;
    const picture = view.page.locator(`[data-nbtest-cell="${index}"] .jp-OutputArea-output[data-mime-type="image/svg+xml"] img`).first();
    await screenshot(picture, file);
    console.log(`${view.name}: first plot (cell index ${index}) → ${path.relative(REPO, file)}`);
}

/** ", slowest cells: 4 (12.0 s), 1 (9.9 s)" from the run's timing metadata. */
function slowest(view) {
    const timed = view.cells.filter((c) => c.seconds != null).sort((a, b) => b.seconds - a.seconds);
    return timed.length ? `; slowest cells: ${timed.slice(0, 2).map((c) => `${c.index} (${c.seconds.toFixed(1)} s)`).join(', ')}` : '';
}

// A learner opens a committed notebook before running anything: its plots
// show, because ./kernel-install.sh signs the repository's notebooks with
// `jupyter trust` (JupyterLab draws no SVG of an untrusted notebook). Here a
// fresh copy is signed the same way, in this JupyterLab's own trust database.
const OPENED = NOTEBOOKS.find((f) => svgCells(readNotebook(path.join(REPO, 'notebooks', f))).length);
if (OPENED) {
    test(`${OPENED}, opened as committed after jupyter trust: its plots show without a run`, { timeout: 600_000 }, async () => {
        const committed = readNotebook(path.join(REPO, 'notebooks', OPENED));
        const rel = `notebooks/opened-${OPENED}`;
        fs.copyFileSync(path.join(REPO, 'notebooks', OPENED), path.join(lab.root, rel));
        execFileSync(path.join(REPO, '.venv', 'bin', 'jupyter'), [
            'trust',
            `--NotebookNotary.db_file=${path.join(lab.tmp, 'nbsignatures.db')}`,
            path.join(lab.root, rel),
        ], { stdio: 'pipe' });
        const view = await openNotebook(browser, lab, rel, { run: false, viewport: VIEWPORT });
        try {
            await checkSvgs(view, committed);
        } finally {
            await view.close();
        }
        failOn(`${OPENED} (opened, not run)`, view.problems);
    });
}

// A notebook JupyterLab does not trust (a fresh clone, not yet signed) runs no
// script in its outputs and sanitizes their HTML: the training player's still
// must show there instead of the player.
const UNTRUSTED = NOTEBOOKS.find((f) => playerCells(readNotebook(path.join(REPO, 'notebooks', f))).length);
if (UNTRUSTED) {
    test(`${UNTRUSTED}, opened untrusted: the player's still shows, not the player`, { timeout: 600_000 }, async () => {
        const committed = readNotebook(path.join(REPO, 'notebooks', UNTRUSTED));
        const rel = `notebooks/untrusted-${UNTRUSTED}`;
        // Trust is stored per content, not per file: a byte-identical copy of a
        // notebook signed above would count as trusted. A mark in the metadata
        // makes this copy one nobody signed.
        fs.writeFileSync(path.join(lab.root, rel), JSON.stringify({ ...committed, metadata: { ...committed.metadata, nbtest: 'unsigned copy' } }));
        const view = await openNotebook(browser, lab, rel, { run: false, viewport: VIEWPORT });
        try {
            for (const index of playerCells(committed)) {
                const r = await view.page.evaluate(async (i) => {
                    const cell = document.querySelector(`[data-nbtest-cell="${i}"]`);
                    const img = cell?.querySelector('.jp-OutputArea-output img');
                    if (img) await img.decode().catch(() => {});
                    return { img: img ? img.naturalWidth : -1, controls: !!cell?.querySelector('input[type=range]') };
                }, index);
                if (!(r.img > 100) || r.controls) view.problem(index, `untrusted, the player's still should show and the player should not: ${JSON.stringify(r)}`);
            }
            const [first] = playerCells(committed);
            await screenshot(view.page.locator(`[data-nbtest-cell="${first}"] .jp-OutputArea-output`).first(), path.join(OUT, 'player.untrusted.png'));
        } finally {
            await view.close();
        }
        failOn(`${UNTRUSTED} (opened untrusted, not run)`, view.problems);
    });
}

test('every kernel was shut down', async () => {
    const kernels = await lab.api('kernels');
    if (kernels.length) throw new Error(`${kernels.length} kernel(s) still running: ${kernels.map((k) => `${k.name} ${k.execution_state}`).join(', ')}`);
});

test('the committed notebooks are unchanged', () => {
    const changed = NOTEBOOKS.filter((f) => sha256(path.join(REPO, 'notebooks', f)) !== committedHashes[f]);
    if (changed.length) {
        throw new Error(`the browser test changed committed notebooks (it must only open copies): ${changed.join(', ')}`);
    }
});
