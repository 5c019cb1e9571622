/**
 * Preloaded (`node --require`) into every app a Fleet spawns. When the process that started the app dies
 * without stopping it (SIGKILL, a crash, a killed test runner), the app is re-parented; it then sends itself
 * SIGTERM and shuts down gracefully instead of living on as an orphan. Process 'exit' hooks in the parent
 * cannot cover this: they do not run on SIGKILL, and inside Jest they are registered on a sandbox copy of
 * `process` that never emits 'exit'.
 */
export {};

const parentPid = process.ppid;
const watchdog = setInterval(() => {
  if (process.ppid === parentPid) return;
  clearInterval(watchdog);
  process.kill(process.pid, 'SIGTERM');
  // The app's own shutdown normally ends the process well before this.
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 15_000).unref();
}, 500);
watchdog.unref();
