import { startLab, launchChromium } from './lab.mjs';
import { openNotebook } from './jupyterlab.mjs';
import path from 'node:path';
const repo = path.resolve('../..');
const rel = 'notebooks/' + (process.argv[2] ?? '02-forward-pass.ipynb');
const lab = await startLab({ repo, notebooks: [rel] });
const browser = await launchChromium();
try {
  const view = await openNotebook(browser, lab, rel, {});
  console.log('phases', JSON.stringify(view.phases), 'notes', view.notes, 'run', JSON.stringify(view.runResult), 'cells', view.cells.filter(c=>c.type==='code').length, 'errors', view.cells.filter(c=>c.outputs?.some(o=>o.type==='error')).length, 'ran', view.cells.filter(c=>c.type==='code' && c.executionCount).length);
  await view.close();
} catch (e) { console.log('FAILED', e.message.slice(0, 1500)); }
await browser.close(); await lab.stop();
