// A web-test-runner plugin for the editor bench: `executeServerCommand('frame-trace', { action: 'start' | 'stop' })`
// records a Chromium trace of the bench page and answers with what its main thread did: CPU time against
// wall time, per thread, and the longest tasks with what ran inside them. A task whose wall time is far
// above its CPU time waited (for a core on a loaded machine, or for the GPU process), it did not compute.

const categories = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'cc', 'gpu'];
const taskNames = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);
const ms = (us) => Math.round((us ?? 0) / 1000);

/** What a trace says about the page's main thread (the renderer main thread with the most events). */
export function summarizeTrace(trace) {
  const events = trace.traceEvents ?? trace;
  const threads = new Map();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const counts = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (threads.get(key) === 'CrRendererMain') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  // Top-level tasks of each thread (a task nested in another is part of it).
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !taskNames.has(e.name) || typeof e.dur !== 'number') continue;
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  const topLevel = (list) => {
    const out = [];
    let end = -Infinity;
    for (const e of [...list].sort((a, b) => a.ts - b.ts)) if (e.ts >= end) { out.push(e); end = e.ts + e.dur; }
    return out;
  };
  const cpuByThread = {};
  for (const [key, list] of byThread) {
    const name = threads.get(key) ?? 'other';
    cpuByThread[name] = (cpuByThread[name] ?? 0) + topLevel(list).reduce((a, t) => a + (t.tdur ?? 0), 0);
  }
  const own = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number');
  const tasks = topLevel(byThread.get(main) ?? []);
  const span = tasks.length ? tasks.at(-1).ts + tasks.at(-1).dur - tasks[0].ts : 0;
  const label = (e) => {
    const d = e.args?.data ?? {};
    if (e.name === 'FunctionCall') return `script ${(d.url ?? '').replace(/^.*\/(src|nodes|bench|node_modules)\//, '$1/').replace(/\?.*$/, '')}${d.functionName ? ` ${d.functionName}` : ''}`.trim();
    if (e.name === 'EventDispatch') return `event ${d.type ?? ''}`;
    return e.name;
  };
  // The leaves that took the time inside a task: events with no child of 3 ms or more.
  const inside = (task) => {
    const within = own.filter((e) => e !== task && !taskNames.has(e.name) && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur >= 3000);
    const leaves = within.filter((e) => !within.some((c) => c !== e && c.ts >= e.ts && c.ts + c.dur <= e.ts + e.dur && c.dur < e.dur));
    const byLabel = new Map();
    for (const e of leaves) {
      const a = byLabel.get(label(e)) ?? { wall: 0, cpu: 0 };
      a.wall += e.dur; a.cpu += e.tdur ?? 0;
      byLabel.set(label(e), a);
    }
    return [...byLabel].sort((a, b) => b[1].wall - a[1].wall).slice(0, 4).map(([what, a]) => `${what} ${ms(a.wall)} ms (cpu ${ms(a.cpu)})`);
  };
  const longest = [...tasks].sort((a, b) => b.dur - a.dur).slice(0, 5);
  return {
    seconds: Math.round(span / 1e5) / 10,
    mainThread: { tasks: tasks.length, wallBusyMs: ms(tasks.reduce((a, t) => a + t.dur, 0)), cpuMs: ms(tasks.reduce((a, t) => a + (t.tdur ?? 0), 0)) },
    cpuMsByThread: Object.fromEntries(Object.entries(cpuByThread).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => [k, ms(v)])),
    tasksOver50Ms: tasks.filter((t) => t.dur > 50_000).length,
    tasksOver50MsCpu: tasks.filter((t) => (t.tdur ?? 0) > 50_000).length,
    longestTasks: longest.map((t) => `${ms(t.dur)} ms wall, ${ms(t.tdur)} ms cpu: ${inside(t).join('; ') || 'nothing over 3 ms inside'}`),
  };
}

/**
 * The plugin: one trace at a time. `start` starts it; `stop` stops it and answers with its summary, or
 * with `'pending'` while reading a large trace takes longer than a server command may (ask again).
 */
export function frameTracePlugin() {
  let summary = null;
  return {
    name: 'frame-trace',
    async executeCommand({ command, payload, session }) {
      if (command !== 'frame-trace') return undefined;
      const page = session.browser.getPage(session.id);
      if (payload?.action === 'start') {
        summary = null;
        await page.tracing.start({ categories });
        return true;
      }
      summary ??= page.tracing.stop().then((bytes) => summarizeTrace(JSON.parse(Buffer.from(bytes).toString('utf8'))));
      return Promise.race([summary, new Promise((resolve) => setTimeout(() => resolve('pending'), 10_000))]);
    },
  };
}
