// A committed notebook as a static page, opened with JavaScript disabled.
//
// `jupyter nbconvert --to html` renders the notebook as nbviewer does (nbviewer
// is nbconvert behind a web server); Chromium opens the file with scripts off,
// as GitHub, nbviewer with scripts blocked, or a mail attachment would show
// it. What is left is each output's static form: the place to check that the
// training player's fallback is visible without its script.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { NotebookView } from './jupyterlab.mjs';

const run = promisify(execFile);

/**
 * Renders `file` (the committed .ipynb, read only) to HTML in `outDir` and opens
 * it in a new browser context with JavaScript disabled. Returns a
 * NotebookView whose cells are the committed cells, marked in the page with
 * data-nbtest-cell like the JupyterLab views.
 */
export async function openStatic(browser, repo, file, rel, committed, outDir, { viewport = { width: 1280, height: 900 } } = {}) {
    const started = Date.now();
    const jupyter = path.join(repo, '.venv', 'bin', 'jupyter');
    const name = path.basename(file, '.ipynb');
    try {
        await run(jupyter, ['nbconvert', '--to', 'html', '--output-dir', outDir, '--output', name, file], { timeout: 120_000 });
    } catch (e) {
        throw new Error(`${rel}: jupyter nbconvert --to html failed: ${e.stderr || e.message}`);
    }
    const context = await browser.newContext({ viewport, javaScriptEnabled: false });
    const page = await context.newPage();
    const external = [];
    const pageErrors = [];
    // nbconvert's page names require.js and MathJax on a CDN; scripts are off,
    // and nothing may leave the machine anyway.
    await page.route(
        (url) => url.protocol !== 'file:' && !['data:', 'blob:'].includes(url.protocol),
        (route) => {
            external.push(route.request().url());
            return route.abort('blockedbyclient');
        },
    );
    await page.goto(pathToFileURL(path.join(outDir, `${name}.html`)).href);
    const view = new NotebookView(page, rel, { external, pageErrors });
    const ids = committed.cells.map((c) => c.id ?? null);
    const missing = await page.evaluate((cellIds) => {
        const lost = [];
        cellIds.forEach((id, index) => {
            const node = id && document.getElementById(`cell-id=${id}`);
            if (node) node.dataset.nbtestCell = String(index);
            else lost.push(index);
        });
        return lost;
    }, ids);
    view.cells = committed.cells.map((c, index) => ({
        index,
        type: c.cell_type,
        source: Array.isArray(c.source) ? c.source.join('') : (c.source ?? ''),
        tags: c.metadata?.tags ?? [],
    }));
    for (const index of missing) view.problem(index, "nbconvert's page has no element for this cell (id=\"cell-id=<its id>\")");
    view.seconds = (Date.now() - started) / 1000;
    return view;
}
