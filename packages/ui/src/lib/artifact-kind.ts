/** Which preview an artifact gets, from its file name. Pure. */

export type PreviewKind =
  | 'image'
  | 'markdown'
  | 'text'
  | 'json'
  | 'csv'
  | 'tsv'
  | 'audio'
  | 'video'
  | 'html'
  | 'pdf'
  | 'none';

const BY_EXT: Record<string, PreviewKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
  svg: 'image',
  avif: 'image',
  ico: 'image',
  md: 'markdown',
  markdown: 'markdown',
  json: 'json',
  jsonl: 'text',
  geojson: 'json',
  ipynb: 'json',
  csv: 'csv',
  tsv: 'tsv',
  wav: 'audio',
  mp3: 'audio',
  ogg: 'audio',
  oga: 'audio',
  flac: 'audio',
  m4a: 'audio',
  aac: 'audio',
  opus: 'audio',
  mp4: 'video',
  webm: 'video',
  ogv: 'video',
  mov: 'video',
  m4v: 'video',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
};

const TEXT_EXT = new Set([
  'txt',
  'log',
  'rst',
  'yaml',
  'yml',
  'toml',
  'ini',
  'cfg',
  'conf',
  'env',
  'xml',
  'properties',
  'py',
  'ipy',
  'r',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'java',
  'scala',
  'kt',
  'go',
  'rs',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'cs',
  'rb',
  'php',
  'sh',
  'bash',
  'zsh',
  'sql',
  'lua',
  'jl',
  'swift',
  'm',
  'pl',
  'hs',
  'css',
  'scss',
  'dockerfile',
  'makefile',
  'gitignore',
  'proto',
  'graphql',
  'tex',
]);

/** Files without an extension that MLflow writes and are text. */
const TEXT_NAMES = new Set([
  'MLmodel',
  'Dockerfile',
  'Makefile',
  'LICENSE',
  'README',
  'requirements.txt',
  'conda.yaml',
  'python_env.yaml',
]);

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function previewKind(path: string): PreviewKind {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (TEXT_NAMES.has(name)) return 'text';
  const ext = extensionOf(path);
  return BY_EXT[ext] ?? (TEXT_EXT.has(ext) ? 'text' : 'none');
}

/** Text previews stop here: bigger files are offered as a download instead. */
export const TEXT_PREVIEW_BYTES = 2 * 1024 * 1024;
