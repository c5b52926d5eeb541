// A conversation (or one answer) as Markdown: each question, its answer with the [n] citations as written, and its
// sources numbered the same way. Plain code without Node: the renderer uses it for "Copy answer" too.
import type { AnswerResult, ConversationDetail, ConversationExport, ConversationTurn, RerankedCandidate } from '../contract/api.js';
import type { Language } from '../contract/vocabulary.js';

const QUOTE_CHARS = 300;

/** The few words the export writes itself, in the interface's language. */
const LABELS = {
  en: {
    page: (n: number) => `page ${n}`, sources: 'Sources', stopped: '(stopped before the answer was finished)',
    noAnswer: 'No answer', llmDown: 'the LLM could not be reached.', running: '(still being answered)',
    dropped: (n: number) => `${n} more passage(s) did not fit the LLM's context window.`, searchedAs: 'Searched as',
    exported: (date: string, n: number) => `Exported from LocalRAG on ${date}: ${n} question(s).`,
  },
  ja: {
    page: (n: number) => `${n} ページ`, sources: '出典', stopped: '(回答の途中で停止しました)',
    noAnswer: '回答なし', llmDown: 'LLM に接続できませんでした。', running: '(回答中)',
    dropped: (n: number) => `ほかに ${n} 件の箇所が LLM のコンテキストに収まりませんでした。`, searchedAs: '検索に使った質問',
    exported: (date: string, n: number) => `LocalRAG から ${date} に書き出し: 質問 ${n} 件。`,
  },
} satisfies Record<Language, unknown>;
type Labels = (typeof LABELS)['en'];

function fileOf(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** "report.pdf, page 3 — Results > Drag" */
export function sourceLabel(p: Pick<RerankedCandidate, 'path' | 'page' | 'headingPath'>, l: Labels = LABELS.en): string {
  let label = fileOf(p.path);
  if (p.page !== null) label += `, ${l.page(p.page)}`;
  if (p.headingPath.length > 0) label += ` — ${p.headingPath.join(' > ')}`;
  return label;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS)}…` : flat;
}

/** Numbered sources, as the answer cites them, each with its file, place and the start of the passage. */
export function sourcesMarkdown(sources: RerankedCandidate[], l: Labels = LABELS.en): string {
  return sources.map((s, i) => `${i + 1}. ${sourceLabel(s, l)} (\`${s.path}\`)\n   > ${quote(s.text)}`).join('\n');
}

/** One answer: the text, a note when it did not finish, its numbered sources and what did not fit the context. */
export function answerMarkdown(
  result: Pick<AnswerResult, 'text' | 'status' | 'error' | 'sources' | 'dropped'>, language: Language = 'en',
): string {
  const l = LABELS[language];
  const parts: string[] = [];
  if (result.text.trim()) parts.push(result.text.trim());
  if (result.status === 'cancelled') parts.push(`*${l.stopped}*`);
  if (result.status === 'unavailable') parts.push(`*${l.noAnswer}: ${result.error?.message ?? l.llmDown}*`);
  if (result.sources.length > 0) parts.push(`**${l.sources}**\n\n${sourcesMarkdown(result.sources, l)}`);
  if (result.dropped.length > 0) parts.push(`*${l.dropped(result.dropped.length)}*`);
  return parts.join('\n\n');
}

function turnMarkdown(turn: ConversationTurn, n: number, language: Language): string {
  const l = LABELS[language];
  const parts = [`## ${n}. ${turn.question.replace(/\s+/g, ' ').trim()}`];
  if (turn.standaloneQuestion !== turn.question) parts.push(`*${l.searchedAs}:* ${turn.standaloneQuestion}`);
  if (turn.result) parts.push(answerMarkdown(turn.result, language));
  else if (turn.status === 'running') parts.push(`*${l.running}*`);
  else parts.push(`*${l.noAnswer}: ${turn.error?.message ?? turn.status}*`);
  return parts.join('\n\n');
}

/** A file name from the title: its letters and digits (any script) joined by dashes. */
export function exportFileName(title: string): string {
  const slug = title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return `${slug || 'conversation'}.md`;
}

export function conversationMarkdown(c: ConversationDetail, exportedAt: string, language: Language = 'en'): ConversationExport {
  const head = `# ${c.title}\n\n*${LABELS[language].exported(exportedAt.slice(0, 10), c.turns.length)}*`;
  const markdown = [head, ...c.turns.map((t, i) => turnMarkdown(t, i + 1, language))].join('\n\n') + '\n';
  return { fileName: exportFileName(c.title), markdown };
}
