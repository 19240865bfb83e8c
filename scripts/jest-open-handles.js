/**
 * A jest reporter that turns a run which does not end into a failure that says why. Tests run in band on
 * a 2-core machine, so a child process or socket a test leaves open keeps jest alive until CI's time
 * limit: 15 s after the last test, this lists what is still open and exits 1. Its timer is unref'd, so a
 * run that ends on its own is not held up by it.
 */
class OpenHandlesReporter {
  onRunComplete() {
    const timer = setTimeout(() => {
      const handles = process._getActiveHandles().filter((h) => h !== process.stdout && h !== process.stderr && h !== process.stdin);
      const described = handles.map((h) => {
        const name = h?.constructor?.name ?? typeof h;
        if (name === 'ChildProcess') return `ChildProcess pid ${h.pid}: ${h.spawnargs?.join(' ')}`;
        if (name === 'Socket' || name === 'Pipe') return `${name}${h.remoteAddress ? ` ${h.remoteAddress}:${h.remotePort}` : ''}`;
        return name;
      });
      process.stderr.write(`\njest did not end 15 s after the last test; still open:\n  ${described.join('\n  ') || '(no handle jest can see)'}\n`);
      process.exit(1);
    }, 15_000);
    timer.unref();
  }
}

module.exports = OpenHandlesReporter;
