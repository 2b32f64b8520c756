// What a learner must see in every notebook, checked on a NotebookView
// (jupyterlab.mjs), and helpers for checks of interactive outputs.
//
// Every problem names the cell (its index in the notebook file and its first
// line) and says what was wrong; nothing here throws for a failing notebook.

import fs from 'node:fs';
import path from 'node:path';

export const KERNEL = 'rust-nn';
const SVG_MIME = 'image/svg+xml';
const RAISES_TAG = 'raises-exception'; // as in nbcheck.py: the cell may fail or panic
const SKIP_TAG = 'skip-execution';
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** The notebook as committed (read only). */
export function readNotebook(file) {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Indexes of the code cells whose committed outputs include an image/svg+xml
 * that the page shows as such: not a bundle that also holds text/html (the
 * training player), which JupyterLab and nbconvert both show as its HTML.
 */
export function svgCells(committed) {
    return committed.cells.flatMap((cell, index) =>
        cell.cell_type === 'code' && (cell.outputs ?? []).some((o) => SVG_MIME in (o.data ?? {}) && !('text/html' in (o.data ?? {})))
            ? [index]
            : [],
    );
}

/**
 * The checks of a notebook that ran in JupyterLab: its kernel is rust-nn, every
 * code cell ran, no cell shows an error output or "panicked at", the page
 * threw nothing and asked nothing of the network, and every cell that has an
 * SVG in the committed notebook shows a rendered one.
 */
export async function checkRun(view, committed) {
    const specName = committed.metadata?.kernelspec?.name;
    if (specName !== KERNEL) view.problem(null, `the notebook's metadata names the kernel '${specName}', not '${KERNEL}'`);
    if (view.kernel?.name !== KERNEL) {
        view.problem(null, `JupyterLab started the kernel '${view.kernel?.name}' (${view.kernel?.displayName}), not '${KERNEL}'`);
    }
    if (view.cells.length !== committed.cells.length) {
        view.problem(null, `JupyterLab shows ${view.cells.length} cells; the file has ${committed.cells.length}`);
    }
    const notRun = view.cells.filter((c) => c.type === 'code' && c.executionCount == null && !c.tags.includes(SKIP_TAG));
    if (notRun.length) {
        const more = notRun.length > 1 ? ` (and ${notRun.length - 1} later code cell(s): ${notRun.slice(1).map((c) => c.index).join(', ')})` : '';
        view.problem(notRun[0].index, `it did not run${more}: no execution count; "Run All Cells" stopped before it`);
    }
    for (const cell of view.cells) {
        if (cell.type !== 'code' || cell.tags.includes(RAISES_TAG)) continue;
        const errors = cell.outputs.filter((o) => o.type === 'error');
        if (errors.length) {
            // The first error in full; the others (often its consequences) by name.
            const [out, ...others] = errors;
            const tb = (out.traceback ?? []).map((t) => t.replace(ANSI, '')).slice(0, 20);
            const rest = others.length ? `\nand ${others.length} more error output(s): ${others.map((o) => o.evalue).join('; ')}` : '';
            view.problem(cell.index, `error output: ${out.ename}: ${out.evalue}${tb.length ? `\n${tb.join('\n')}` : ''}${rest}`);
        }
        const panic = panicSummary(cell.outputText);
        if (panic) view.problem(cell.index, `panicked:\n${panic}`);
    }
    if (view.runResult && view.runResult.error) view.problem(null, `"Run All Cells" failed: ${view.runResult.error}`);
    for (const e of view.pageErrors) view.problem(null, `the page threw: ${e}`);
    for (const url of new Set(view.external)) view.problem(null, `the page asked for ${url} (blocked: everything must come from the notebook server)`);
    await checkSvgs(view, committed);
}

/** The "panicked at" line and a few lines after it, or '' if there is none. */
export function panicSummary(text) {
    const lines = text.replace(ANSI, '').split('\n');
    const i = lines.findIndex((l) => l.includes('panicked at'));
    if (i < 0) return '';
    const out = [lines[i].trim()];
    for (const more of lines.slice(i + 1, i + 6)) {
        if (more.startsWith('stack backtrace:') || more.startsWith('note: ')) break;
        out.push(more.trimEnd());
    }
    return out.join('\n');
}

/**
 * Every cell with an SVG in the committed notebook shows an SVG picture that
 * really rendered: the image decoded, it has a size on the page, and it has
 * paint on it (not one flat colour).
 */
export async function checkSvgs(view, committed) {
    for (const index of svgCells(committed)) {
        const r = await view.page.evaluate(svgRendering, index);
        if (!r.found) {
            const shown = r.shown.length ? r.shown.join(', ') : 'no output';
            const said = r.text ? `; it says: "${r.text}"` : '';
            view.problem(index, `the committed notebook has an ${SVG_MIME} output here, but the page shows no SVG picture (outputs shown: ${shown}${said})`);
            continue;
        }
        for (const [i, img] of r.images.entries()) {
            const which = r.images.length > 1 ? `SVG picture ${i + 1} of ${r.images.length}` : 'the SVG picture';
            if (!img.decoded) view.problem(index, `${which} did not render: the browser could not decode it (${img.error})`);
            else if (!(img.width > 0 && img.height > 0)) view.problem(index, `${which} takes no space on the page (${img.width} × ${img.height} px)`);
            else if (img.painted < 0.002) view.problem(index, `${which} is blank: ${(100 * img.painted).toFixed(2)} % of it differs from its background`);
        }
    }
}

// In the page: how cell `index` shows its SVG outputs. JupyterLab (and
// nbconvert's HTML) render image/svg+xml as an <img> with a data: URL inside
// a .jp-OutputArea-output[data-mime-type="image/svg+xml"].
async function svgRendering(index) {
    const cell = document.querySelector(`[data-nbtest-cell="${index}"]`);
    if (!cell) return { found: false, shown: [], text: 'the cell is not on the page' };
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
    const svgOutputs = outputs.filter((o) => o.dataset.mimeType === 'image/svg+xml');
    const pictures = svgOutputs.flatMap((o) => [...o.querySelectorAll('img, svg')].filter((e) => !e.parentElement.closest('svg')));
    if (!pictures.length) {
        const text = svgOutputs.map((o) => o.textContent.trim()).join(' ').slice(0, 200);
        return { found: false, shown: outputs.map((o) => o.dataset.mimeType ?? o.className), text };
    }
    cell.scrollIntoView({ block: 'center' });
    const images = [];
    for (const pic of pictures) {
        let img = pic;
        if (pic.tagName.toLowerCase() === 'svg') {
            img = new Image(); // inline SVG: measure its markup as the same picture
            img.src = `data:image/svg+xml,${encodeURIComponent(new XMLSerializer().serializeToString(pic))}`;
        }
        const result = { decoded: false, error: '', width: 0, height: 0, painted: 0 };
        try {
            await img.decode();
            result.decoded = img.naturalWidth > 0 && img.naturalHeight > 0;
            if (!result.decoded) result.error = `natural size ${img.naturalWidth} × ${img.naturalHeight}`;
        } catch (e) {
            result.error = String(e.message ?? e);
        }
        const rect = pic.getBoundingClientRect();
        result.width = Math.round(rect.width);
        result.height = Math.round(rect.height);
        if (result.decoded) {
            // Paint: the share of pixels, on a small copy, unlike the top-left one.
            const w = Math.min(320, img.naturalWidth);
            const h = Math.max(1, Math.round((w * img.naturalHeight) / img.naturalWidth));
            const canvas = document.createElement('canvas');
            canvas.width = w;
            canvas.height = h;
            const ctx = canvas.getContext('2d');
            ctx.fillStyle = '#fff';
            ctx.fillRect(0, 0, w, h);
            ctx.drawImage(img, 0, 0, w, h);
            const px = ctx.getImageData(0, 0, w, h).data;
            let differ = 0;
            for (let i = 0; i < px.length; i += 4) {
                if (Math.abs(px[i] - px[0]) + Math.abs(px[i + 1] - px[1]) + Math.abs(px[i + 2] - px[2]) > 24) differ++;
            }
            result.painted = differ / (w * h);
        }
        images.push(result);
    }
    return { found: true, images };
}

/** A PNG of `locator` (scrolled into view), written atomically to `file`. */
export async function screenshot(locator, file) {
    const png = await locator.screenshot({ animations: 'disabled', timeout: 30_000 });
    writeAtomic(file, png);
    return png.length;
}

/** Writes `data` to `file` through a temporary file, fsync and rename. */
export function writeAtomic(file, data) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
        fs.writeSync(fd, data);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
}

/**
 * For interactive outputs (the training player): does `action` change what
 * `picture` (a locator of the drawing itself, not of the controls, whose own
 * look changes anyway) shows? Takes a screenshot of it, runs `action`, and
 * compares screenshots until they differ or `timeoutMs` has passed. E.g.
 *   const frame = player.locator('svg').first();
 *   await pictureChanges(frame, () => player.locator('input[type=range]').fill('10'))
 *   await pictureChanges(frame, () => player.locator('input[type=range]').press('ArrowRight'))
 *   await pictureChanges(frame, () => player.getByRole('button', { name: 'Play' }).click())
 */
export async function pictureChanges(picture, action, { timeoutMs = 3000 } = {}) {
    const before = await picture.screenshot({ animations: 'allow' });
    await action();
    const deadline = Date.now() + timeoutMs;
    do {
        const after = await picture.screenshot({ animations: 'allow' });
        if (!after.equals(before)) return true;
        await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    return false;
}
