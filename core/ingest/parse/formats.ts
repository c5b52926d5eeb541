// Which parser a file gets, by extension. Anything not listed is sniffed: text is indexed as plain text.
import { extname, basename } from 'node:path';
import type { DocKind } from './types.js';

const TEXT = ['.txt', '.text', '.log', '.rst', '.adoc', '.asciidoc', '.org', '.tex', '.csv', '.tsv', '.srt', '.vtt'];
const MARKDOWN = ['.md', '.markdown', '.mdown', '.mkd', '.mdx'];
const HTML = ['.html', '.htm', '.xhtml'];
const CODE = [
  '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.vue', '.svelte',
  '.py', '.pyi', '.rs', '.go', '.java', '.kt', '.kts', '.scala', '.groovy', '.gradle', '.clj', '.cljs',
  '.c', '.h', '.cc', '.cpp', '.cxx', '.hh', '.hpp', '.hxx', '.m', '.mm', '.cs', '.fs', '.vb', '.swift', '.dart',
  '.rb', '.php', '.pl', '.pm', '.lua', '.r', '.jl', '.ex', '.exs', '.erl', '.hs', '.ml', '.mli', '.elm', '.zig', '.nim',
  '.sh', '.bash', '.zsh', '.fish', '.ps1', '.bat', '.cmd',
  '.sql', '.graphql', '.gql', '.proto', '.css', '.scss', '.sass', '.less',
  '.json', '.jsonc', '.json5', '.yaml', '.yml', '.toml', '.ini', '.cfg', '.conf', '.properties', '.env.example',
  '.xml', '.svg', '.xsd', '.xsl', '.plist', '.cmake', '.mk', '.tf', '.hcl', '.nix', '.dockerfile',
];
/** Extensionless files that are code by name. */
const CODE_NAMES = ['makefile', 'dockerfile', 'rakefile', 'gemfile', 'cmakelists.txt', 'justfile', 'procfile'];

const BY_EXT = new Map<string, DocKind>([
  ...TEXT.map((e) => [e, 'text'] as const),
  ...MARKDOWN.map((e) => [e, 'markdown'] as const),
  ...HTML.map((e) => [e, 'html'] as const),
  ...CODE.map((e) => [e, 'code'] as const),
  ['.pdf', 'pdf'],
  ['.docx', 'docx'],
  ['.rtf', 'rtf'],
]);

/** The parser for a path, or 'sniff' when the extension says nothing (decide from the bytes). */
export function kindForPath(path: string): DocKind | 'sniff' {
  const name = basename(path).toLowerCase();
  if (CODE_NAMES.includes(name)) return 'code';
  return BY_EXT.get(extname(name)) ?? 'sniff';
}
