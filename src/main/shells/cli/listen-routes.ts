/**
 * `listen --routes FILE`: load the routing file (refused → usage error), route each call by it,
 * re-read it when it changes (a bad file keeps the previous rules and says why on stderr).
 */
import { loadRoutingFile, routerOn, RoutingFileError, watchRoutes, type InboundRouter, type SipStack } from '../../engine/index.ts';
import { UsageError } from './common.ts';

export interface ListenRoutes {
  router: InboundRouter;
  stop(): Promise<void>;
}

/** Check the file before any socket opens. */
export function loadRoutesOption(file: string | undefined): ReturnType<typeof loadRoutingFile> | undefined {
  if (file === undefined) return undefined;
  try {
    return loadRoutingFile(file);
  } catch (err) {
    if (err instanceof RoutingFileError) throw new UsageError(`--routes: routing file refused:\n${err.message}`);
    throw err;
  }
}

export function startRoutes(file: string, table: NonNullable<ReturnType<typeof loadRoutesOption>>, stack: SipStack): ListenRoutes {
  const log = (line: string): void => void process.stderr.write(`trunkscope: ${line}\n`);
  const router = routerOn(stack, table, log);
  const watch = watchRoutes(file, {
    onLoad: (t) => {
      router.replace(t);
      log(`routes reloaded from ${file}: ${t.rules.length} rule(s); calls in progress keep their rules`);
    },
    onError: (msg) => log(`routes in ${file} refused, keeping the previous rules:\n${msg}`),
  });
  return {
    router,
    stop: async () => {
      watch.stop();
      await router.drain();
    },
  };
}
