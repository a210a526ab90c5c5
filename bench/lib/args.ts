export const BENCHMARKS = [
  'raw-sqlite-insert',
  'postgres-floor',
  'http-echo',
  'ingest',
  'small-log-batch',
  'search',
  'history',
  'rss',
] as const;
export type BenchName = (typeof BENCHMARKS)[number];

/** Names accepted by --only besides the benchmark names themselves. */
const ALIASES: Record<string, BenchName> = {
  'search-100k': 'search',
  'first-page-1000': 'search',
  'history-1m': 'history',
  'sampled-320': 'history',
  raw: 'raw-sqlite-insert',
  echo: 'http-echo',
  small: 'small-log-batch',
  floor: 'postgres-floor',
};

export interface BenchOptions {
  only: BenchName[];
  runs: number;
  points: number;
  backend: 'sqlite' | 'postgres';
  /** PostgreSQL only: the admin database through which the bench creates and drops its own. */
  pgAdminUri: string;
  /** PostgreSQL only: rows of the 1-row-per-INSERT raw insert limit (one round trip per row). */
  pgRawRows1: number;
  /** PostgreSQL only: rows of the COPY and unnest-insert floors (1000 per commit). */
  pgFloorRows: number;
  ingestSeconds: number;
  client?: 'fetch' | 'node:http';
  serverCpuProf: boolean;
  keep: boolean;
  timeoutSeconds: number;
  out?: string;
}

export const USAGE = `usage: npm run bench -- [options]
  --only <name[,name…]>   run only these: ${BENCHMARKS.join(', ')} (repeatable)
  --runs <n>              runs seeded for the search benchmark (default 100000)
  --points <n>            points of the long series for the history benchmark (default 1000000)
  --backend sqlite|postgres  metadata store backend (default sqlite); postgres creates a fresh
                          database trove_bench_<random> through --pg-admin-uri and drops it at the end
  --pg-admin-uri <uri>    admin database for --backend postgres (default $TROVE_BENCH_PG_URI or
                          postgresql://postgres@127.0.0.1:5432/test)
  --pg-raw-rows-1 <n>     rows of the postgres 1-row-per-INSERT limit (default 50000; 50 rows/INSERT uses 1000000)
  --pg-floor-rows <n>     rows of the postgres COPY and unnest floors, 1000 per commit (default 200000);
                          the floors run with postgres-floor, ingest or small-log-batch on --backend postgres
  --ingest-seconds <n>    length of the timed ingest window (default 10)
  --client fetch|node:http  force the HTTP client instead of measuring which is faster
  --server-cpu-prof       run the measured server with --cpu-prof and print its hottest frames
  --keep                  keep the temporary data directory
  --timeout <s>           kill everything and fail after this many seconds (default 480)
  --out <file>            JSON results (default bench/results/latest.json, or latest-<only>.json with --only)`;

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v?.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${v}`);
  return n;
}

export function parseArgs(argv: string[]): BenchOptions {
  const o: BenchOptions = {
    only: [],
    runs: 100_000,
    points: 1_000_000,
    backend: 'sqlite',
    pgRawRows1: 50_000,
    pgFloorRows: 200_000,
    pgAdminUri: process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test',
    ingestSeconds: 10,
    serverCpuProf: false,
    keep: false,
    timeoutSeconds: 480,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--only':
        for (const raw of value().split(',')) {
          const name = raw.trim().toLowerCase();
          const resolved = (BENCHMARKS as readonly string[]).includes(name) ? (name as BenchName) : ALIASES[name];
          if (!resolved) throw new Error(`unknown benchmark '${raw}' (one of ${BENCHMARKS.join(', ')})`);
          if (!o.only.includes(resolved)) o.only.push(resolved);
        }
        break;
      case '--runs':
        o.runs = positiveInt(flag, value());
        break;
      case '--points':
        o.points = positiveInt(flag, value());
        break;
      case '--backend': {
        const b = value();
        if (b !== 'sqlite' && b !== 'postgres') throw new Error(`--backend must be sqlite or postgres, got ${b}`);
        o.backend = b;
        break;
      }
      case '--pg-admin-uri':
        o.pgAdminUri = value();
        break;
      case '--pg-raw-rows-1':
        o.pgRawRows1 = positiveInt(flag, value());
        break;
      case '--pg-floor-rows':
        o.pgFloorRows = positiveInt(flag, value());
        break;
      case '--ingest-seconds':
        o.ingestSeconds = positiveInt(flag, value());
        break;
      case '--client': {
        const c = value();
        if (c !== 'fetch' && c !== 'node:http') throw new Error(`--client must be fetch or node:http, got ${c}`);
        o.client = c;
        break;
      }
      case '--server-cpu-prof':
        o.serverCpuProf = true;
        break;
      case '--keep':
        o.keep = true;
        break;
      case '--timeout':
        o.timeoutSeconds = positiveInt(flag, value());
        break;
      case '--out':
        o.out = value();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return o;
}
