// Preloaded into the benchmarked server (NODE_OPTIONS=--import …) when
// bench/http.bench.ts runs with --cpu-prof DIR: Node refuses --cpu-prof in
// NODE_OPTIONS, so the inspector's profiler is started here and its profile
// written when the process exits (the server exits on SIGTERM).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.LOANDESK_CPU_PROFILE_DIR;
if (dir !== undefined && dir !== '') {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    // Same-thread inspector sessions answer synchronously.
    session.post('Profiler.stop', (error, result) => {
      if (error === null)
        writeFileSync(
          join(dir, `server-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
    });
  });
}
