// Drive one notebook in JupyterLab as a learner would, and look at what it shows.
//
// openNotebook() opens a notebook in a fresh workspace, waits for its kernel to
// be idle, clears the outputs and runs every cell with JupyterLab's own "Run
// All Cells" command, waits until that has finished, and returns a
// NotebookView: the page, what each cell holds (its model: source, tags,
// execution count, outputs) and helpers to find outputs, take pictures of them
// and record problems. close() shuts the notebook's kernel down.
//
// Each code cell's node is marked data-nbtest-cell="<index>", the cell's index
// in the notebook file (as in nbcheck.py), so that locators can name a cell.

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

// In-page helpers, defined once per page: find the notebook's panel by path.
function installHelpers() {
    window.__nbtest = {
        panel(path) {
            for (const w of window.jupyterapp.shell.widgets('main')) {
                if (w.context?.path === path && w.content?.model) return w;
            }
            return null;
        },
        dialog() {
            const d = document.querySelector('.jp-Dialog');
            return d ? d.innerText.replace(/\s+/g, ' ').trim() : null;
        },
        run: null,
    };
}

/** What a cell holds, read from JupyterLab's model; marks the code cells' nodes. */
function readCells(path) {
    const panel = window.__nbtest.panel(path);
    return panel.content.widgets.map((cell, index) => {
        const m = cell.model;
        const info = { index, type: m.type, source: m.sharedModel.getSource(), tags: m.getMetadata('tags') ?? [] };
        if (m.type !== 'code') return info;
        cell.node.dataset.nbtestCell = String(index);
        info.executionCount = m.executionCount;
        // With recordTiming on: the kernel's timestamps of this run.
        const t = m.getMetadata('execution') ?? {};
        const start = Date.parse(t['iopub.execute_input']);
        const end = Date.parse(t['shell.execute_reply']);
        info.seconds = Number.isFinite(start) && Number.isFinite(end) ? (end - start) / 1000 : null;
        info.outputs = [];
        for (let i = 0; i < m.outputs.length; i++) {
            const o = m.outputs.get(i).toJSON();
            info.outputs.push({
                type: o.output_type,
                mimes: Object.keys(o.data ?? {}),
                ename: o.ename,
                evalue: o.evalue,
                traceback: o.traceback,
            });
        }
        // All the text the output area shows (textContent: also what is scrolled out of view).
        info.outputText = cell.outputArea?.node.textContent ?? '';
        return info;
    });
}

export class NotebookView {
    constructor(page, rel, { external, pageErrors, lab = null }) {
        this.page = page;
        this.lab = lab; // the server (lab.mjs), for its REST API; null for a static page
        this.rel = rel; // e.g. notebooks/01-initialization.ipynb
        this.name = rel.split('/').pop();
        this.cells = [];
        this.problems = [];
        this.external = external; // requests to anything but the test's JupyterLab (aborted)
        this.pageErrors = pageErrors; // uncaught exceptions in the page
        this.kernel = null; // { name, displayName } of the kernel that ran it
        this.runResult = null; // what "Run All Cells" resolved to (false: a cell failed)
        this.seconds = 0;
        this.notes = []; // what the test had to do that a learner would not
        this.phases = {}; // seconds from opening to: 'lab' (JupyterLab up), 'kernel' (idle), 'cells' (all on the page), 'ran'
    }

    /** Records a problem; `index` is a cell index or null (the whole notebook). */
    problem(index, message) {
        const cell = index == null ? null : this.cells[index];
        this.problems.push({ index, firstLine: cell ? firstLine(cell.source) : '', message });
    }

    /** Locator of cell `index`'s output area. */
    outputArea(index) {
        return this.page.locator(`[data-nbtest-cell="${index}"] .jp-OutputArea`).first();
    }

    /**
     * The outputs (one .jp-OutputArea-output each) that contain `selector`, with
     * their cell index: e.g. findOutputs('input[type=range]') for a player.
     */
    async findOutputs(selector) {
        const found = [];
        for (const cell of this.cells) {
            if (cell.type !== 'code') continue;
            const outputs = this.page.locator(`[data-nbtest-cell="${cell.index}"] .jp-OutputArea-output`).filter({
                has: this.page.locator(selector),
            });
            for (let i = 0, n = await outputs.count(); i < n; i++) found.push({ index: cell.index, locator: outputs.nth(i) });
        }
        return found;
    }

    /**
     * Shuts the notebook's kernel down (JupyterLab's session API, as "Shut Down
     * Kernel" does), closes the page and its browser context, and returns how many of the server's
     * sessions for this notebook are left (0 unless shutting down failed).
     */
    async close() {
        await this.page
            .evaluate(async (p) => {
                const panel = window.__nbtest?.panel(p);
                if (panel?.sessionContext?.session) await panel.sessionContext.shutdown();
            }, this.rel)
            .catch(() => {});
        await this.page.context().close().catch(() => {});
        if (!this.lab) return 0;
        let left = [];
        for (let i = 0; i < 40; i++) {
            left = (await this.lab.api('sessions')).filter((s) => s.path === this.rel);
            if (!left.length) return 0;
            await sleep(250);
        }
        for (const s of left) await this.lab.api(`sessions/${s.id}`, { method: 'DELETE' }).catch(() => {});
        return left.length;
    }
}

