// JupyterLab from .venv, serving copies of the notebooks, and headless Chromium.
//
// JupyterLab autosaves the notebooks it runs, so it never sees the committed
// files: it serves a temporary folder laid out like the repository, with
// notebooks/ holding copies of the notebooks and every other top-level entry
// (crates/ above all) as a symlink, so that a set-up cell's
// `:dep nn = { path = "../crates/nn" }` resolves as it does in notebooks/.
//
// The server listens on a free loopback port with a random token; its
// settings, workspaces, runtime files and notebook-trust database live in the
// temporary folder too, so neither the user's JupyterLab settings nor a
// previous run change what the test sees, and the test changes nothing of the
// user's. stop() shuts the server (and so every kernel) down and removes the
// folder.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);

/**
 * Starts JupyterLab on copies of `notebooks` (paths inside `repo`).
 * Returns { baseUrl, token, root, labUrl(rel), api(path, init), stop() }.
 */
export async function startLab({ repo, notebooks, startupTimeoutMs = 90_000 }) {
    const jupyter = path.join(repo, '.venv', 'bin', 'jupyter');
    if (!fs.existsSync(jupyter)) {
        throw new Error(`${jupyter} is missing: run ./kernel-install.sh first (it makes .venv with JupyterLab)`);
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-browser-test-'));
    const root = path.join(tmp, 'lab');
    layOutCopies(repo, root, notebooks);
    const dirs = {};
    for (const name of ['config', 'runtime', 'settings', 'workspaces']) {
        dirs[name] = path.join(tmp, name);
        fs.mkdirSync(dirs[name]);
    }
    // No "Would you like to get notified about official Jupyter news?" toast
    // over the notebook, and no fetch of the news feed.
    const notification = path.join(dirs.settings, '@jupyterlab', 'apputils-extension');
    fs.mkdirSync(notification, { recursive: true });
    fs.writeFileSync(path.join(notification, 'notification.jupyterlab-settings'), '{ "fetchNews": "false" }\n');
    // Each cell's run times in its metadata (of the copy): the report names the slowest cells.
    const tracker = path.join(dirs.settings, '@jupyterlab', 'notebook-extension');
    fs.mkdirSync(tracker, { recursive: true });
    fs.writeFileSync(path.join(tracker, 'tracker.jupyterlab-settings'), '{ "recordTiming": true }\n');

    const token = randomBytes(24).toString('hex');
    const args = [
        'lab',
        '--no-browser',
        '--ServerApp.ip=127.0.0.1',
        `--ServerApp.port=${await freePort()}`,
        '--ServerApp.port_retries=20', // another process may take the port first
        `--IdentityProvider.token=${token}`,
        `--ServerApp.root_dir=${root}`,
        '--LabApp.expose_app_in_browser=True', // window.jupyterapp: drive the UI's own commands
        `--LabApp.user_settings_dir=${dirs.settings}`,
        `--LabApp.workspaces_dir=${dirs.workspaces}`,
        '--LabApp.news_url=None',
        '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
        '--LabApp.extension_manager=readonly', // no queries to PyPI
        `--NotebookNotary.db_file=${path.join(tmp, 'nbsignatures.db')}`,
        // As kernel-install.sh --lab: a kernel that loads nn for over 60 s (the
        // default) would be given up on, and evcxr stops when it then answers.
        '--MappingKernelManager.kernel_info_timeout=300',
        // As kernel-install.sh --lab: each notebook gets a rust-nn kernel that
        // warmed while the one before ran (scripts/warm_kernels.py).
        '--ServerApp.kernel_manager_class=warm_kernels.WarmKernelManager',
    ];
    if (process.getuid?.() === 0) args.push('--allow-root');
    const env = {
        ...process.env,
        JUPYTER_CONFIG_DIR: dirs.config,
        JUPYTER_RUNTIME_DIR: dirs.runtime,
        PATH: withCargoBin(process.env.PATH ?? ''),
        PYTHONPATH: [path.join(repo, 'scripts'), process.env.PYTHONPATH].filter(Boolean).join(':'),
    };
    const logPath = path.join(tmp, 'jupyterlab.log');
    const log = fs.openSync(logPath, 'w');
    const child = spawn(jupyter, args, { cwd: root, env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    let exited = null;
    const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));

    const lab = {
        token,
        root,
        tmp,
        logPath,
        baseUrl: null,
        labUrl(rel, workspace) {
            const tree = rel.split('/').map(encodeURIComponent).join('/');
            return `${this.baseUrl}lab/workspaces/${encodeURIComponent(workspace)}/tree/${tree}?reset&token=${token}`;
        },
        async api(p, init = {}) {
            const res = await fetch(`${this.baseUrl}api/${p}`, {
                ...init,
                headers: { Authorization: `token ${token}`, ...(init.headers ?? {}) },
            });
            if (!res.ok) throw new Error(`JupyterLab: ${init.method ?? 'GET'} /api/${p}: HTTP ${res.status}`);
            return res.status === 204 ? null : res.json();
        },
        logTail(lines = 30) {
            return fs.readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
        },
        async stop() {
            if (!exited) {
                child.kill('SIGTERM'); // jupyter_server shuts its kernels down on SIGTERM
                const done = await Promise.race([exit, sleep(15_000).then(() => null)]);
                if (!done) {
                    child.kill('SIGKILL');
                    await exit;
                }
            }
            fs.rmSync(tmp, { recursive: true, force: true });
        },
    };

    // jupyter_server writes jpserver-<pid>.json, with the port it really took, once it listens.
    const info = path.join(dirs.runtime, `jpserver-${child.pid}.json`);
    const deadline = Date.now() + startupTimeoutMs;
    while (Date.now() < deadline && !exited) {
        if (!lab.baseUrl && fs.existsSync(info)) {
            try {
                const { url } = JSON.parse(fs.readFileSync(info, 'utf8'));
                lab.baseUrl = url.endsWith('/') ? url : `${url}/`;
            } catch {
                // half-written: read it again
            }
        }
        if (lab.baseUrl) {
            try {
                await lab.api('status');
                return lab;
            } catch {
                // not answering yet
            }
        }
        await sleep(250);
    }
    const why = exited ? `exited (code ${exited.code}, signal ${exited.signal})` : `did not answer within ${startupTimeoutMs / 1000} s`;
    const tail = lab.logTail();
    await lab.stop();
    throw new Error(`JupyterLab ${why}; the end of its log:\n${tail}`);
}

/** notebooks/ with copies of the notebooks; every other top-level entry of the repository as a symlink. */
function layOutCopies(repo, root, notebooks) {
    fs.mkdirSync(path.join(root, 'notebooks'), { recursive: true });
    for (const entry of fs.readdirSync(repo)) {
        if (entry === 'notebooks' || entry.startsWith('.')) continue;
        fs.symlinkSync(path.join(repo, entry), path.join(root, entry));
    }
    const dir = path.join(repo, 'notebooks');
    for (const entry of fs.readdirSync(dir)) {
        if (entry.startsWith('.')) continue;
        if (entry.endsWith('.ipynb')) {
            if (notebooks.includes(`notebooks/${entry}`)) fs.copyFileSync(path.join(dir, entry), path.join(root, 'notebooks', entry));
        } else {
            fs.symlinkSync(path.join(dir, entry), path.join(root, 'notebooks', entry)); // data a notebook may read
        }
    }
}

/** A port nobody listens on right now (the server may still lose it: port_retries covers that). */
function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/** The kernels run cargo: put ~/.cargo/bin on PATH as test.sh does. */
function withCargoBin(p) {
    const bin = path.join(process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo'), 'bin');
    return p.split(':').includes(bin) || !fs.existsSync(bin) ? p : `${bin}:${p}`;
}

// Chromium's own flags: headless, no sandbox (CI runs as root), and none of the
// background traffic it would otherwise send to Google's hosts at start.
export const CHROMIUM_FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

/**
 * Debian's chromium driven by playwright-core. Playwright's launch() starts it
 * with a fresh, empty --user-data-dir of its own in $TMPDIR and removes it at
 * close() (it refuses a --user-data-dir in `args`).
 */
export async function launchChromium() {
    const executablePath = chromiumPath();
    let chromium;
    try {
        ({ chromium } = require('playwright-core'));
    } catch {
        throw new Error('playwright-core is not installed: run tests/browser/install.sh (test.sh does)');
    }
    return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

/** The binary Debian's chromium package installs: `command -v chromium`. */
export function chromiumPath() {
    for (const dir of (process.env.PATH ?? '').split(':')) {
        const p = path.join(dir || '.', 'chromium');
        try {
            fs.accessSync(p, fs.constants.X_OK);
            return p;
        } catch {
            // not here
        }
    }
    throw new Error(
        "chromium is not on PATH: install Debian's package (as root: apt-get install --no-install-recommends chromium), " +
            'or run tests/browser/install.sh, which does it or says how',
    );
}
