// `npm start` serves the built web app: build it first when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const index = 'dist/web/index.html';
const builtAt = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(tsx?|css|html|svg|png)$/.test(e.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest('src/web'), newest('src/domains'), newest('src/platform'), fs.existsSync('vite.config.ts') ? fs.statSync('vite.config.ts').mtimeMs : 0);
if (builtAt === 0 || sources > builtAt) {
  console.log('构建网页 / building the web app (vite build)…');
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('网页构建失败 / web build failed');
    process.exit(r.status ?? 1);
  }
}