// In the page: the notebook's panel, its kernel and any dialog, for a message.
function kernelState(path) {
    const panel = window.__nbtest?.panel(path);
    const kernel = panel?.sessionContext?.session?.kernel;
    return {
        panel: Boolean(panel),
        documentReady: panel?.context.isReady ?? false,
        kernel: kernel ? `${kernel.name}: status ${kernel.status}, connection ${kernel.connectionStatus}` : 'none',
        dialog: window.__nbtest?.dialog() ?? null,
        running: panel ? panel.content.widgets.findIndex((c) => c.model.type === 'code' && c.model.executionState === 'running') : -1,
    };
}

/**
 * Opens `rel` (a path under the server's root) in a fresh workspace, in a page
 * of a new browser context of its own (JupyterLab tabs that share one
 * context's storage fight over their window names). With run: true (the default) it clears the outputs and runs
 * every cell from the UI, waiting up to `kernelTimeoutMs` for the kernel to be
 * idle and up to `timeoutMs` for the run to finish.
 * If JupyterLab or the kernel fails it throws, after a screenshot to
 * `failureScreenshot` (if given) and after shutting the kernel down.
 */
export async function openNotebook(
    browser,
    lab,
    rel,
    { run = true, timeoutMs = 600_000, kernelTimeoutMs = 300_000, failureScreenshot, viewport = { width: 1280, height: 900 } } = {},
) {
    const started = Date.now();
    const page = await (await browser.newContext({ viewport })).newPage();
    const external = [];
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(describeError(e)));
    // Nothing but the test's own server: a notebook or JupyterLab that reaches
    // out (a CDN script, a font, a news feed) is a problem, and it never leaves the machine.
    const local = new URL(lab.baseUrl).origin;
    await page.route(
        (url) => url.origin !== local && !['data:', 'blob:'].includes(url.protocol),
        (route) => {
            external.push(route.request().url());
            return route.abort('blockedbyclient');
        },
    );
    const view = new NotebookView(page, rel, { external, pageErrors, lab });
    const mark = (phase) => (view.phases[phase] = (Date.now() - started) / 1000);
    let doing = 'loading JupyterLab';
    try {
        await page.addInitScript(installHelpers); // in every document the tab loads
        await page.goto(lab.labUrl(rel, `nbtest-${randomBytes(6).toString('hex')}`));
        // JupyterLab takes ?reset by clearing the workspace and loading the page
        // again: wait for the page it settles on, restored.
        for (let tries = 0; ; tries++) {
            try {
                await page.waitForFunction(() => window.jupyterapp?.shell && !/[?&]reset/.test(location.search), null, {
                    timeout: 60_000,
                });
                await page.evaluate(() => window.jupyterapp.restored);
                break;
            } catch (e) {
                if (tries >= 5 || !/context was destroyed|navigat/i.test(e.message)) throw e;
            }
        }
        mark('lab');
        // The tree URL opens the notebook; if the restored layout has not, open it as
        // a double click in the file browser would.
        const opened = await page
            .waitForFunction((p) => Boolean(window.__nbtest.panel(p)), rel, { timeout: 15_000 })
            .then(() => true, () => false);
        if (!opened) {
            view.notes.push('the tree URL did not open the notebook: opened it with docmanager:open');
            await page.evaluate((p) => window.jupyterapp.commands.execute('docmanager:open', { path: p }), rel);
        }

        doing = 'waiting for the notebook and its kernel to be idle';
        // rust-nn compiles the notebook's nn while it starts (a minute and more on a
        // busy machine): JupyterLab shows the kernel as "unknown" until then.
        const clientState = (p) => {
            const dialog = window.__nbtest.dialog();
            if (dialog) return { dialog };
            const panel = window.__nbtest.panel(p);
            const kernel = panel?.sessionContext?.session?.kernel;
            if (!panel?.context.isReady || !kernel) return { kernel: null };
            return {
                status: kernel.status,
                connection: kernel.connectionStatus,
                name: kernel.name,
                displayName: panel.sessionContext.kernelDisplayName,
            };
        };
        // JupyterLab takes the kernel's status only from status messages whose
        // request it tracks; evcxr's "idle" after a kernel_info_request is not one of
        // them, so a client can stay at "unknown" with an idle, connected kernel
        // (seen in CI: 300 s of it) until the first cell runs. A learner then sees
        // "Unknown" and runs the cell, which works; so does the test, after 20 s
        // of the server and the connection both saying the kernel is ready.
        const serverIdle = async () => {
            const sessions = await lab.api('sessions').catch(() => []);
            return sessions.some((x) => x.path === rel && x.kernel?.execution_state === 'idle');
        };
        const deadline = Date.now() + kernelTimeoutMs;
        let unknownSince = null;
        for (;;) {
            const s = await page.evaluate(clientState, rel);
            if (s.dialog) {
                throw new Error(`JupyterLab shows a dialog instead of starting the kernel (is the kernel rust-nn registered? run ./kernel-install.sh): ${s.dialog}`);
            }
            if (s.status === 'idle' && s.connection === 'connected') {
                view.kernel = { name: s.name, displayName: s.displayName };
                break;
            }
            if (s.status === 'unknown' && s.connection === 'connected' && (await serverIdle())) {
                unknownSince ??= Date.now();
                if (Date.now() - unknownSince >= 20_000) {
                    view.kernel = { name: s.name, displayName: s.displayName };
                    view.notes.push('JupyterLab still showed the kernel as "unknown" 20 s after the server had it idle and connected: ran the cells anyway, as a learner would');
                    break;
                }
            } else {
                unknownSince = null;
            }
            if (Date.now() > deadline) {
                throw new Error(`Timeout ${kernelTimeoutMs} ms exceeded (JupyterLab: ${JSON.stringify(s)})`);
            }
            await sleep(250);
        }
        mark('kernel');

        // JupyterLab puts a long notebook's cells on the page a few at a
        // time after it opens; a kernel that was ready at once (the warm
        // one) leaves the later cells still off the page (seen in CI: two
        // plots of 01 "not on the page" in a notebook opened without a run).
        doing = 'waiting for every cell to be on the page';
        await page.waitForFunction((p) => window.__nbtest.panel(p).content.widgets.every((c) => c.node.isConnected), rel, {
            timeout: 60_000,
            polling: 250,
        });
        mark('cells');

        if (run) {
            doing = 'running all cells';
            await page.evaluate(async (p) => {
                const app = window.jupyterapp;
                app.shell.activateById(window.__nbtest.panel(p).id);
                // Clear first, so that every output seen afterwards comes from this run.
                await app.commands.execute('notebook:clear-all-cell-outputs');
                const result = (window.__nbtest.run = { done: false, ok: null, error: null });
                app.commands.execute('notebook:run-all-cells').then(
                    (ok) => Object.assign(result, { done: true, ok }),
                    (e) => Object.assign(result, { done: true, error: String(e) }),
                );
            }, rel);
            // Finished: the command has resolved (it does after the last cell ran,
            // or when a cell failed), the kernel is idle, and no cell shows [*].
            await page.waitForFunction(
                (p) => {
                    const result = window.__nbtest.run;
                    const panel = window.__nbtest.panel(p);
                    if (!result.done || panel.sessionContext.session?.kernel?.status !== 'idle') return false;
                    return !panel.content.widgets.some((c) => c.model.type === 'code' && c.model.executionState === 'running');
                },
                rel,
                { timeout: timeoutMs, polling: 500 },
            );
            view.runResult = await page.evaluate(() => window.__nbtest.run);
            mark('ran');
        }
        await sleep(100); // let the last outputs render
        view.cells = await page.evaluate(readCells, rel);
        view.seconds = (Date.now() - started) / 1000;
        return view;
    } catch (e) {
        const state = await page.evaluate(kernelState, rel).catch(() => null);
        const cells = await page.evaluate(readCells, rel).catch(() => []);
        const cell = state && state.running >= 0 ? cells[state.running] : null;
        if (failureScreenshot) await page.screenshot({ path: failureScreenshot }).catch(() => {});
        const sessions = await lab.api('sessions').catch(() => []);
        const server = sessions.filter((x) => x.path === rel).map((x) => `kernel ${x.kernel?.id}: ${x.kernel?.execution_state}`);
        await view.close();
        const where = cell ? ` at cell index ${cell.index} (${firstLine(cell.source)})` : '';
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        throw new Error(
            `${rel}: failed while ${doing}${where}, after ${seconds} s: ${e.message.split('\n')[0]}\n` +
                `JupyterLab then: ${JSON.stringify(state)}; the server says: ${server.join(', ') || 'no session'}\n` +
                `the end of JupyterLab's log:\n${lab.logTail(15)}`,
        );
    }
}

/** A cell's first non-blank line, shortened, as nbcheck.py names cells. */
export function firstLine(source) {
    const line = source.split('\n').find((l) => l.trim()) ?? '<empty>';
    const t = line.trim();
    return t.length <= 70 ? t : `${t.slice(0, 67)}...`;
}

/** The report of a view's problems: notebook, cell index and first line each. */
export function report(name, problems) {
    const lines = [`${name}: ${problems.length} problem(s)`];
    for (const p of problems) {
        let head = `${name}, ${p.index == null ? 'notebook' : `cell index ${p.index}`}`;
        if (p.firstLine) head += ` (${p.firstLine})`;
        lines.push(`- ${head}: ${p.message.trimEnd().replace(/\n/g, '\n    ')}`);
    }
    return lines.join('\n');
}

/** An uncaught exception in the page, in a few lines. */
function describeError(e) {
    const head = `${e?.name ?? 'Error'}: ${e?.message || '(no message)'}`;
    const stack = String(e?.stack ?? '')
        .split('\n')
        .filter((l) => l.trim().startsWith('at '))
        .slice(0, 4);
    return [head, ...stack].join('\n');
}
