import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: process.env.CHROME, args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1000, height: 620 } });
await p.goto('file://' + process.argv[2]);
for (const i of process.argv.slice(3)) {
  await p.$eval('.nn-slider', (s, v) => { s.value = v; s.dispatchEvent(new Event('input')); }, i);
  console.log(i, await p.textContent('.nn-text'));
  await p.screenshot({ path: `/tmp/pl/shot-${i}.png` });
}
await b.close();
