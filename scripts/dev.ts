import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `npm run dev`: the API server (restarted on change by Node's --watch) on PORT (3000) and Vite's
 * dev server with hot reload on http://127.0.0.1:5173, which proxies /api to the API server.
 */
const children: ChildProcess[] = [];
function run(args: string[], name: string) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: process.env });
  child.on('exit', (code) => {
    console.log(`${name} exited (${code}); stopping`);
    for (const c of children) c.kill('SIGTERM');
    process.exit(code ?? 0);
  });
  children.push(child);
}
run(['--watch-path=src', '--import', 'tsx', 'src/server/main.ts'], 'api');
run(['node_modules/vite/bin/vite.js', '--host', '127.0.0.1'], 'vite');
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => children.forEach((c) => c.kill(sig)));
