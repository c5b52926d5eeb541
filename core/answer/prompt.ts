// Builds the grounded prompt: numbered, labelled passages fitted into the context window by token budget.
import { basename } from 'node:path';
import type { Passage } from '../contract/api.js';

export interface PromptRequest {
  question: string;
  /** In rank order; they are numbered 1..n as given. */
  passages: Passage[];
  contextTokens: number;
  maxAnswerTokens: number;
  countTokens?: (s: string) => number;
}

export interface BuiltPrompt {
  system: string;
  user: string;
  /** 1-based numbers (positions in `passages`) that made it into the prompt; always 1..m. */
  included: number[];
  /** 1-based numbers that did not fit, dropped whole from the end. */
  dropped: number[];
  /** Tokens of system + user by the counter used, for the timing record. */
  promptTokens: number;
}

/**
 * Chat templates wrap system and user in role markers we cannot count from here; this many tokens are kept free
 * for them, so a prompt that "fits" by our count still fits after the backend applies its template.
 */
export const TEMPLATE_RESERVE_TOKENS = 32;

/** A conservative stand-in when the backend has no tokenizer: real tokenizers give ~4 chars per English token and
 * about 1 per CJK character, so chars/3 over-counts English (safe) and CJK is counted one per character. */
export function approxTokenCount(s: string): number {
  let cjk = 0;
  for (const ch of s) if (CJK_CHAR.test(ch)) cjk++;
  const other = s.length - cjk;
  return Math.ceil(other / 3) + cjk;
}

const CJK_CHAR = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af]/u;
const KANA = /[\u3040-\u30ff\uff66-\uff9f]/u;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

/** 'ja' when the question is written in Japanese script (kana, or kanji, the app's only CJK language). */
export function detectQuestionLanguage(question: string): 'ja' | null {
  return KANA.test(question) || HAN.test(question) ? 'ja' : null;
}

export function systemInstruction(question: string): string {
  const lines = [
    'You answer questions using only the numbered passages the user gives you.',
    'Cite every statement with the number of the passage it comes from in square brackets, like [1] or [2, 3].',
    'Use only the numbers of the passages shown; never invent a source.',
    'If the passages do not contain the answer, say that the passages do not contain the answer; do not guess or use outside knowledge.',
    'Be concise.',
  ];
  lines.push(
    detectQuestionLanguage(question) === 'ja'
      ? 'The question is in Japanese. Answer in Japanese (日本語で回答してください), keeping the [n] citations.'
      : 'Answer in the language of the question.',
  );
  return lines.join('\n');
}

/** "[2] report.pdf, page 3 — Results > Drag" */
export function passageLabel(n: number, p: Passage): string {
  let label = `[${n}] ${basename(p.path)}`;
  if (p.page !== null) label += `, page ${p.page}`;
  if (p.headingPath.length > 0) label += ` — ${p.headingPath.join(' > ')}`;
  return label;
}

function passageBlock(n: number, p: Passage): string {
  return `${passageLabel(n, p)}\n${p.text.trim()}\n\n`;
}

function userMessage(blocks: string, question: string): string {
  const body = blocks === '' ? '(no passages)\n\n' : blocks;
  return `Passages:\n\n${body}Question: ${question.trim()}`;
}

export function buildPrompt(req: PromptRequest): BuiltPrompt {
  const count = req.countTokens ?? approxTokenCount;
  const system = systemInstruction(req.question);
  const frame = count(system) + count(userMessage('', req.question));
  let budget = req.contextTokens - req.maxAnswerTokens - TEMPLATE_RESERVE_TOKENS - frame;

  const included: number[] = [];
  const dropped: number[] = [];
  let blocks = '';
  req.passages.forEach((p, i) => {
    const n = i + 1;
    // Once one passage is dropped, all later (lower-ranked) ones go too: numbering stays 1..m and a weaker
    // short passage never takes the place of a stronger long one.
    if (dropped.length > 0) return void dropped.push(n);
    const block = passageBlock(n, p);
    const cost = count(block);
    if (cost > budget) return void dropped.push(n);
    budget -= cost;
    blocks += block;
    included.push(n);
  });

  const user = userMessage(blocks, req.question);
  return { system, user, included, dropped, promptTokens: count(system) + count(user) };
}
